/// The low eight bits of a PTE (§4.3.1, Figure "Sv32 page table entry", shared by Sv39).
///
/// V says the entry is valid; R, W, X say what a leaf allows (all three clear means the entry
/// points to the next level); U makes a page accessible to user mode; G marks a global
/// mapping; A and D record access and writes.
public struct PTEFlags: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let valid = PTEFlags(rawValue: 1 << 0)
    public static let readable = PTEFlags(rawValue: 1 << 1)
    public static let writable = PTEFlags(rawValue: 1 << 2)
    public static let executable = PTEFlags(rawValue: 1 << 3)
    public static let user = PTEFlags(rawValue: 1 << 4)
    public static let global = PTEFlags(rawValue: 1 << 5)
    public static let accessed = PTEFlags(rawValue: 1 << 6)
    public static let dirty = PTEFlags(rawValue: 1 << 7)

    /// R, W and X together: all clear marks a pointer to the next level.
    public static let permissions: PTEFlags = [.readable, .writable, .executable]

    /// The bits that are reserved in a non-leaf PTE (§4.3.1: "For non-leaf PTEs, the D, A,
    /// and U bits are reserved for future standard use").
    public static let reservedInNonLeaf: PTEFlags = [.dirty, .accessed, .user]

    /// Letters in xv6's `vmprint` order, a dash for each clear bit: "DAGUXWRV".
    public var description: String {
        let letters: [(PTEFlags, Character)] = [
            (.dirty, "D"), (.accessed, "A"), (.global, "G"), (.user, "U"),
            (.executable, "X"), (.writable, "W"), (.readable, "R"), (.valid, "V"),
        ]
        return String(letters.map { contains($0.0) ? $0.1 : "-" })
    }
}
