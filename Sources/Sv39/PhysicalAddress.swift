/// A physical address. In this model physical memory is a host buffer, so a physical
/// address is also the host address of the byte (see `PhysicalMemory`).
///
/// Sv39 physical addresses are 56 bits: a 44-bit PPN above a 12-bit offset. Host user-space
/// addresses (47 or 48 bits) fit, which is what lets C code compiled for the host store a
/// host pointer in a PTE.
public struct PhysicalAddress: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible
{
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Builds `ppn × PAGESIZE + offset`.
    public init(ppn: UInt64, offset: UInt64 = 0) {
        precondition(ppn <= Sv39.ppnMask, "a Sv39 PPN has 44 bits")
        precondition(offset < Sv39.pageSize, "a page offset has 12 bits")
        self.rawValue = (ppn << Sv39.pageShift) | offset
    }

    /// The physical page number (address ÷ PAGESIZE).
    public var ppn: UInt64 { rawValue >> Sv39.pageShift }
    public var pageOffset: UInt64 { rawValue & (Sv39.pageSize - 1) }
    public var isPageAligned: Bool { pageOffset == 0 }

    public func advanced(by bytes: UInt64) -> PhysicalAddress { PhysicalAddress(rawValue + bytes) }

    public static func < (lhs: PhysicalAddress, rhs: PhysicalAddress) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "0x" + String(rawValue, radix: 16) }
}
