/// The `satp` register (§4.1.11, "Supervisor Address Translation and Protection") with MODE
/// fixed to Sv39: MODE in bits 63–60, ASID in 59–44, the root table's PPN in 43–0.
///
/// Only Sv39 is modelled (xv6 uses nothing else), so MODE is not a field.
public struct Satp: Hashable, Sendable, Codable {
    /// MODE = 8 selects Sv39.
    public static let sv39Mode: UInt64 = 8

    public var asid: UInt64
    public var rootPPN: UInt64

    public init(asid: UInt64 = 0, rootPPN: UInt64) {
        precondition(asid < 1 << 16, "ASID is 16 bits in Sv39")
        precondition(rootPPN <= Sv39.ppnMask, "the root PPN has 44 bits")
        self.asid = asid
        self.rootPPN = rootPPN
    }

    /// xv6's `MAKE_SATP(pagetable)`: Sv39 mode with the table's PPN.
    public init(root: PhysicalAddress) {
        self.init(rootPPN: root.ppn)
    }

    public var root: PhysicalAddress { PhysicalAddress(ppn: rootPPN) }

    public var rawValue: UInt64 { Satp.sv39Mode << 60 | asid << 44 | rootPPN }
}
