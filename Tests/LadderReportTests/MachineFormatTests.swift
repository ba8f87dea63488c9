import Foundation
import LadderCore
import Testing
@testable import LadderReport

@Suite struct JSONFormatTests {
    /// The serializer must produce JSON a standard parser reads back to the same strings,
    /// including quotes, backslashes, control characters and non-ASCII.
    @Test func stringsRoundTrip() throws {
        let tricky = "a \"quoted\" \\ back\tslash\nnew\u{1}line — ünïcode ✓ /"
        let json = JSONValue.object([("s", .string(tricky)), ("n", .null), ("d", .double(0.5)), ("i", .int(-3))]).serialized()
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(parsed["s"] as? String == tricky)
        #expect(parsed["n"] is NSNull)
        #expect(parsed["d"] as? Double == 0.5)
        #expect(parsed["i"] as? Int == -3)
    }

    @Test func keysKeepTheDocumentedOrder() {
        let json = ReportRenderer.render(Report(findings: [SampleReport.missingUnmap], stats: Stats(files: 1)), as: .json,
                                         options: SampleReport.options)
        let keys = ["\"rule\"", "\"severity\"", "\"message\"", "\"function\"", "\"location\"", "\"resource\"",
                    "\"path\"", "\"fix\"", "\"fingerprint\""]
        let positions = keys.map { json.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(json.hasPrefix("{\n  \"version\": 1,\n  \"tool\""))
    }

    @Test func absentResourceAndFixAreNull() throws {
        let json = ReportRenderer.render(Report(findings: [SampleReport.staleSuppression], stats: Stats(files: 1)),
                                         as: .json, options: SampleReport.options)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(finding["resource"] is NSNull)
        #expect(finding["fix"] is NSNull)
    }
}

@Suite struct SARIFTests {
    @Test func pathsAreRelativeToTheRoot() {
        let paths = ArtifactPaths(root: "/src/xv6/", workingDirectory: "/src/xv6/kernel")
        #expect(paths.rootURI == "file:///src/xv6/")
        #expect(paths.relativeToRoot("proc.c").uri == "kernel/proc.c")
        #expect(paths.relativeToRoot("./../user/../kernel/vm.c").uri == "kernel/vm.c")
        #expect(paths.relativeToRoot("/src/xv6/kernel/vm.c").baseID == "ROOT")
        let outside = paths.relativeToRoot("/usr/include/my header.h")
        #expect(outside.uri == "file:///usr/include/my%20header.h")
        #expect(outside.baseID == nil)
        #expect(paths.relativeToRoot("/src/xv6-old/proc.c").baseID == nil)
    }

    @Test func relativeRootResolvesAgainstTheWorkingDirectory() {
        let paths = ArtifactPaths(root: "..", workingDirectory: "/src/linux/drivers")
        #expect(paths.rootURI == "file:///src/linux/")
        #expect(paths.relativeToRoot("net/demo.c").uri == "drivers/net/demo.c")
    }

    @Test func resultsCarryTheFingerprintAndTheAcquireSite() throws {
        let sarif = ReportRenderer.render(Report(findings: [SampleReport.missingUnmap], stats: Stats(files: 1)),
                                          as: .sarif, options: SampleReport.options)
        let object = try #require(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
        #expect(fingerprints[SARIFFormat.fingerprintKey] == SampleReport.missingUnmap.fingerprint)
        let related = try #require((result["relatedLocations"] as? [[String: Any]])?.first)
        let region = (related["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int == 204)
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]
        let ids: [String] = (rules ?? []).compactMap { $0["id"] as? String }
        #expect(ids == RuleID.allCases.map(\.rawValue))
        #expect(result["ruleIndex"] as? Int == 0)
    }

    @Test func unknownPositionsLeaveTheRegionOut() {
        let finding = Finding(rule: .missingRelease, message: "m", function: "f", location: .unknown)
        let sarif = ReportRenderer.render(Report(findings: [finding], stats: Stats(files: 1)), as: .sarif,
                                          options: SampleReport.options)
        #expect(!sarif.contains("\"startLine\": 0"))
        #expect(!sarif.contains("\"region\""))
    }
}

@Suite struct GitHubFormatTests {
    @Test func escapesFollowTheWorkflowCommandRules() {
        #expect(GitHubFormat.escapeData("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b")
        #expect(GitHubFormat.escapeProperty("dir,name:1%.c") == "dir%2Cname%3A1%25.c")
    }

    @Test func oneCommandPerFindingAndError() {
        let out = ReportRenderer.render(SampleReport.report, as: .github, options: SampleReport.options)
        let lines = out.split(separator: "\n")
        #expect(lines.count == SampleReport.report.findings.count + SampleReport.report.errors.count)
        #expect(lines.contains { $0.hasPrefix("::warning file=kernel/file.c,line=88,col=3,title=ladder%3A invalid-suppression::") })
        #expect(lines.contains { $0.hasPrefix("::error file=kernel/virtio_disk.c,title=ladder%3A file not processed::") })
    }

    @Test func unknownPositionsAreLeftOut() {
        let finding = Finding(rule: .missingRelease, message: "m", function: "f",
                              location: SampleReport.loc("kernel/proc.c", 0, 0))
        #expect(ReportRenderer.render(Report(findings: [finding]), as: .github, options: SampleReport.options)
                == "::error file=kernel/proc.c,title=ladder%3A missing-release::m\n")
    }

    @Test func notesBecomeNotices() {
        var note = SampleReport.missingUnmap
        note.severity = .note
        #expect(ReportRenderer.render(Report(findings: [note]), as: .github, options: SampleReport.options).hasPrefix("::notice "))
    }
}

@Suite struct GitHubPathTests {
    /// Compilation databases name files absolutely; annotations need checkout-relative paths.
    @Test func absolutePathsUnderTheRootBecomeRelative() {
        var finding = SampleReport.missingUnmap
        finding.location.file = "/src/xv6/kernel/proc.c"
        var outside = SampleReport.doubleKfree
        outside.location.file = "/elsewhere/vm.c"
        let report = Report(findings: [finding, outside], errors: [], stats: Stats(files: 1))
        let rendered = ReportRenderer.render(report, as: .github, options: SampleReport.options)
        #expect(rendered.contains("file=kernel/proc.c,"))
        #expect(rendered.contains("file=/elsewhere/vm.c,"))
    }
}
