import Foundation
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// Baselines written by ladder 0.1 over fixtures/checks (Tests/LadderCLITests/Goldens/
/// baseline-0.1) must still match today's findings one for one: a user's baseline survives
/// the redesign of the analysis. xv6.json covers the cases without a `// ladder-rules: linux`
/// first line, checked with `--rules xv6`; linux.json the others, with `--rules linux`.
/// `xv6.files` and `linux.files` list the fixtures 0.1 ran on: cases added since are
/// judged by their own expectations, not by this baseline.
///
/// If this fails because a finding really changed (a fixed false positive, a new true
/// positive), the fixture's expectations say so first; then say in the change why users'
/// baselines shift, and leave this 0.1 baseline as the record of what 0.1 wrote.
@Suite struct FingerprintStabilityTests {
    static let goldens = Repository.path("Tests/LadderCLITests/Goldens/baseline-0.1")

    static func isLinux(_ file: String) -> Bool {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", maxSplits: 1).first?.hasPrefix("// ladder-rules: linux") ?? false
    }

    @Test("ladder 0.1's baseline matches every finding and nothing else", arguments: ["xv6", "linux"])
    func baselineStillMatches(pack: String) throws {
        let listed = try String(contentsOfFile: Self.goldens + "/\(pack).files", encoding: .utf8)
        let files = listed.split(separator: "\n").map { Repository.path(String($0)) }
        #expect(files.count > 20)
        #expect(files.allSatisfy { Self.isLinux($0) == (pack == "linux") })
        let path = Self.goldens + "/\(pack).json"
        let baseline = try Baseline.load(path: path)

        let unfiltered = try LintDriver().run(.files(files, rules: [pack]))
        #expect(unfiltered.report.errors.isEmpty, "\(unfiltered.report.errors)")
        #expect(unfiltered.report.stats.files == files.count)
        #expect(unfiltered.report.findings.count == baseline.entries.count,
                "\(unfiltered.report.findings.count) findings today, \(baseline.entries.count) in ladder 0.1's baseline")

        var options = LintOptions.files(files, rules: [pack])
        options.baseline = path
        let filtered = try LintDriver().run(options).report
        #expect(filtered.findings.isEmpty, "not in ladder 0.1's baseline: \(filtered.findings.map(Self.describe))")

        // And the other way: every entry absorbs a finding of its own.
        var left = Dictionary(grouping: unfiltered.report.findings, by: \.fingerprint).mapValues(\.count)
        var unmatched: [Baseline.Entry] = []
        for entry in baseline.entries {
            if let n = left[entry.fingerprint], n > 0 { left[entry.fingerprint] = n - 1 } else { unmatched.append(entry) }
        }
        #expect(unmatched.isEmpty, "in ladder 0.1's baseline, no longer found: \(unmatched.map { "\($0.file) \($0.function): \($0.message)" })")
    }

    static func describe(_ f: Finding) -> String {
        "\(f.location.file):\(f.location.line): \(f.function): [\(f.rule.rawValue)] \(f.message)"
    }
}
