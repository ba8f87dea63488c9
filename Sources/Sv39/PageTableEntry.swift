/// One Sv39 page-table entry (§4.4.1, Figure "Sv39 page table entry"):
///
/// ```
///  63  62-61  60-54     53-28    27-19    18-10   9-8  7 6 5 4 3 2 1 0
///  N   PBMT  Reserved  PPN[2]   PPN[1]   PPN[0]  RSW  D A G U X W R V
/// ```
///
/// The value is kept raw so that the MMU can see every bit, reserved ones included, exactly
/// as hardware would read it from memory.
public struct PageTableEntry: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// An entry pointing at `ppn` with `flags`, RSW and upper bits zero.
    public init(ppn: UInt64, flags: PTEFlags, rsw: UInt64 = 0) {
        precondition(ppn <= Sv39.ppnMask, "a Sv39 PPN has 44 bits")
        precondition(rsw < 4, "RSW is two bits")
        rawValue = (ppn << PageTableEntry.ppnShift) | (rsw << 8) | UInt64(flags.rawValue)
    }

    /// The all-zero entry: invalid.
    public static let invalid = PageTableEntry(rawValue: 0)

    static let ppnShift: UInt64 = 10
    static let upperShift: UInt64 = 54

    public var flags: PTEFlags {
        get { PTEFlags(rawValue: UInt8(truncatingIfNeeded: rawValue)) }
        set { rawValue = (rawValue & ~0xFF) | UInt64(newValue.rawValue) }
    }

    /// Bits 9–8, reserved for supervisor software and ignored by the walk (§4.3.1).
    public var rsw: UInt64 { (rawValue >> 8) & 0b11 }

    /// The 44-bit physical page number, bits 53–10.
    public var ppn: UInt64 { (rawValue >> PageTableEntry.ppnShift) & Sv39.ppnMask }

    /// PPN[level]: PPN[0] and PPN[1] are 9 bits, PPN[2] is 26 bits.
    public func ppn(_ level: Int) -> UInt64 {
        precondition((0..<Sv39.levels).contains(level), "Sv39 has PPN[0...2]")
        let shifted = ppn >> (Sv39.vpnBits * UInt64(level))
        return level == Sv39.levels - 1 ? shifted : shifted & ((1 << Sv39.vpnBits) - 1)
    }

    /// Bits 63–54: N (63), PBMT (62–61) and bits 60–54. Without the Svnapot and Svpbmt
    /// extensions every one of them is reserved, and a set bit makes the walk fault (§4.4.1).
    public var upperBits: UInt64 { rawValue >> PageTableEntry.upperShift }

    /// Bit 63, Svnapot's N.
    public var napot: Bool { rawValue >> 63 == 1 }
    /// Bits 62–61, Svpbmt's PBMT.
    public var pbmt: UInt64 { (rawValue >> 61) & 0b11 }

    /// The physical address of the page (or next-level table) this entry names.
    public var physicalAddress: PhysicalAddress { PhysicalAddress(ppn: ppn) }

    // Plain bit tests rather than OptionSet algebra: these run for every entry of every
    // table a walk or freewalk visits.
    public var isValid: Bool { rawValue & UInt64(PTEFlags.valid.rawValue) != 0 }

    /// R or X set: a leaf (§4.3.2 step 4). With XWR = 000 the entry points to the next level.
    public var isLeaf: Bool { rawValue & UInt64(PTEFlags.readable.rawValue | PTEFlags.executable.rawValue) != 0 }

    /// Any of R, W, X set: what xv6's `freewalk` calls a leaf.
    public var hasPermissions: Bool { rawValue & UInt64(PTEFlags.permissions.rawValue) != 0 }

    public var description: String {
        "pte 0x\(String(rawValue, radix: 16)) ppn 0x\(String(ppn, radix: 16)) \(flags)"
    }
}
