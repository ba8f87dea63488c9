import Sv39

/// Consecutive leaf mappings `[start, end)` in one page table, removed by `uvmunmap` in
/// `deinit`, from the top page down, so pages go in the reverse of the order they came.
///
/// A range either owns its frames (user memory: unmapping frees them, `do_free = 1`) or
/// borrows them (the trampoline and the trapframe: `do_free = 0`). The table must outlive the
/// range; it does when the range is acquired after the table, and if it did not, `freewalk`
/// would refuse to free a table still holding these leaves, so unmapping never walks freed
/// memory.
public struct MappedRange: ~Copyable {
    private let reference: KernelReference
    public let root: PhysicalAddress
    public let start: UInt64
    public private(set) var end: UInt64
    public let ownsFrames: Bool
    /// A fixed name (TRAMPOLINE) for a one-page range; nil names pages by address.
    let label: GuardName?

    /// An empty range at `start`, ready to grow.
    init(in kernel: Kernel, root: PhysicalAddress, start: UInt64, ownsFrames: Bool, label: GuardName? = nil) {
        reference = KernelReference(kernel)
        self.root = root
        self.start = start
        self.end = start
        self.ownsFrames = ownsFrames
        self.label = label
    }

    public var isEmpty: Bool { start == end }
    public var pageCount: Int { Int((end - start) / Sv39.pageSize) }

    func name(of va: UInt64) -> GuardName { label ?? .userAddress(va) }

    /// Records that `frame` has been installed at `end` (by `installLeaf`) and is now owned
    /// by this range, which frees it when it unmaps the page.
    mutating func recordInstalled(frame: consuming OwnedFrame, statement: String) {
        precondition(ownsFrames, "a borrowing range cannot take a frame")
        _ = frame.handOver()
        reference.kernel.traceAcquire(.mapping(root: root, va: end), name(of: end).resource(.mapping),
                                      call: "mappages", statement: statement)
        end += Sv39.pageSize
    }

    /// Maps the borrowed frame `frame` at `end`.
    mutating func append(borrowed frame: PhysicalAddress, permissions: PTEFlags, statement: String)
        throws(KernelError)
    {
        precondition(!ownsFrames, "an owning range needs an OwnedFrame")
        let kernel = reference.kernel
        try kernel.installLeaf(root: root, va: end, frame: frame, permissions: permissions)
        kernel.traceAcquire(.mapping(root: root, va: end), name(of: end).resource(.mapping),
                            call: "mappages", statement: statement)
        end += Sv39.pageSize
    }

    /// Takes over `above`, which must start where this range ends, in the same table and
    /// with the same ownership. Nothing is unmapped.
    mutating func absorb(_ above: consuming MappedRange) {
        precondition(above.root == root && above.start == end && above.ownsFrames == ownsFrames,
                     "only a contiguous range of the same kind can be absorbed")
        end = above.dissolve()
    }

    /// Unmaps the pages above `newEnd`, top first (`uvmdealloc`).
    mutating func shrink(to newEnd: UInt64) {
        precondition(newEnd >= start && newEnd <= end && newEnd % Sv39.pageSize == 0)
        let kernel = reference.kernel
        while end > newEnd {
            end -= Sv39.pageSize
            kernel.unmapPage(root: root, va: end, freeing: ownsFrames, name: name(of: end))
        }
    }

    /// Ends the guard without unmapping, returning its end.
    private consuming func dissolve() -> UInt64 {
        let top = end
        reference.relinquish()
        discard self
        return top
    }

    deinit {
        let kernel = reference.kernel
        var va = end
        while va > start {
            va -= Sv39.pageSize
            kernel.unmapPage(root: root, va: va, freeing: ownsFrames, name: name(of: va))
        }
        reference.relinquish()
    }
}
