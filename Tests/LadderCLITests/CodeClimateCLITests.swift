import Foundation
import Testing

/// `ladder lint --format codeclimate` on the fixtures agrees with `--format json` finding by
/// finding: same rules, lines and fingerprints, paths relative to the directory ladder ran in.
@Suite struct CodeClimateCLITests {
    @Test func matchesJSONOnFixtures() throws {
        let arguments = ["lint", "fixtures/checks/missing-release", "--fail-on", "never", "--allow-incomplete"]
        let climate = try CLI.run(arguments + ["--format", "codeclimate"])
        let json = try CLI.run(arguments + ["--format", "json"])
        #expect(climate.status == 0, "\(climate.err)")
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(climate.out.utf8)) as? [[String: Any]])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let errors = try #require(report["errors"] as? [[String: Any]])
        #expect(findings.count > 3, "the fixtures have leaks")
        #expect(issues.count == findings.count + errors.count)

        func key(_ rule: Any?, _ file: Any?, _ line: Any?) -> String { "\(rule ?? "")|\(file ?? "")|\(line ?? "")" }
        let expected = findings.map { f -> String in
            let location = f["location"] as? [String: Any]
            return key(f["rule"], location?["file"], location?["line"])
        }
        let actual = issues.prefix(findings.count).map { i -> String in
            let location = i["location"] as? [String: Any]
            return key(i["check_name"], location?["path"], (location?["lines"] as? [String: Any])?["begin"])
        }
        #expect(actual == expected)
        let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(Set(fingerprints).count == fingerprints.count, "GitLab needs unique fingerprints")
        let base = Set(findings.compactMap { $0["fingerprint"] as? String })
        #expect(fingerprints.prefix(findings.count).allSatisfy { base.contains(String($0.prefix(16))) })
    }
}
