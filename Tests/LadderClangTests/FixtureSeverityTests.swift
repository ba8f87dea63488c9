import Foundation
import LadderClang
import LadderCore
import Testing

/// What FixtureTests leaves out: every finding a case produces carries the severity its
/// expectation names (`expected-warning` for a warning), as users see it in the report.
@Suite struct FixtureSeverityTests {
    /// `expected-warning@+1 {{…}} [rule]`: the keyword, the line it applies to, the rule.
    static func keywords(in text: String) -> [String: String] {
        var byLineAndRule: [String: String] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for match in line.matches(of: /expected-(error|warning|note)(?:@([+-]?[0-9]+))?\s*\{\{.*?\}\}\s*\[([^\]]*)\]/) {
                let offset = match.2.flatMap { Int($0.replacingOccurrences(of: "+", with: "")) } ?? 0
                byLineAndRule["\(index + 1 + offset) \(match.3)"] = String(match.1)
            }
        }
        return byLineAndRule
    }

    @Test(arguments: FixtureTests.checkFixtures)
    func findingsCarryTheExpectedSeverity(_ relative: String) throws {
        let path = Paths.fixtures(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = Self.keywords(in: text)
        guard case .success(let loaded) = Frontend().load(CompileCommand(file: path)) else {
            Issue.record("\(relative) does not load")
            return
        }
        let findings = Analyzer(pack: try BuiltinPacks.load(Expectation.rules(in: text))).analyse(loaded.unit).findings
        for finding in findings {
            guard let keyword = expected["\(finding.location.line) \(finding.rule)"] else { continue }
            #expect(keyword == finding.severity.rawValue,
                    "\(relative):\(finding.location.line): [\(finding.rule)] is a \(finding.severity.rawValue), expected-\(keyword) says otherwise")
        }
    }
}
