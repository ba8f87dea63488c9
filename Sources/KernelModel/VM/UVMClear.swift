import Sv39

extension Kernel {
    /// xv6's `uvmclear(pagetable, va)`: takes PTE_U off the page at `va`, which `exec` does
    /// to the guard page below the user stack so that running off the stack faults.
    public func uvmclear(root: PhysicalAddress, _ va: UInt64) throws(KernelError) {
        guard let slot = try walk(root: root, va: va, alloc: false) else { throw panic("uvmclear", cAddress(va)) }
        var leaf = entry(at: slot)
        leaf.flags.remove(.user)
        setEntry(leaf, at: slot)
    }
}
