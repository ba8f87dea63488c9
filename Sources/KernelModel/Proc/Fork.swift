extension Kernel {
    /// xv6's `fork()`, for the parts that own memory: `allocproc`, then `uvmcopy` of the
    /// parent's memory into the child's table, then `release(&np->lock)`. Returns the child.
    ///
    /// If the copy fails, the half-built child (a local) is dropped: its memory, table,
    /// trapframe and slot, then its lock — xv6's `freeproc(np); release(&np->lock)`.
    public func fork(_ parent: borrowing Proc) throws(KernelError) -> Proc {
        enter("fork")
        defer { leave() }
        var child = try allocproc()
        child.proc.memory = try uvmcopy(from: parent.memory, into: child.proc.root)
        return release(child)
    }
}
