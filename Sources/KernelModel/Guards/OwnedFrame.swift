import Sv39

/// A physical frame this code owns: from `kalloc()` until `kfree()` in `deinit`.
///
/// `handOver()` ends the guard without freeing, when ownership moves elsewhere — into a
/// mapping, which frees the frame when it is unmapped (xv6: `mappages` takes `mem`).
public struct OwnedFrame: ~Copyable {
    private let reference: KernelReference
    public let address: PhysicalAddress
    let name: GuardName

    /// `kalloc()`, or throws `outOfMemory` when it returns 0.
    init(allocatingIn kernel: Kernel, name: GuardName) throws(KernelError) {
        let site = kernel.caller(of: "kalloc")
        let frame = try kernel.kalloc(site: site)
        reference = KernelReference(kernel)
        address = frame
        self.name = name
        kernel.traceAcquire(.page(frame), name.resource(.page), call: "kalloc",
                            statement: "\(name.cExpression) = kalloc()")
    }

    /// Ends the guard without freeing the frame; the caller now answers for it.
    consuming func handOver() -> PhysicalAddress {
        let frame = address
        reference.relinquish()
        discard self
        return frame
    }

    deinit {
        let kernel = reference.kernel
        kernel.traceRelease(.page(address), name.resource(.page), call: "kfree",
                            statement: "kfree(\(name.cExpression))")
        kernel.kfree(address, site: kernel.caller(of: "kfree"))
        reference.relinquish()
    }
}
