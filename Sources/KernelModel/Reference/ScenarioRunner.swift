import Sv39

/// Runs a scenario on a freshly booted kernel under a fault plan: setup, the call, then a
/// teardown that gives back everything, so that the run can be judged as a whole.
public struct ScenarioRunner: Sendable {
    public var configuration: KernelConfiguration

    public init(configuration: KernelConfiguration = .small) {
        self.configuration = configuration
    }

    public func run(_ scenario: PathScenario, plan: FaultPlan = .none) throws(ScenarioError) -> PathRun {
        let kernel: Kernel
        do {
            kernel = try Kernel(configuration: configuration)
        } catch {
            throw .boot(error)
        }
        let framesAtStart = kernel.allocator.liveFrameCount
        var window = CallWindow(kernel: kernel)
        let outcome: PathOutcome
        switch scenario {
        case .uvmcreate:
            outcome = runUVMCreate(kernel, &window, plan)
        case .mappages(let va, let pages):
            outcome = try runMappages(kernel, &window, plan, va: va, pages: pages)
        case .uvmalloc(let oldSize, let newSize):
            outcome = try runUVMAlloc(kernel, &window, plan, from: oldSize, to: newSize)
        case .uvmcopy(let size):
            outcome = try runUVMCopy(kernel, &window, plan, size: size)
        case .procPagetable:
            outcome = try runProcPagetable(kernel, &window, plan)
        case .allocproc(let busySlots):
            outcome = try runAllocproc(kernel, &window, plan, busySlots: busySlots)
        case .fork(let parentSize):
            outcome = try runFork(kernel, &window, plan, parentSize: parentSize)
        case .exec(let program, let arguments, let oldSize):
            outcome = try runExec(kernel, &window, plan, program: program, arguments: arguments, oldSize: oldSize)
        }
        return PathRun(
            scenario: scenario, plan: plan, outcome: outcome,
            events: kernel.trace.events,
            callEvents: window.start..<window.end,
            teardownEvents: window.end..<kernel.trace.events.count,
            reachablePoints: window.reachable, firedPoints: window.fired,
            liveFramesAtStart: framesAtStart, liveFramesAtEnd: kernel.allocator.liveFrameCount,
            allocatorErrors: kernel.allocator.errors, panics: kernel.panics,
            anomalies: kernel.trace.anomalies, heldAtEnd: kernel.trace.heldResources)
    }
}
