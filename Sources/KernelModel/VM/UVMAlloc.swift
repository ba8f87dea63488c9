import Sv39

extension Kernel {
    /// xv6's `uvmalloc(pagetable, oldsz, newsz, xperm)`: grows `memory` to `newSize` bytes
    /// with zeroed pages mapped `PTE_R | PTE_U | xperm`, and returns the new size (the old
    /// one when `newSize` is smaller).
    ///
    /// The new pages are collected in a range of their own and joined to `memory` only once
    /// all are in. On a failure that range's guard unmaps and frees them, top page first,
    /// and `memory` is exactly as it was: the C code's `uvmdealloc(pagetable, a, oldsz)`.
    @discardableResult
    public func uvmalloc(_ memory: inout UserMemory, to newSize: UInt64, extraPermissions: PTEFlags)
        throws(KernelError) -> UInt64
    {
        enter("uvmalloc")
        defer { leave() }
        let oldSize = memory.size
        guard newSize >= oldSize else { return oldSize }
        let start = Sv39.pageRoundUp(oldSize)
        precondition(start == memory.pages.end, "user memory ends at PGROUNDUP(size)")
        let permissions = PTEFlags([.readable, .user]).union(extraPermissions)

        var added = MappedRange(in: self, root: memory.root, start: start, ownsFrames: true)
        var va = start
        while va < newSize {
            var mem: OwnedFrame? = try OwnedFrame(allocatingIn: self, name: .userAddress(va))
            if let frame = mem?.address { zero(frame) }
            added.absorb(try mappages(root: memory.root, va: va, taking: &mem, permissions: permissions))
            va += Sv39.pageSize
        }
        memory.pages.absorb(added)
        memory.size = newSize
        return newSize
    }
}
