import Sv39

/// A process's user memory: `size` bytes from address 0, held as one owning range whose end
/// is `PGROUNDUP(size)`. This is what xv6 tracks as `p->sz`, with the pages themselves.
public struct UserMemory: ~Copyable {
    public internal(set) var pages: MappedRange
    public internal(set) var size: UInt64

    /// No memory yet, in the table rooted at `root`.
    init(emptyIn kernel: Kernel, root: PhysicalAddress) {
        pages = MappedRange(in: kernel, root: root, start: 0, ownsFrames: true)
        size = 0
    }

    public var root: PhysicalAddress { pages.root }
}

extension Kernel {
    /// Empty user memory for `pagetable`, to grow with `uvmalloc`.
    public func emptyUserMemory(in pagetable: borrowing PageTable) -> UserMemory {
        UserMemory(emptyIn: self, root: pagetable.root)
    }
}
