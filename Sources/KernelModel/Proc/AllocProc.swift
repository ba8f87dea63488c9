import Sv39

extension Kernel {
    /// xv6's `allocproc()`: finds an UNUSED slot (holding each slot's lock while it looks),
    /// claims it, gives it a trapframe and a `proc_pagetable`, and returns it with
    /// `p->lock` held. Throws `noFreeProcess` when every slot is in use.
    ///
    /// Lock, slot, trapframe and table are locals in acquisition order, so a failure
    /// releases them in reverse — xv6's `freeproc(p); release(&p->lock)`.
    public func allocproc() throws(KernelError) -> LockedProc {
        enter("allocproc")
        defer { leave() }
        for index in processTable.slots.indices {
            let lock = try HeldLock(acquiring: index, in: self)
            guard processTable.slots[index].state == .unused else { continue }
            let slot = ProcSlot(claiming: index, in: self)
            let trapframe = try OwnedFrame(allocatingIn: self, name: .ofProcess(slot: index, "trapframe"))
            let pagetable = try proc_pagetable(slot: index, trapframe: trapframe.address)
            let memory = UserMemory(emptyIn: self, root: pagetable.root)
            let proc = Proc(memory: memory, pagetable: pagetable, trapframe: trapframe, slot: slot)
            return LockedProc(proc: proc, lock: lock)
        }
        throw .noFreeProcess
    }

    /// xv6's `freeproc(p)` followed by the caller's `release(&p->lock)`: everything the
    /// process holds, in the reverse of the order it was acquired, then the lock.
    public func freeproc(_ locked: consuming LockedProc) {
        enter("freeproc")
        drop(locked.proc)
        leave()
    }

    /// `release(&p->lock)`: the caller keeps the process.
    public func release(_ locked: consuming LockedProc) -> Proc {
        let proc = locked.proc
        return proc
    }

    /// `acquire(&p->lock)` on a process the caller holds.
    public func acquire(_ proc: consuming Proc) throws(KernelError) -> LockedProc {
        let lock = try HeldLock(acquiring: proc.slot.index, in: self)
        return LockedProc(proc: proc, lock: lock)
    }

    private func drop(_ proc: consuming Proc) {
        _ = consume proc
    }
}
