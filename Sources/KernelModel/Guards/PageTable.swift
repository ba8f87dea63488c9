import Sv39

/// A user page table: its root frame and every interior table `walk` hangs below it.
///
/// Released by `freewalk`, which first requires that no leaf is left (xv6 panics
/// "freewalk: leaf"): mappings are separate guards that must be gone first, and in this
/// model they are, because they are acquired later and so destroyed earlier. If a leaf is
/// found the table is left allocated and the panic recorded, so a leak shows in the ledger.
public struct PageTable: ~Copyable {
    private let reference: KernelReference
    public let root: PhysicalAddress
    let name: GuardName

    /// `uvmcreate()`: one zeroed frame.
    init(creatingIn kernel: Kernel, name: GuardName) throws(KernelError) {
        kernel.enter("uvmcreate")
        defer { kernel.leave() }
        let frame = try kernel.kalloc(site: "uvmcreate")
        kernel.zero(frame)
        reference = KernelReference(kernel)
        root = frame
        self.name = name
        kernel.traceAcquire(.pagetable(frame), name.resource(.pagetable), call: "uvmcreate",
                            statement: "\(name.cExpression) = uvmcreate()")
    }

    deinit {
        let kernel = reference.kernel
        kernel.traceRelease(.pagetable(root), name.resource(.pagetable), call: "uvmfree",
                            statement: "uvmfree(\(name.cExpression), 0)")
        kernel.freewalk(root)
        reference.relinquish()
    }
}
