/// The ground truth `ladder groundtruth` prints: every modelled path, run clean and under
/// each of its failure points.
public enum ReferenceCatalogue {
    /// References for `scenarios` (by default one standard scenario per modelled path).
    public static func all(
        scenarios: [PathScenario] = PathScenario.standard,
        configuration: KernelConfiguration = .small
    ) throws(ScenarioError) -> [PathReference] {
        let explorer = FailureExplorer(runner: ScenarioRunner(configuration: configuration))
        var references: [PathReference] = []
        for scenario in scenarios {
            references.append(try reference(for: scenario, explorer: explorer))
        }
        return references
    }

    /// The reference for one scenario.
    public static func reference(for scenario: PathScenario, explorer: FailureExplorer = FailureExplorer())
        throws(ScenarioError) -> PathReference
    {
        let runs = try explorer.explore(scenario)
        return PathReference(
            path: scenario.path.rawValue, call: scenario.call, setup: scenario.setup,
            cases: runs.map(CaseReference.init(run:)))
    }
}
