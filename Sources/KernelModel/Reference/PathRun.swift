import Sv39

/// Everything one run of a scenario under one fault plan produced, and the verdict on it.
public struct PathRun: Sendable {
    public var scenario: PathScenario
    public var plan: FaultPlan
    public var outcome: PathOutcome
    /// The whole trace: setup, the call, teardown.
    public var events: [ResourceEvent]
    /// Where the call's events are in `events`; the teardown follows.
    public var callEvents: Range<Int>
    public var teardownEvents: Range<Int>
    /// Every failure point the call passed (counted under this run's plan).
    public var reachablePoints: [FailurePoint]
    /// The points that actually failed a call.
    public var firedPoints: [FailurePoint]
    /// Live frames after boot, and after the teardown.
    public var liveFramesAtStart: Int
    public var liveFramesAtEnd: Int
    public var allocatorErrors: [FrameAllocatorError]
    public var panics: [KernelPanic]
    public var anomalies: [TraceAnomaly]
    /// Resources still held after the teardown.
    public var heldAtEnd: [ResourceID]

    /// Acquisitions made by the call, in order.
    public var acquisitions: [(instance: Int, step: ResourceStep)] {
        events[callEvents].compactMap { if case .acquire(let n, let step) = $0 { (n, step) } else { nil } }
    }

    /// Releases made by the call, in order (including those of resources held before it).
    public var releases: [(instance: Int, step: ResourceStep)] {
        events[callEvents].compactMap { if case .release(let n, let step) = $0 { (n, step) } else { nil } }
    }

    /// The injected failure that stopped the call, if any.
    public var injectedFailure: InjectedFailure? {
        events[callEvents].lazy.compactMap { if case .failure(let failure) = $0 { failure } else { nil } }.first
    }

    public var disciplineViolations: [DisciplineViolation] {
        ReleaseDiscipline.violations(in: events, stretch: callEvents, failed: outcome.failed)
            + ReleaseDiscipline.violations(in: events, stretch: teardownEvents, failed: false)
    }

    /// Everything wrong with the run; empty means the model behaved as the reference must.
    public var problems: [String] {
        var found: [String] = []
        if liveFramesAtEnd != liveFramesAtStart {
            found.append("live frames \(liveFramesAtStart) at boot but \(liveFramesAtEnd) after teardown")
        }
        found += allocatorErrors.map(\.description)
        found += panics.map(\.description)
        found += anomalies.map(\.description)
        found += heldAtEnd.map { "\($0) still held after teardown" }
        found += disciplineViolations.map(\.description)
        for point in plan.points where !firedPoints.contains(point) {
            found.append("planned failure \(point) was never reached")
        }
        if !firedPoints.isEmpty, !outcome.failed {
            found.append("the call succeeded although \(firedPoints.map(\.description).joined(separator: ", ")) failed")
        }
        return found
    }
}
