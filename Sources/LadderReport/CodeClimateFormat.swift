import Foundation
import LadderCore

/// GitLab Code Quality: a JSON array of Code Climate issues, which GitLab shows in the merge
/// request widget and on the diff when a job uploads it as `artifacts:reports:codequality`
/// (docs/ci.md).
///
///     [{"type": "issue", "check_name": "missing-release", "description": "…",
///       "categories": ["Bug Risk"], "severity": "critical", "fingerprint": "cd8f9da7224b459f",
///       "location": {"path": "kernel/proc.c", "lines": {"begin": 216, "end": 216}}}]
///
/// `lines` runs from the statement's first line to its last (a call whose arguments wrap).
///
/// Paths are relative to `--root` (default: the directory ladder ran in), as GitLab matches
/// them against the repository. `fingerprint` is the finding's line-independent fingerprint
/// (the one baselines use), so GitLab sees the same issue, not a fixed one and a new one,
/// when lines above it move. GitLab keeps one issue per fingerprint, so a second finding with
/// the same fingerprint in one report (two leaks of one kind in one function) gets `-2`,
/// the third `-3`, in report order.
///
/// Severity, from ladder's severity and confidence (`blocker` is left to humans):
///
/// | ladder | Code Quality |
/// |---|---|
/// | error, high confidence | critical |
/// | error, medium confidence | major |
/// | error, low confidence | minor |
/// | warning (`unchecked-acquire`, `invalid-suppression`) | minor |
/// | note | info |
///
/// A file or function that was not checked is an issue too (`check_name` `not-checked`,
/// severity `info`), so a partial run is not shown as a clean one.
struct CodeClimateFormat {
    static let notChecked = RuleID("not-checked")
    let paths: ArtifactPaths

    func render(_ report: Report) -> String {
        var seen: [String: Int] = [:]
        func unique(_ fingerprint: String) -> String {
            let n = (seen[fingerprint] ?? 0) + 1
            seen[fingerprint] = n
            return n == 1 ? fingerprint : "\(fingerprint)-\(n)"
        }
        var issues: [JSONValue] = report.findings.map { f in
            var description = f.message
            if let r = f.resource, r.acquiredAt.line >= 1 { description += " (acquired at line \(r.acquiredAt.line))" }
            return issue(check: f.rule, description: description, severity: Self.severity(f),
                         fingerprint: unique(f.fingerprint), file: f.location.file, lines: f.range.lines)
        }
        issues += report.errors.map { e in
            let fingerprint = Fingerprint.make(function: "", rule: Self.notChecked, kind: nil, acquiredBy: nil,
                                               handle: nil, extra: file(e.file) + "\u{1f}" + e.message)
            return issue(check: Self.notChecked, description: "not checked: \(e.message)", severity: "info",
                         fingerprint: unique(fingerprint), file: e.file, lines: (e.line ?? 1)...(e.line ?? 1))
        }
        return JSONValue.array(issues).serialized() + "\n"
    }

    private func issue(check: RuleID, description: String, severity: String, fingerprint: String,
                       file path: String, lines: ClosedRange<Int>) -> JSONValue {
        let begin = max(lines.lowerBound, 1)
        return .object([
            ("type", .string("issue")),
            ("check_name", .string(check.rawValue)),
            ("description", .string(description)),
            ("categories", .array([.string("Bug Risk")])),
            ("severity", .string(severity)),
            ("fingerprint", .string(fingerprint)),
            ("location", .object([("path", .string(file(path))), ("lines", .object([("begin", .int(begin)), ("end", .int(max(lines.upperBound, begin)))]))])),
        ])
    }

    /// Relative to the root when under it (GitLab resolves paths in the repository), else as given.
    private func file(_ path: String) -> String {
        let (uri, base) = paths.relativeToRoot(path)
        return base == nil ? path : (uri.removingPercentEncoding ?? uri)
    }

    static func severity(_ f: Finding) -> String {
        switch (f.severity, f.confidence) {
        case (.error, .high): "critical"
        case (.error, .medium): "major"
        case (.error, .low): "minor"
        case (.warning, _): "minor"
        case (.note, _): "info"
        }
    }
}
