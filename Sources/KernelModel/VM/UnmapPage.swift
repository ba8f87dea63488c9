import Sv39

extension Kernel {
    /// xv6's `uvmunmap(pagetable, va, 1, do_free)` for one page, with its panics. Traces the
    /// mapping's release and, with `freeing`, the frame's (the frame was acquired before
    /// the mapping that took it, so it goes after).
    func unmapPage(root: PhysicalAddress, va: UInt64, freeing: Bool, name: GuardName) {
        enter("uvmunmap")
        defer { leave() }
        guard va % Sv39.pageSize == 0 else {
            record(KernelPanic("uvmunmap: not aligned", detail: cAddress(va)))
            return
        }
        guard let slot = try? walk(root: root, va: va, alloc: false) else {
            record(KernelPanic("uvmunmap: walk", detail: cAddress(va)))
            return
        }
        let leaf = entry(at: slot)
        guard leaf.isValid else {
            record(KernelPanic("uvmunmap: not mapped", detail: cAddress(va)))
            return
        }
        // xv6: PTE_FLAGS(*pte) == PTE_V, the low ten bits, means a pointer to a table.
        guard leaf.rawValue & 0x3FF != UInt64(PTEFlags.valid.rawValue) else {
            record(KernelPanic("uvmunmap: not a leaf", detail: cAddress(va)))
            return
        }
        traceRelease(.mapping(root: root, va: va), name.resource(.mapping), call: "uvmunmap",
                     statement: "uvmunmap(pagetable, \(cAddress(va)), 1, \(freeing ? 1 : 0))")
        if freeing {
            let frame = leaf.physicalAddress
            traceRelease(.page(frame), name.resource(.page), call: "kfree", statement: "kfree((void*)pa)")
            kfree(frame, site: "uvmunmap")
        }
        setEntry(.invalid, at: slot)
    }
}
