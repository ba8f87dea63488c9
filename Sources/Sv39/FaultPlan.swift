/// Which calls of a run should fail. An empty plan fails nothing; the injector still counts
/// calls under it, which is how a clean run learns the failure points there are.
public struct FaultPlan: Hashable, Sendable, Codable {
    public var points: Set<FailurePoint>

    public init(_ points: Set<FailurePoint> = []) { self.points = points }

    public static let none = FaultPlan()

    /// Fail only the k-th allocation.
    public static func failAllocation(_ k: Int) -> FaultPlan { FaultPlan([.allocation(k)]) }

    /// Fail only the n-th call of `operation`.
    public static func fail(_ operation: String, occurrence n: Int) -> FaultPlan {
        FaultPlan([.operation(operation, occurrence: n)])
    }
}
