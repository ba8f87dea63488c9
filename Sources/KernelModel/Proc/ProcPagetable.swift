import Sv39

extension Kernel {
    /// xv6's `proc_pagetable(p)`: a fresh table with the trampoline mapped at TRAMPOLINE
    /// (R-X) and the trapframe `trapframe` at TRAPFRAME (RW-), neither user-accessible.
    ///
    /// The three guards are locals in acquisition order, so whichever step fails, the
    /// ones before it are undone in reverse by scope: the second `mappages` failing unmaps
    /// TRAMPOLINE and then frees the table, xv6's `uvmunmap(pagetable, TRAMPOLINE, 1, 0);
    /// uvmfree(pagetable, 0)`.
    ///
    /// TRAMPOLINE and TRAPFRAME share their level-1 and level-0 tables, so once the first
    /// mapping is in, the second needs no allocation: its failure is reachable only by
    /// failing that `mappages` call itself (named-operation injection).
    public func proc_pagetable(slot: Int, trapframe: PhysicalAddress) throws(KernelError) -> ProcPageTable {
        enter("proc_pagetable")
        defer { leave() }
        let table = try PageTable(creatingIn: self, name: .fixed("pagetable"))
        let trampolineMapping = try mappages(
            root: table.root, va: XV6Layout.trampoline, size: Sv39.pageSize, physical: trampoline,
            permissions: XV6Layout.trampolinePermissions, label: .fixed("TRAMPOLINE"), source: "(uint64)trampoline")
        let trapframeMapping = try mappages(
            root: table.root, va: XV6Layout.trapframe, size: Sv39.pageSize, physical: trapframe,
            permissions: XV6Layout.trapframePermissions, label: .fixed("TRAPFRAME"), source: "(uint64)(p->trapframe)")
        return ProcPageTable(trapframeMapping: trapframeMapping, trampolineMapping: trampolineMapping, table: table)
    }

    /// xv6's `proc_freepagetable(pagetable, sz)`: user memory, then the two borrowed
    /// mappings (without freeing their frames), then the table. (The C function unmaps
    /// TRAMPOLINE before TRAPFRAME; the two are independent, and here the order is the
    /// reverse of acquisition.)
    public func proc_freepagetable(_ pagetable: consuming ProcPageTable, _ memory: consuming UserMemory) {
        enter("proc_freepagetable")
        defer { leave() }
        _ = consume memory
        _ = consume pagetable
    }
}
