import Sv39

/// Brackets the call under test: arms the fault plan as the call starts (so failure points
/// count from it), and notes where its events begin and end and which points it passed.
struct CallWindow {
    let kernel: Kernel
    private(set) var start = 0
    private(set) var end = 0
    private(set) var reachable: [FailurePoint] = []
    private(set) var fired: [FailurePoint] = []

    init(kernel: Kernel) { self.kernel = kernel }

    /// The name the call's own acquisitions and releases are attributed to.
    static let callerFrame = "caller"

    mutating func open(_ plan: FaultPlan) {
        kernel.allocator.arm(plan)
        kernel.enter(CallWindow.callerFrame)
        start = kernel.trace.events.count
    }

    mutating func close() {
        kernel.leave()
        end = kernel.trace.events.count
        reachable = kernel.allocator.injector.reachablePoints
        fired = kernel.allocator.injector.fired
        kernel.allocator.arm(.none)
    }
}
