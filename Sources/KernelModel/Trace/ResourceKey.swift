import Sv39

/// What makes a held resource unique while it is held, so that a release is matched with
/// the right acquisition even when display names repeat: a frame by its address, a table by
/// its root, a mapping by (table, virtual address), a lock or slot by its index.
enum ResourceKey: Hashable, Sendable {
    case page(PhysicalAddress)
    case pagetable(PhysicalAddress)
    case mapping(root: PhysicalAddress, va: UInt64)
    case spinlock(slot: Int)
    case proc(slot: Int)
}
