import Foundation
import LadderCore
import Testing

/// Every rule the analysis checks has its cases: `fixtures/checks/<id>/` with at least one
/// file that expects its finding and one that expects none of it (what FixtureTests then
/// holds the analysis to). Every expectation names a registered rule, with the keyword of
/// that rule's severity (`expected-warning` for a warning).
@Suite struct RuleFixturesTests {
    static let folder = "fixtures/checks"
    /// Shared by the cases, not a rule.
    static let notRules: Set<String> = ["include"]

    struct Expected: Hashable {
        var severity: String
        var rule: String
    }

    /// `// expected-error {{…}} [rule]`, `expected-warning@+1 {{…}} [rule]`; several per line.
    static func expectations(in text: String) -> [Expected] {
        text.matches(of: /expected-(error|warning|note)(?:@[+-]?[0-9]+)?\s*\{\{.*?\}\}\s*\[([^\]]*)\]/)
            .map { Expected(severity: String($0.1), rule: String($0.2)) }
    }

    static func cases(of rule: String) throws -> [(name: String, expected: [Expected])] {
        try RepositoryFiles.entries("\(folder)/\(rule)").filter { $0.hasSuffix(".c") }.map { name in
            (name, expectations(in: try RepositoryFiles.text("\(folder)/\(rule)/\(name)")))
        }
    }

    @Test(arguments: Registry.rules.filter { $0.check != nil }.map(\.id))
    func everyCheckedRuleHasPositiveAndNegativeCases(_ id: RuleID) throws {
        let cases = try Self.cases(of: id.rawValue)
        #expect(!cases.isEmpty, "\(Self.folder)/\(id)/ holds no case (.c file)")
        let positive = cases.filter { $0.expected.contains { $0.rule == id.rawValue } }
        #expect(!positive.isEmpty, "no case in \(Self.folder)/\(id)/ expects a finding of \(id)")
        #expect(positive.count < cases.count, "every case in \(Self.folder)/\(id)/ expects \(id): add one that must not report it")
    }

    @Test func everyFolderIsARegisteredRule() {
        let folders = RepositoryFiles.entries(Self.folder)
            .filter { RepositoryFiles.isDirectory("\(Self.folder)/\($0)") && !Self.notRules.contains($0) }
        let unknown = folders.filter { RuleID(rawValue: $0).flatMap(Registry.spec) == nil }
        #expect(!folders.isEmpty)
        #expect(unknown.isEmpty, "folders of \(Self.folder) for no registered rule: \(unknown)")
    }

    @Test func everyExpectationNamesARuleWithItsSeverity() throws {
        var wrong: [String] = []
        for folder in RepositoryFiles.entries(Self.folder) where !Self.notRules.contains(folder) {
            for (name, expected) in try Self.cases(of: folder) {
                for e in expected {
                    guard let spec = RuleID(rawValue: e.rule).flatMap(Registry.spec) else {
                        wrong.append("\(folder)/\(name): [\(e.rule)] is no registered rule")
                        continue
                    }
                    if e.severity != spec.severity.rawValue {
                        wrong.append("\(folder)/\(name): expected-\(e.severity) for \(e.rule), whose findings are \(spec.severity.rawValue)s")
                    }
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }
}
