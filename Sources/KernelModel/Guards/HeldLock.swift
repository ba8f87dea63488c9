/// A held `p->lock`: from `acquire(&p->lock)` until `release(&p->lock)` in `deinit`.
public struct HeldLock: ~Copyable {
    private let reference: KernelReference
    public let slot: Int

    /// `acquire(&proc[slot].lock)`. Acquiring a lock this hart holds is xv6's
    /// panic("acquire").
    init(acquiring slot: Int, in kernel: Kernel) throws(KernelError) {
        guard !kernel.processTable.slots[slot].locked else {
            throw kernel.panic("acquire", "proc[\(slot)].lock is already held")
        }
        kernel.processTable.slots[slot].locked = true
        reference = KernelReference(kernel)
        self.slot = slot
        kernel.traceAcquire(.spinlock(slot: slot), GuardName.ofProcess(slot: slot, "lock").resource(.spinlock),
                            call: "acquire", statement: "acquire(&p->lock)")
    }

    deinit {
        let kernel = reference.kernel
        if kernel.processTable.slots[slot].locked {
            kernel.processTable.slots[slot].locked = false
        } else {
            kernel.record(KernelPanic("release", detail: "proc[\(slot)].lock is not held"))
        }
        kernel.traceRelease(.spinlock(slot: slot), GuardName.ofProcess(slot: slot, "lock").resource(.spinlock),
                            call: "release", statement: "release(&p->lock)")
        reference.relinquish()
    }
}
