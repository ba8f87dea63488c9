import Sv39

/// The reference for one modelled path: for the clean run and for each failure point, what
/// the call acquires and the releases that must follow, in order. A C implementation of
/// the path is correct when its runs match.
public struct PathReference: Hashable, Sendable, Codable {
    /// The C function, e.g. "proc_pagetable".
    public var path: String
    /// The call as C writes it.
    public var call: String
    /// What exists before the call.
    public var setup: String
    public var cases: [CaseReference]

    public init(path: String, call: String, setup: String, cases: [CaseReference]) {
        self.path = path
        self.call = call
        self.setup = setup
        self.cases = cases
    }
}

/// One run of a path: no failure (`failurePoint == nil`) or one injected failure.
public struct CaseReference: Hashable, Sendable, Codable {
    public var failurePoint: FailurePoint?
    /// What the C function returns in this case.
    public var returns: String
    /// Everything the call did to resources, in order: acquisitions, the injected failure,
    /// releases. On a failure the releases of what the call acquired are exactly the
    /// reverse of its acquisitions.
    public var steps: [ReferenceStep]
    /// Acquired and kept: what the caller owns after a success.
    public var handedOn: [ResourceID]
    /// Empty when the model's run met every check (frames back, no panic, reverse order).
    public var problems: [String]

    public init(failurePoint: FailurePoint?, returns: String, steps: [ReferenceStep], handedOn: [ResourceID],
                problems: [String])
    {
        self.failurePoint = failurePoint
        self.returns = returns
        self.steps = steps
        self.handedOn = handedOn
        self.problems = problems
    }

    public var acquisitions: [ReferenceStep] { steps.filter { $0.action == .acquire } }
    public var releases: [ReferenceStep] { steps.filter { $0.action == .release } }
}

/// One line of a case.
public struct ReferenceStep: Hashable, Sendable, Codable {
    public enum Action: String, Hashable, Sendable, Codable {
        case acquire
        case release
        /// The injected failure: `statement` says which call failed and from where.
        case fail
    }

    public var action: Action
    /// nil for `fail`.
    public var resource: ResourceID?
    /// The C call: "kalloc", "mappages", "uvmunmap"…
    public var call: String
    /// The C statement, or for `fail` the failing call and its callers.
    public var statement: String
    /// The modelled function it happened in ("caller" for the call under test itself).
    public var function: String
    /// For a release: the resource was held before the call (exec freeing the old image).
    public var heldBeforeCall: Bool

    public init(action: Action, resource: ResourceID?, call: String, statement: String, function: String,
                heldBeforeCall: Bool = false)
    {
        self.action = action
        self.resource = resource
        self.call = call
        self.statement = statement
        self.function = function
        self.heldBeforeCall = heldBeforeCall
    }
}

extension CaseReference {
    /// Reads a run's call window.
    init(run: PathRun) {
        let acquiredInstances = Set(run.acquisitions.map(\.instance))
        let releasedInstances = Set(run.releases.map(\.instance))
        let steps = run.events[run.callEvents].map { event -> ReferenceStep in
            switch event {
            case .acquire(_, let step):
                ReferenceStep(action: .acquire, resource: step.resource, call: step.call,
                              statement: step.statement, function: step.function)
            case .release(let instance, let step):
                ReferenceStep(action: .release, resource: step.resource, call: step.call,
                              statement: step.statement, function: step.function,
                              heldBeforeCall: !acquiredInstances.contains(instance))
            case .failure(let failure):
                ReferenceStep(action: .fail, resource: nil, call: failure.call,
                              statement: failure.describe(omitting: [CallWindow.callerFrame]),
                              function: failure.callStack.last { $0 != failure.call } ?? CallWindow.callerFrame)
            }
        }
        let path = run.scenario.path
        self.init(
            failurePoint: run.plan.points.sorted().first,
            returns: run.outcome.failed ? path.errorReturn : path.successReturn,
            steps: steps,
            handedOn: run.acquisitions.filter { !releasedInstances.contains($0.instance) }.map(\.step.resource),
            problems: run.problems)
    }
}
