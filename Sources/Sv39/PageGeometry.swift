/// The fixed numbers of Sv39 (RISC-V privileged spec, §4.4 "Sv39: Page-Based 39-bit
/// Virtual-Memory System"). They are gathered here so that every shift and mask elsewhere
/// is written in terms of a named quantity, never a bare 12 or 9.
public enum Sv39 {
    /// PAGESIZE = 2^12 bytes.
    public static let pageShift: UInt64 = 12
    public static let pageSize: UInt64 = 1 << pageShift
    /// LEVELS = 3: a walk reads at most three PTEs (levels 2, 1, 0).
    public static let levels = 3
    /// Each VPN field is 9 bits, so a page table holds 2^9 = 512 PTEs.
    public static let vpnBits: UInt64 = 9
    public static let entriesPerTable = 1 << Int(vpnBits)
    /// PTESIZE = 8 bytes, so a 512-entry table fills exactly one page.
    public static let pteSize: UInt64 = 8
    /// Virtual addresses have 39 significant bits; bits 63–39 must copy bit 38.
    public static let virtualAddressBits: UInt64 = 39
    /// Physical page numbers are 44 bits wide (a 56-bit physical address space).
    public static let ppnBits: UInt64 = 44
    public static let ppnMask: UInt64 = (1 << ppnBits) - 1

    /// The size of the region one leaf PTE maps at `level`: 4 KiB, 2 MiB or 1 GiB.
    public static func regionSize(atLevel level: Int) -> UInt64 {
        pageSize << (vpnBits * UInt64(level))
    }

    /// Rounds down to a page boundary (xv6's `PGROUNDDOWN`).
    public static func pageRoundDown(_ value: UInt64) -> UInt64 {
        value & ~(pageSize - 1)
    }

    /// Rounds up to a page boundary (xv6's `PGROUNDUP`); wraps to 0 above the last page,
    /// as the C macro does.
    public static func pageRoundUp(_ value: UInt64) -> UInt64 {
        (value &+ pageSize &- 1) & ~(pageSize - 1)
    }
}
