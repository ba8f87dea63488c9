import Sv39

/// The resources of one process, as `struct proc` holds them: the slot (state USED, pid),
/// the trapframe frame, the page table, and the user memory.
///
/// Declared in the reverse of the order `allocproc`, `exec` and `fork` acquire them
/// (Swift destroys stored properties in declaration order), so dropping a `Proc` is
/// `freeproc`: memory, page table, trapframe, then the slot back to UNUSED. xv6's C
/// `freeproc` frees the trapframe before unmapping it; here the mapping goes first.
public struct Proc: ~Copyable {
    public var memory: UserMemory
    public var pagetable: ProcPageTable
    public var trapframe: OwnedFrame
    public var slot: ProcSlot

    public var root: PhysicalAddress { pagetable.root }
    /// `p->sz`.
    public var size: UInt64 { memory.size }
    public var pid: Int { slot.pid }
}

/// A process together with its held `p->lock`, as `allocproc` returns it. The lock is
/// declared last so that it is released after everything else.
public struct LockedProc: ~Copyable {
    public var proc: Proc
    public var lock: HeldLock
}
