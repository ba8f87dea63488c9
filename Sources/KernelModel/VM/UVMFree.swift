extension Kernel {
    /// xv6's `uvmfree(pagetable, sz)`: unmaps and frees the user memory, then frees the
    /// table. Written out only to name the step: the parameters' guards do it, memory first
    /// because it was acquired after the table.
    public func uvmfree(_ pagetable: consuming PageTable, _ memory: consuming UserMemory) {
        enter("uvmfree")
        defer { leave() }
        _ = consume memory
        _ = consume pagetable
    }

    /// xv6's `uvmunmap(pagetable, va, npages, do_free)` for a range this code holds.
    public func uvmunmap(_ range: consuming MappedRange) {
        _ = consume range
    }
}
