/// A 64-bit virtual address as Sv39 sees it (§4.4.1, "Addressing and Memory Protection").
///
/// Only the low 39 bits are translated; the rest must be a sign extension of bit 38, which
/// `isCanonical` checks. Keeping the raw 64 bits (rather than truncating to 39) is what lets
/// the MMU raise the page fault that a non-canonical address deserves.
public struct VirtualAddress: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible
{
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// True when bits 63–39 all equal bit 38 (§4.4.1).
    public var isCanonical: Bool {
        let signExtension = Int64(bitPattern: rawValue) >> Int64(Sv39.virtualAddressBits - 1)
        return signExtension == 0 || signExtension == -1
    }

    /// VPN[level]: bits 20–12 (level 0), 29–21 (level 1), 38–30 (level 2).
    public func vpn(_ level: Int) -> UInt64 {
        precondition((0..<Sv39.levels).contains(level), "Sv39 has VPN[0...2]")
        return (rawValue >> (Sv39.pageShift + Sv39.vpnBits * UInt64(level))) & ((1 << Sv39.vpnBits) - 1)
    }

    /// The 12-bit page offset, copied unchanged into the physical address (§4.3.2 step 8).
    public var pageOffset: UInt64 { rawValue & (Sv39.pageSize - 1) }

    public static func < (lhs: VirtualAddress, rhs: VirtualAddress) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "0x" + String(rawValue, radix: 16) }
}
