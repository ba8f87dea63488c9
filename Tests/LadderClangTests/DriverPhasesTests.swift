import LadderClang
import LadderCore
import LadderDriver
import Testing

/// `ladder lint` checks a unit in two phases, one function at a time against summaries
/// (`TwoPhaseRun`), while the fixture tests analyse the whole unit at once. Anything a
/// check learns from the whole file (which static functions have a caller in view) must
/// reach the per-function walk, or users lose findings the fixtures promise.
@Suite struct DriverPhasesTests {
    @Test("the driver's two phases find in every fixture what the whole-unit analysis finds",
          arguments: FixtureTests.checkFixtures)
    func sameFindings(_ relative: String) throws {
        let path = Paths.fixtures(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rules = Expectation.rules(in: text)
        guard case .success(let loaded) = Frontend().load(CompileCommand(file: path)) else {
            Issue.record("\(relative) does not load")
            return
        }
        let whole = Analyzer(pack: try BuiltinPacks.load(rules)).analyse(loaded.unit).findings
        let options = LintOptions(paths: [path], compileDatabase: .none, rulePacks: [rules])
        let driven = try LintDriver().run(options).report.findings
        func lines(_ findings: [Finding]) -> [String] {
            findings.map { "\($0.location.line): [\($0.rule.rawValue)] \($0.message)" }.sorted()
        }
        #expect(lines(driven) == lines(whole))
    }
}
