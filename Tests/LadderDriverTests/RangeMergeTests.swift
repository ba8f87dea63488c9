import Foundation
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// `ladder merge` reads a finding's `range` back from a shard's JSON report, so the merged
/// SARIF still underlines the statement; a report from before ranges still merges.
@Suite struct RangeMergeTests {
    @Test("the range survives a JSON report and its reading back")
    func roundTrip() throws {
        var at = LadderCore.SourceLocation(file: "kernel/a.c", line: 12, column: 5)
        at.end = SourcePosition(line: 12, column: 14)
        let report = Report(findings: [Finding(rule: .doubleRelease, message: "m", function: "f", location: at)], stats: Stats(files: 1))
        let json = ReportRenderer.render(report, as: .json, options: RenderOptions(toolVersion: "test"))
        let read = try ReportMerge.parse(Data(json.utf8), file: "shard.json")
        #expect(read.findings.first?.range == at.range)
        #expect(read.findings.first?.range.end == SourcePosition(line: 12, column: 14))

        // A report written before ranges: the same finding, its extent unknown.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var findings = try #require(document["findings"] as? [[String: Any]])
        findings[0]["range"] = nil
        document["findings"] = findings
        let old = try JSONSerialization.data(withJSONObject: document)
        let oldRead = try ReportMerge.parse(old, file: "old.json")
        #expect(oldRead.findings.first?.location == at)
        #expect(oldRead.findings.first?.location.end == nil)
    }

    @Test("a report from before confidence merges, its findings high as every finding then was")
    func beforeConfidence() throws {
        let at = LadderCore.SourceLocation(file: "kernel/a.c", line: 3, column: 1)
        var finding = Finding(rule: .missingRelease, message: "m", function: "f", location: at)
        finding.confidence = .medium
        let json = ReportRenderer.render(Report(findings: [finding], stats: Stats(files: 1)), as: .json,
                                         options: RenderOptions(toolVersion: "test"))
        #expect(try ReportMerge.parse(Data(json.utf8), file: "new.json").findings.first?.confidence == .medium)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var findings = try #require(document["findings"] as? [[String: Any]])
        findings[0]["confidence"] = nil
        document["findings"] = findings
        let old = try ReportMerge.parse(try JSONSerialization.data(withJSONObject: document), file: "old.json")
        #expect(old.findings.first?.confidence == .high)
        #expect(old.findings.first?.fingerprint == finding.fingerprint)
    }
}
