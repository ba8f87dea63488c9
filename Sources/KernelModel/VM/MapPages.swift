import Sv39

extension Kernel {
    /// xv6's `mappages` for frames the caller does not own (the trampoline, a trapframe,
    /// device memory): maps `[va, va + size)` to `[physical, physical + size)`.
    ///
    /// Unlike the C function, a failure part-way leaves nothing mapped: the pages mapped so
    /// far belong to the range under construction, whose guard unmaps them.
    func mappages(root: PhysicalAddress, va: UInt64, size: UInt64, physical: PhysicalAddress,
                  permissions: PTEFlags, label: GuardName?, source: String) throws(KernelError) -> MappedRange
    {
        enter("mappages")
        defer { leave() }
        try checkMappagesArguments(va: va, size: size)
        precondition(label == nil || size == Sv39.pageSize, "a labelled mapping is one page")
        try checkInjection("mappages")
        var range = MappedRange(in: self, root: root, start: va, ownsFrames: false, label: label)
        var offset: UInt64 = 0
        while offset < size {
            let statement = "mappages(pagetable, \(cAddress(va)), \(sizeExpression(size)), \(source), \(permissions.cExpression))"
            try range.append(borrowed: physical.advanced(by: offset), permissions: permissions, statement: statement)
            offset += Sv39.pageSize
        }
        return range
    }

    /// xv6's `mappages(pagetable, va, PGSIZE, (uint64)mem, perm)` for a frame the caller
    /// owns. On success the mapping takes the frame (`frame` becomes nil) and frees it when
    /// unmapped; on failure `frame` is left with the caller, whose scope frees it — as the C
    /// callers `kfree(mem)` themselves.
    func mappages(root: PhysicalAddress, va: UInt64, taking frame: inout OwnedFrame?,
                  permissions: PTEFlags, permissionsExpression: String? = nil) throws(KernelError) -> MappedRange
    {
        enter("mappages")
        defer { leave() }
        try checkMappagesArguments(va: va, size: Sv39.pageSize)
        precondition(frame != nil, "mappages needs a frame to take")
        try checkInjection("mappages")
        guard let physical = frame?.address else { preconditionFailure("checked above") }
        try installLeaf(root: root, va: va, frame: physical, permissions: permissions)
        var range = MappedRange(in: self, root: root, start: va, ownsFrames: true)
        let perm = permissionsExpression ?? permissions.cExpression
        let statement = "mappages(pagetable, \(cAddress(va)), PGSIZE, (uint64)mem, \(perm))"
        range.recordInstalled(frame: frame.take()!, statement: statement)
        return range
    }

    /// Maps borrowed memory into `pagetable`; see `mappages(root:va:size:physical:...)`.
    public func mappages(_ pagetable: borrowing PageTable, va: UInt64, size: UInt64,
                         physical: PhysicalAddress, permissions: PTEFlags) throws(KernelError) -> MappedRange
    {
        try mappages(root: pagetable.root, va: va, size: size, physical: physical, permissions: permissions,
                     label: nil, source: "pa")
    }

    /// Maps one owned frame into `pagetable`, taking it on success.
    public func mappages(_ pagetable: borrowing PageTable, va: UInt64, taking frame: inout OwnedFrame?,
                         permissions: PTEFlags) throws(KernelError) -> MappedRange
    {
        try mappages(root: pagetable.root, va: va, taking: &frame, permissions: permissions)
    }

    /// A frame for the caller to own: `kalloc()` behind a guard.
    public func kalloc(name: StaticString = "mem") throws(KernelError) -> OwnedFrame {
        try OwnedFrame(allocatingIn: self, name: .fixed(name))
    }

    /// xv6's argument panics: `va` and `size` page-aligned, `size` not zero.
    private func checkMappagesArguments(va: UInt64, size: UInt64) throws(KernelError) {
        guard va % Sv39.pageSize == 0 else { throw panic("mappages: va not aligned", cAddress(va)) }
        guard size % Sv39.pageSize == 0 else { throw panic("mappages: size not aligned", "\(size)") }
        guard size != 0 else { throw panic("mappages: size") }
    }

    private func sizeExpression(_ size: UInt64) -> String {
        size == Sv39.pageSize ? "PGSIZE" : "0x" + String(size, radix: 16)
    }
}
