import Sv39

extension Kernel {
    /// The body of xv6's `mappages` loop for one page: find (or build) the slot and write
    /// the leaf. Remapping a valid leaf is xv6's panic("mappages: remap").
    func installLeaf(root: PhysicalAddress, va: UInt64, frame: PhysicalAddress, permissions: PTEFlags)
        throws(KernelError)
    {
        guard let slot = try walk(root: root, va: va, alloc: true) else {
            throw .outOfMemory(site: "walk")
        }
        guard !entry(at: slot).isValid else { throw panic("mappages: remap", "va \(cAddress(va))") }
        setEntry(PageTableEntry(ppn: frame.ppn, flags: permissions.union(.valid)), at: slot)
    }
}
