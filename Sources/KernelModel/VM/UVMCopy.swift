import Sv39

extension Kernel {
    /// xv6's `uvmcopy(old, new, sz)`: gives `pagetable` a private copy of `source` — fresh
    /// frames, same bytes, same PTE flags — and returns it as the new table's user memory.
    ///
    /// On a failure the pages copied so far are unmapped and freed, top first, by the guard
    /// of the range being built (xv6: `uvmunmap(new, 0, i / PGSIZE, 1)`); the interior tables
    /// `walk` made stay in `pagetable` for its owner to free.
    public func uvmcopy(from source: borrowing UserMemory, into pagetable: borrowing PageTable)
        throws(KernelError) -> UserMemory
    {
        try uvmcopy(from: source, into: pagetable.root)
    }

    func uvmcopy(from source: borrowing UserMemory, into root: PhysicalAddress) throws(KernelError) -> UserMemory {
        enter("uvmcopy")
        defer { leave() }
        var copy = UserMemory(emptyIn: self, root: root)
        var va: UInt64 = 0
        while va < source.size {
            guard let slot = try walk(root: source.root, va: va, alloc: false) else {
                throw panic("uvmcopy: pte should exist", cAddress(va))
            }
            let original = entry(at: slot)
            guard original.isValid else { throw panic("uvmcopy: page not present", cAddress(va)) }
            var mem: OwnedFrame? = try OwnedFrame(allocatingIn: self, name: .userAddress(va))
            if let frame = mem?.address { copyFrame(from: original.physicalAddress, to: frame) }
            copy.pages.absorb(try mappages(root: root, va: va, taking: &mem, permissions: original.flags,
                                           permissionsExpression: "flags"))
            va += Sv39.pageSize
        }
        copy.size = source.size
        return copy
    }

    /// `memmove(mem, (char*)pa, PGSIZE)` between two frames of physical memory.
    func copyFrame(from source: PhysicalAddress, to destination: PhysicalAddress) {
        do {
            try memory.copy(from: source, to: destination, count: Int(Sv39.pageSize))
        } catch {
            preconditionFailure("kernel copied a frame outside memory: \(error)")
        }
    }
}
