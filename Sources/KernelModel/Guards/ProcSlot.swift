/// A proc-table slot in state USED, with its pid: claimed by `allocproc`, returned to
/// UNUSED by the end of `freeproc` in `deinit`.
public struct ProcSlot: ~Copyable {
    private let reference: KernelReference
    public let index: Int
    public let pid: Int

    /// `p->pid = allocpid(); p->state = USED;` on an UNUSED slot whose lock is held.
    init(claiming index: Int, in kernel: Kernel) {
        precondition(kernel.processTable.slots[index].state == .unused, "allocproc claims UNUSED slots only")
        precondition(kernel.processTable.slots[index].locked, "allocproc holds p->lock")
        let pid = kernel.allocpid()
        kernel.processTable.slots[index].state = .used
        kernel.processTable.slots[index].pid = pid
        reference = KernelReference(kernel)
        self.index = index
        self.pid = pid
        kernel.traceAcquire(.proc(slot: index), GuardName.ofProcess(slot: index, "").resource(.proc),
                            call: "allocproc", statement: "p->state = USED", function: "allocproc")
    }

    deinit {
        let kernel = reference.kernel
        kernel.processTable.slots[index].state = .unused
        kernel.processTable.slots[index].pid = 0
        kernel.traceRelease(.proc(slot: index), GuardName.ofProcess(slot: index, "").resource(.proc),
                            call: "freeproc", statement: "p->state = UNUSED")
        reference.relinquish()
    }
}
