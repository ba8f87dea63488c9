import Foundation
import LadderCore
import Testing

/// What the docs say about the rules is what the registry says: docs/rules.md's list is
/// generated from it (`LADDER_BLESS=1` rewrites it), each rule has its section there, and
/// the JSON report's schema admits exactly the registered ids.
@Suite struct RuleDocsTests {
    static let rulesDoc = "docs/rules.md"
    static let begin = "<!-- rules:begin -->\n"
    static let end = "<!-- rules:end -->\n"

    /// The table between the markers: id (linking to its section), severity, summary.
    static func table() -> String {
        var out = "| id | severity | reports |\n|---|---|---|\n"
        for spec in Registry.rules {
            out += "| [`\(spec.id)`](#\(spec.id)) | \(spec.severity.rawValue) | \(spec.summary) |\n"
        }
        return out
    }

    @Test func rulesListIsTheRegistrys() throws {
        let doc = try RepositoryFiles.text(Self.rulesDoc)
        let start = try #require(doc.range(of: Self.begin), "\(Self.rulesDoc) has no '\(Self.begin)' marker")
        let stop = try #require(doc.range(of: Self.end, range: start.upperBound..<doc.endIndex), "no '\(Self.end)' marker")
        let listed = String(doc[start.upperBound..<stop.lowerBound])
        if RepositoryFiles.recording {
            let rewritten = doc.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: Self.table())
            try rewritten.write(to: RepositoryFiles.url(Self.rulesDoc), atomically: true, encoding: .utf8)
            return
        }
        #expect(listed == Self.table(), """
            \(Self.rulesDoc)'s list of rules differs from the registry; regenerate it with
            LADDER_BLESS=1 swift test --filter RuleDocsTests
            """)
    }

    /// GitHub's anchor for a heading: lower case, punctuation but hyphens dropped, spaces
    /// to hyphens. A rule's heading is its id, so its anchor is its id.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { c -> Character? in
            c == " " ? "-" : (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : nil
        })
    }

    static func sections() throws -> [String] {
        try RepositoryFiles.text(rulesDoc).split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
    }

    @Test(arguments: Registry.rules.map(\.id))
    func everyRuleHasItsSection(_ id: RuleID) throws {
        #expect(try Self.sections().map(Self.anchor).contains(id.rawValue),
                "\(Self.rulesDoc) has no section '## \(id)' (its anchor must be the rule id)")
    }

    /// A section named like a rule that is not registered is a rule removed or misspelt.
    @Test func everyRuleSectionIsARegisteredRule() throws {
        let ruleShaped = try Self.sections().filter { RuleID(rawValue: $0) != nil }
        let unknown = ruleShaped.filter { Registry.spec(RuleID($0)) == nil }
        #expect(unknown.isEmpty, "sections of \(Self.rulesDoc) for no registered rule: \(unknown)")
        #expect(ruleShaped == Registry.rules.map(\.id.rawValue), "sections in registry order")
    }

    @Test func jsonSchemaAdmitsExactlyTheRegisteredRules() throws {
        let data = try Data(contentsOf: RepositoryFiles.url("docs/json-report.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let finding = try #require(definitions["finding"] as? [String: Any])
        let properties = try #require(finding["properties"] as? [String: Any])
        let rule = try #require(properties["rule"] as? [String: Any])
        let allowed = try #require(rule["enum"] as? [String])
        #expect(allowed == Registry.rules.map(\.id.rawValue), """
            docs/json-report.schema.json's rule enum must list the registered rules, in registry order
            """)
    }
}
