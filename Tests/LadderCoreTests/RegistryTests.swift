import Foundation
@testable import LadderCore
import Testing

/// The registry itself: every spec complete, ids unique and well formed, and the analysis
/// giving findings the severity and fix their rule's spec says.
@Suite struct RegistryTests {
    @Test func idsAreUniqueAndLookedUp() {
        let ids = Registry.rules.map(\.id)
        #expect(Set(ids).count == ids.count, "\(ids)")
        for (index, id) in ids.enumerated() {
            #expect(Registry.spec(id)?.id == id)
            #expect(Registry.index(of: id) == index)
        }
        #expect(RuleID.allCases == ids)
        #expect(Registry.spec(RuleID("no-such-rule")) == nil)
    }

    @Test(arguments: Registry.rules.map(\.id))
    func specIsComplete(_ id: RuleID) throws {
        let spec = try #require(Registry.spec(id))
        #expect(!spec.summary.isEmpty && !spec.summary.hasSuffix(".") && spec.summary.first?.isLowercase == true,
                "\(id): a summary is one lower-case line without a full stop: '\(spec.summary)'")
        #expect(!spec.summary.contains("\n"))
        #expect(!spec.explanation.details.isEmpty, "\(id) has no details")
        #expect(!spec.explanation.wrong.isEmpty && !spec.explanation.right.isEmpty, "\(id) needs a wrong and a right example")
        #expect(spec.explanation.wrong != spec.explanation.right)
        #expect(!spec.tags.isEmpty, "\(id) has no SARIF tags")
    }

    /// Every rule with a check runs; the others are reported elsewhere.
    @Test func everyCheckRuns() {
        #expect(Checks.all.count == Registry.rules.filter { $0.check != nil }.count)
    }

    @Test func ruleIDsAreWellFormed() throws {
        #expect(RuleID(rawValue: "missing-release") == .missingRelease)
        for bad in ["", "Missing-release", "missing_release", "-x", "x-", "a--b", "missing release"] {
            #expect(RuleID(rawValue: bad) == nil, "'\(bad)'")
        }
        let encoded = try JSONEncoder().encode([RuleID.releaseOrder])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["release-order"]"#)
        #expect(try JSONDecoder().decode([RuleID].self, from: encoded) == [.releaseOrder])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([RuleID].self, from: Data(#"["Leak"]"#.utf8)) }
        #expect(RuleID.doubleRelease < .missingRelease)
    }

    /// A check says what is wrong; the registry gives the finding its rule's severity and,
    /// where the check left none, the fix its rule's builder makes.
    @Test func findingsCarryTheSpecsSeverityAndFix() throws {
        struct Reporter: Check {
            func inspect(function: Function, pack: RulePack) -> [Finding] {
                [Finding(rule: RuleID("test-rule"), message: "m", function: function.name, location: function.location)]
            }
        }
        struct Builder: FixBuilder {
            func fix(for finding: Finding, from evidence: Evidence) -> Fix? {
                guard case .function(let function, _) = evidence else { return nil }
                return Fix(insertBefore: finding.location, text: "/* \(function.name) */\n")
            }
        }
        let spec = RuleSpec(id: RuleID("test-rule"), severity: .warning, summary: "s",
                            explanation: RuleExplanation(details: "d", wrong: "w", right: "r"), tags: ["t"],
                            check: Reporter(), fix: Builder())
        let check = try #require(RegisteredCheck(spec))
        let here = SourceLocation(file: "t.c", line: 3, column: 1)
        let function = Function(name: "f", location: here, returnType: CType(spelling: "void", shape: .void),
                                parameters: [], isStatic: false, blocks: [Block(id: 0, terminator: .return(nil, location: here))])
        let findings = FunctionAnalysis(function: function, calls: CallSemantics(pack: RulePack(name: "empty")), checks: [check]).run().findings
        #expect(findings.map(\.severity) == [.warning])
        #expect(findings.first?.fix?.text == "/* f */\n")
        #expect(RegisteredCheck(InvalidSuppression.rule) == nil, "a rule without a check is not run")
    }
}
