/// Why a translation stopped, one case per rule of the walk. The cause code depends only on
/// the access type; the reason says which rule fired, so tests can pin each rule down.
public enum FaultReason: Hashable, Sendable, Codable {
    /// Bits 63–39 of the address differ from bit 38 (§4.4.1).
    case nonCanonicalAddress
    /// The PTE's address is not backed by physical memory, so the PMA check on the
    /// implicit PTE read fails (§4.3.2 step 2).
    case noMemoryForEntry(PhysicalAddress)
    /// The translated address is not backed by physical memory, so the access itself fails
    /// its PMA check (§3.6, "Physical Memory Attributes").
    case noMemoryAt(PhysicalAddress)
    /// V = 0 (§4.3.2 step 3).
    case invalidEntry(level: Int)
    /// R = 0 with W = 1, a reserved encoding (§4.3.2 step 3).
    case writableWithoutReadable(level: Int)
    /// A bit of 63–54 is set, and neither Svnapot nor Svpbmt is implemented (§4.4.1,
    /// §4.3.2 step 3).
    case reservedUpperBits(level: Int, bits: UInt64)
    /// A non-leaf PTE has D, A or U set, which are reserved there (§4.3.1, §4.3.2 step 3).
    case reservedFlagsInNonLeaf(level: Int, flags: PTEFlags)
    /// A pointer PTE at level 0: there is no next level (§4.3.2 step 4).
    case pointerAtLevelZero
    /// The leaf does not allow this access in this mode (§4.3.2 step 5).
    case permissionDenied(level: Int, flags: PTEFlags)
    /// A superpage leaf whose lower PPN fields are not zero (§4.3.2 step 6).
    case misalignedSuperpage(level: Int)
    /// A = 0 under Svade (§4.3.2 step 7).
    case accessedBitClear(level: Int)
    /// A store to a page with D = 0 under Svade (§4.3.2 step 7).
    case dirtyBitClear(level: Int)

    /// Where in the privileged specification (version 20211203) the rule is written.
    public var specRule: String {
        switch self {
        case .nonCanonicalAddress: "§4.4.1"
        case .noMemoryForEntry: "§4.3.2 step 2"
        case .noMemoryAt: "§3.6"
        case .invalidEntry, .writableWithoutReadable, .reservedUpperBits: "§4.3.2 step 3"
        case .reservedFlagsInNonLeaf: "§4.3.1 / §4.3.2 step 3"
        case .pointerAtLevelZero: "§4.3.2 step 4"
        case .permissionDenied: "§4.3.2 step 5"
        case .misalignedSuperpage: "§4.3.2 step 6"
        case .accessedBitClear, .dirtyBitClear: "§4.3.2 step 7"
        }
    }
}
