/// A `kfree` that xv6 would panic on (or, for a double free, silently corrupt its free list
/// over). The allocator refuses it, records it, and reports it with xv6's panic string so a
/// run can be compared with the C kernel's behaviour.
public enum FrameAllocatorError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Not page aligned (xv6: `(uint64)pa % PGSIZE != 0`).
    case misaligned(PhysicalAddress, site: String)
    /// Outside physical memory (xv6: `pa < end || pa >= PHYSTOP`).
    case outsideMemory(PhysicalAddress, site: String)
    /// Freed before, and not allocated since.
    case doubleFree(PhysicalAddress, site: String)
    /// A frame that has been on the free list since boot.
    case neverAllocated(PhysicalAddress, site: String)

    /// The string xv6 panics with.
    public var panicMessage: String { "kfree" }

    public var address: PhysicalAddress {
        switch self {
        case .misaligned(let pa, _), .outsideMemory(let pa, _), .doubleFree(let pa, _), .neverAllocated(let pa, _): pa
        }
    }

    public var description: String {
        switch self {
        case .misaligned(let pa, let site): "panic: \(panicMessage) (misaligned \(pa), from \(site))"
        case .outsideMemory(let pa, let site): "panic: \(panicMessage) (\(pa) outside memory, from \(site))"
        case .doubleFree(let pa, let site): "panic: \(panicMessage) (double free of \(pa), from \(site))"
        case .neverAllocated(let pa, let site): "panic: \(panicMessage) (\(pa) was never allocated, from \(site))"
        }
    }
}
