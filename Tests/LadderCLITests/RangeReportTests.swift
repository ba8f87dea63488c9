import Foundation
import LadderTestSupport
import Testing

/// Ranges as every machine format prints them, on a case whose leaking `return` and
/// acquiring call follow comments with "é" and "—", so byte columns (JSON) and UTF-16
/// columns (SARIF) differ and a format that printed one for the other fails here.
///
/// Line 16: `\t/* tampon — zéro */ data = kzalloc(64, GFP_KERNEL);`: the call spans bytes
/// 32..<55, UTF-16 units 29..<52. Line 21: `\t\t/* échec — on sort */ return ret;`: the
/// statement `return ret` spans bytes 28..<38, UTF-16 units 25..<35.
@Suite struct RangeReportTests {
    static let fixture = "fixtures/checks/missing-release/linux_non_ascii_before_leaking_return.c"

    static func run(_ format: String, _ extra: [String] = []) throws -> String {
        let run = try CLI.run(["lint", fixture, "--rules", "linux", "--format", format, "--no-cache"] + extra)
        #expect(run.status == 1, "one error finding exits 1; stderr: \(run.err)")
        return run.out
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("JSON: the range of the leaking statement, in bytes, and the report matches its schema")
    func json() throws {
        let text = try Self.run("json")
        let findings = try #require(try Self.object(text)["findings"] as? [[String: Any]])
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        let range = try #require(finding["range"] as? [String: [String: Int]])
        #expect(range["start"] == ["line": 21, "column": 28])
        #expect(range["end"] == ["line": 21, "column": 38])
        let location = try #require(finding["location"] as? [String: Any])
        #expect(location["line"] as? Int == 21 && location["column"] as? Int == 28, "location stays the range's start")
        let errors = try JSONSchemaCheck.errors(document: text, schemaAt: JSONSchemaCheck.jsonReportSchema)
        #expect(errors.isEmpty, "against docs/json-report.schema.json:\n\(errors.joined(separator: "\n"))")
    }

    @Test("SARIF: UTF-16 regions declared as such, the acquire site related, the path a code flow, rules linked")
    func sarif() throws {
        let text = try Self.run("sarif", ["--root", CLI.root])
        let run = try #require((try Self.object(text)["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "utf16CodeUnits")
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        func region(_ location: Any?) -> [String: Int]? {
            ((location as? [String: Any])?["physicalLocation"] as? [String: Any])?["region"] as? [String: Int]
        }
        let primary = (result["locations"] as? [Any])?.first
        #expect(region(primary) == ["startLine": 21, "startColumn": 25, "endLine": 21, "endColumn": 35])
        let related = (result["relatedLocations"] as? [Any])?.first
        #expect(region(related) == ["startLine": 16, "startColumn": 29, "endLine": 16, "endColumn": 52])
        let flow = ((result["codeFlows"] as? [[String: Any]])?.first?["threadFlows"] as? [[String: Any]])?.first
        let steps = try #require(flow?["locations"] as? [[String: Any]])
        #expect(!steps.isEmpty)
        let last = try #require(steps.last?["location"] as? [String: Any])
        #expect(region(last) == ["startLine": 21, "startColumn": 25, "endLine": 21, "endColumn": 35])
        #expect((last["message"] as? [String: Any])?["text"] as? String == "returns 'ret' with it still held")

        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let missing = try #require(rules.first { $0["id"] as? String == "missing-release" })
        // By default the checkout's (or the package's) own docs/rules.md.
        let uri = try #require(missing["helpUri"] as? String)
        #expect(uri.hasPrefix("file:///") && uri.hasSuffix("/docs/rules.md#missing-release"), "\(uri)")
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            #expect((rule["helpUri"] as? String)?.hasSuffix("#" + id) == true, "\(id) links to its own section")
        }
    }

    @Test("--rules-doc names where docs/rules.md is published, for viewers that cannot open a local file")
    func rulesDocOption() throws {
        let text = try Self.run("sarif", ["--rules-doc", "https://example.org/ladder/rules.md"])
        let run = try #require((try Self.object(text)["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let missing = try #require(rules.first { $0["id"] as? String == "missing-release" })
        #expect(missing["helpUri"] as? String == "https://example.org/ladder/rules.md#missing-release")
    }

    @Test(.enabled(if: JSONSchemaCheck.sarifSchemaAvailable, "needs shared/schemas/sarif-schema-2.1.0.json beside the package, or LADDER_SARIF_SCHEMA"))
    func sarifMatchesSchema() throws {
        let errors = try JSONSchemaCheck.errors(document: try Self.run("sarif", ["--root", CLI.root]), schemaAt: JSONSchemaCheck.sarifSchema)
        #expect(errors.isEmpty, "against the SARIF 2.1.0 schema:\n\(errors.joined(separator: "\n"))")
    }

    @Test("every rule's helpUri names a section docs/rules.md has")
    func helpURIAnchorsExist() throws {
        let text = try Self.run("sarif", ["--root", CLI.root])
        let run = try #require((try Self.object(text)["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let doc = try String(contentsOfFile: CLI.root + "/docs/rules.md", encoding: .utf8)
        let headings = Set(doc.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) })
        for rule in rules {
            let anchor = try #require((rule["helpUri"] as? String)?.split(separator: "#").last.map(String.init))
            #expect(headings.contains(anchor), "docs/rules.md has no '## \(anchor)' for helpUri \(rule["helpUri"] ?? "")")
        }
    }

    @Test("Code Quality gives the statement's lines; GitHub adds endLine only for a statement over several")
    func lineFormats() throws {
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(Self.run("codeclimate").utf8)) as? [[String: Any]])
        let lines = (issues.first?["location"] as? [String: Any])?["lines"] as? [String: Int]
        #expect(lines == ["begin": 21, "end": 21])
        let github = try Self.run("github")
        #expect(github.hasPrefix("::error file=\(Self.fixture),line=21,col=28,title="), "\(github)")
        #expect(!github.contains("endLine="))
    }
}
