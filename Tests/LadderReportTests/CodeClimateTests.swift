import Foundation
import LadderCore
import Testing
@testable import LadderReport

/// `--format codeclimate`: GitLab Code Quality's fields, with the values GitLab relies on
/// (unique fingerprints, repository-relative paths, its five severities).
@Suite struct CodeClimateTests {
    static func issues(_ report: Report, root: String = "/src/xv6") throws -> [[String: Any]] {
        let options = RenderOptions(root: root, workingDirectory: "/src/xv6", toolVersion: "0.0.0-test")
        let text = ReportRenderer.render(report, as: .codeclimate, options: options)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func golden() throws {
        try Support.assertGolden(ReportRenderer.render(SampleReport.report, as: .codeclimate, options: SampleReport.options),
                                 named: "sample.codeclimate.json")
    }

    @Test("a clean run is an empty array, which GitLab reads as no issues")
    func empty() throws {
        #expect(try Self.issues(Report()).isEmpty)
    }

    @Test("every issue has the fields GitLab reads, with a known severity and a relative path")
    func fields() throws {
        let issues = try Self.issues(SampleReport.report)
        #expect(issues.count == SampleReport.report.findings.count + SampleReport.report.errors.count)
        for issue in issues {
            #expect(issue["type"] as? String == "issue")
            #expect((issue["description"] as? String)?.isEmpty == false)
            #expect(issue["check_name"] is String)
            #expect(["blocker", "critical", "major", "minor", "info"].contains(issue["severity"] as? String ?? ""))
            let location = try #require(issue["location"] as? [String: Any])
            let path = try #require(location["path"] as? String)
            #expect(!path.hasPrefix("/src/xv6"), "\(path) is not relative to the root")
            let lines = try #require(location["lines"] as? [String: Any])
            #expect((lines["begin"] as? Int ?? 0) >= 1)
        }
        let finding = try #require(issues.first { $0["check_name"] as? String == "missing-release" })
        #expect(finding["fingerprint"] as? String == SampleReport.missingUnmap.fingerprint)
        #expect((finding["location"] as? [String: Any])?["path"] as? String == "kernel/proc.c")
        #expect(((finding["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int == 215)
        #expect(finding["severity"] as? String == "critical")
    }

    @Test("severity follows ladder's severity and confidence")
    func severities() {
        var f = SampleReport.missingUnmap
        #expect(CodeClimateFormat.severity(f) == "critical")
        f.confidence = .medium
        #expect(CodeClimateFormat.severity(f) == "major")
        f.confidence = .low
        #expect(CodeClimateFormat.severity(f) == "minor")
        f.severity = .warning
        #expect(CodeClimateFormat.severity(f) == "minor")
        f.severity = .note
        #expect(CodeClimateFormat.severity(f) == "info")
    }

    @Test("two findings with one fingerprint stay two issues: GitLab keeps one per fingerprint")
    func duplicateFingerprints() throws {
        var second = SampleReport.missingUnmap
        second.location.line += 3
        let issues = try Self.issues(Report(findings: [SampleReport.missingUnmap, second]))
        let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(fingerprints == [SampleReport.missingUnmap.fingerprint, SampleReport.missingUnmap.fingerprint + "-2"])
    }

    @Test("a file outside the root keeps its path as given")
    func outsideRoot() throws {
        let issues = try Self.issues(SampleReport.report, root: "/elsewhere")
        let paths = issues.compactMap { ($0["location"] as? [String: Any])?["path"] as? String }
        #expect(paths.contains("kernel/proc.c"))
    }
}
