import Sv39

/// Exhaustive failure injection: one clean run to learn every failure point the call
/// passes (each allocation, each named operation), then one run failing each point alone.
public struct FailureExplorer: Sendable {
    public var runner: ScenarioRunner

    public init(runner: ScenarioRunner = ScenarioRunner()) { self.runner = runner }

    /// The clean run first, then one run per failure point in `FailurePoint` order.
    public func explore(_ scenario: PathScenario) throws(ScenarioError) -> [PathRun] {
        let clean = try runner.run(scenario, plan: .none)
        var runs = [clean]
        for point in clean.reachablePoints {
            runs.append(try runner.run(scenario, plan: FaultPlan([point])))
        }
        return runs
    }
}
