import Sv39

extension Kernel {
    /// xv6's `walk(pagetable, va, alloc)`: the address of the level-0 PTE slot for `va`,
    /// creating missing interior tables when `alloc` is set. Returns nil when a level is
    /// missing and `alloc` is clear; throws `outOfMemory` when creating one fails. Interior
    /// tables belong to the page table from then on and go back only through `freewalk`.
    ///
    /// Like xv6 it treats every valid PTE above level 0 as a pointer: it never builds
    /// superpages, and the hardware rules for them live in `MMU`.
    func walk(root: PhysicalAddress, va: UInt64, alloc: Bool) throws(KernelError) -> PhysicalAddress? {
        enter("walk")
        defer { leave() }
        guard va < XV6Layout.maxVA else { throw panic("walk", "va \(cAddress(va)) >= MAXVA") }
        let address = VirtualAddress(va)
        var table = root
        for level in stride(from: Sv39.levels - 1, to: 0, by: -1) {
            let slot = table.advanced(by: address.vpn(level) * Sv39.pteSize)
            let current = entry(at: slot)
            if current.isValid {
                table = current.physicalAddress
                continue
            }
            guard alloc else { return nil }
            let next = try kalloc(site: "walk")
            // A fresh level must read as "nothing mapped" before it is linked in.
            zero(next)
            setEntry(PageTableEntry(ppn: next.ppn, flags: .valid), at: slot)
            table = next
        }
        return table.advanced(by: address.vpn(0) * Sv39.pteSize)
    }

    /// `walk` on a table guard.
    public func walk(_ pagetable: borrowing PageTable, _ va: UInt64, alloc: Bool) throws(KernelError)
        -> PhysicalAddress?
    {
        try walk(root: pagetable.root, va: va, alloc: alloc)
    }

    /// xv6's `walkaddr`: the frame mapped at `va` for user access, or nil when the page is
    /// missing, invalid or lacks PTE_U.
    public func walkaddr(root: PhysicalAddress, _ va: UInt64) -> PhysicalAddress? {
        guard va < XV6Layout.maxVA, let slot = try? walk(root: root, va: va, alloc: false) else { return nil }
        let leaf = entry(at: slot)
        guard leaf.isValid, leaf.flags.contains(.user) else { return nil }
        return leaf.physicalAddress
    }

    /// The leaf PTE currently at `va`, if its slot exists (for inspection and tests).
    public func leafEntry(root: PhysicalAddress, _ va: UInt64) -> PageTableEntry? {
        guard va < XV6Layout.maxVA, let slot = try? walk(root: root, va: va, alloc: false) else { return nil }
        return entry(at: slot)
    }
}
