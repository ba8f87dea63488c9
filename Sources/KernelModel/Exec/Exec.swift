import Sv39

extension Kernel {
    /// The memory-owning part of xv6's `exec(path, argv)`: builds a new image — a
    /// `proc_pagetable`, every loadable segment, a guard page and USERSTACK stack pages, the
    /// argument strings and the argv array — and only when nothing can fail any more swaps
    /// it into `p` and frees the old one.
    ///
    /// The new table and memory are locals, so any failure (`goto bad` in C) drops them:
    /// memory first, then the mappings and the table — `proc_freepagetable(pagetable, sz)`.
    public func exec(_ p: inout Proc, _ program: ProgramImage, arguments: [String]) throws(KernelError)
        -> ExecResult
    {
        enter("exec")
        defer { leave() }
        var pagetable = try proc_pagetable(slot: p.slot.index, trapframe: p.trapframe.address)
        var memory = UserMemory(emptyIn: self, root: pagetable.root)

        for segment in program.segments {
            try checkSegment(segment)
            try uvmalloc(&memory, to: segment.virtualAddress + segment.memorySize,
                         extraPermissions: flags2perm(segment.flags))
            try loadseg(root: pagetable.root, va: segment.virtualAddress, file: program.file,
                        offset: segment.fileOffset, size: segment.fileSize)
        }

        // The stack: a guard page, then USERSTACK pages, from the next page boundary.
        let stackFloor = Sv39.pageRoundUp(memory.size)
        try uvmalloc(&memory, to: stackFloor + (XV6Layout.userStackPages + 1) * Sv39.pageSize,
                     extraPermissions: .writable)
        try uvmclear(root: pagetable.root, memory.size - (XV6Layout.userStackPages + 1) * Sv39.pageSize)
        let stackPointer = try pushArguments(arguments, root: pagetable.root, top: memory.size)

        // Commit: the new image goes into `p`, and the old one into the locals, whose
        // scope ends here — xv6's `proc_freepagetable(oldpagetable, oldsz)`.
        swap(&p.memory, &memory)
        swap(&p.pagetable, &pagetable)
        proc_freepagetable(pagetable, memory)
        return ExecResult(argc: arguments.count, stackPointer: stackPointer, entry: program.entry, size: p.size)
    }

    /// The checks xv6 makes on each program header before mapping it.
    private func checkSegment(_ segment: ProgramSegment) throws(KernelError) {
        guard segment.memorySize >= segment.fileSize else { throw .invalidProgram("memsz < filesz") }
        let (end, overflow) = segment.virtualAddress.addingReportingOverflow(segment.memorySize)
        guard !overflow else { throw .invalidProgram("segment wraps around") }
        guard segment.virtualAddress % Sv39.pageSize == 0 else { throw .invalidProgram("vaddr not page-aligned") }
        // xv6 leaves this to uvmalloc, which would run into TRAPFRAME and panic.
        guard end <= XV6Layout.trapframe else { throw .invalidProgram("segment reaches TRAPFRAME") }
    }

    /// xv6's `flags2perm`: the PTE bits beyond R and U that a segment asks for.
    func flags2perm(_ flags: SegmentFlags) -> PTEFlags {
        var permissions: PTEFlags = []
        if flags.contains(.executable) { permissions.insert(.executable) }
        if flags.contains(.writable) { permissions.insert(.writable) }
        return permissions
    }

    /// Copies the argument strings, 16-byte aligned, down from `top`, then the
    /// null-terminated argv array below them; returns the final stack pointer.
    private func pushArguments(_ arguments: [String], root: PhysicalAddress, top: UInt64) throws(KernelError)
        -> UInt64
    {
        let stackBase = top - XV6Layout.userStackPages * Sv39.pageSize
        var sp = top
        var pointers: [UInt64] = []
        for argument in arguments {
            guard pointers.count < XV6Layout.maxArguments else { throw .argumentsDoNotFit }
            let bytes = Array(argument.utf8) + [0]
            guard UInt64(bytes.count) <= sp - stackBase else { throw .argumentsDoNotFit }
            sp -= UInt64(bytes.count)
            sp -= sp % 16
            guard sp >= stackBase else { throw .argumentsDoNotFit }
            try copyout(root: root, to: sp, bytes)
            pointers.append(sp)
        }
        pointers.append(0)
        let table = pointers.flatMap { pointer in (0..<8).map { UInt8(truncatingIfNeeded: pointer >> (8 * $0)) } }
        guard UInt64(table.count) <= sp - stackBase else { throw .argumentsDoNotFit }
        sp -= UInt64(table.count)
        sp -= sp % 16
        guard sp >= stackBase else { throw .argumentsDoNotFit }
        try copyout(root: root, to: sp, table)
        return sp
    }
}
