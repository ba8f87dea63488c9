/// Counts allocations and named operations and says which must fail under a `FaultPlan`.
/// A value type: the allocator owns one, and a C shim can own one the same way.
public struct FaultInjector: Hashable, Sendable {
    public private(set) var plan: FaultPlan
    /// Calls of `kalloc` since the plan was armed.
    public private(set) var allocationCalls = 0
    /// Calls of each named operation since the plan was armed.
    public private(set) var operationCalls: [String: Int] = [:]
    /// The points that actually failed a call, in order.
    public private(set) var fired: [FailurePoint] = []

    public init(plan: FaultPlan = .none) { self.plan = plan }

    /// Counts one allocation; true when the plan fails it.
    public mutating func nextAllocationFails() -> Bool {
        allocationCalls += 1
        return fires(.allocation(allocationCalls))
    }

    /// Counts one call of `operation`; true when the plan fails it.
    public mutating func nextCallFails(_ operation: String) -> Bool {
        let n = operationCalls[operation, default: 0] + 1
        operationCalls[operation] = n
        return fires(.operation(operation, occurrence: n))
    }

    /// Every point a run with these counts could fail at: what exhaustive testing walks.
    public var reachablePoints: [FailurePoint] {
        let allocations = allocationCalls > 0 ? (1...allocationCalls).map(FailurePoint.allocation) : []
        // A name is only in `operationCalls` once it has been called, so its count is ≥ 1.
        let operations = operationCalls.flatMap { name, count in
            (1...count).map { FailurePoint.operation(name, occurrence: $0) }
        }
        return (allocations + operations).sorted()
    }

    private mutating func fires(_ point: FailurePoint) -> Bool {
        guard plan.points.contains(point) else { return false }
        fired.append(point)
        return true
    }
}
