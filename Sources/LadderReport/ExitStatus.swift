import LadderCore

/// `--fail-on error|warning|never`: the lowest severity that fails the run.
public enum FailOn: String, CaseIterable, Sendable {
    case error, warning, never

    /// The threshold severity, or nil when nothing fails the run.
    public var threshold: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .never: nil
        }
    }
}

/// DESIGN.md's exit codes, decided from the final report (after baseline and suppressions).
public enum ExitStatus {
    /// No finding at or above `--fail-on`.
    public static let clean: Int32 = 0
    /// Findings at or above `--fail-on`.
    public static let findings: Int32 = 1
    /// The run cannot be trusted: bad arguments, unreadable inputs, nothing processed.
    public static let untrusted: Int32 = 2

    /// A run that processed no file is untrusted whatever it found: an empty report from a
    /// wrong path or a broken compile database must not pass a CI gate. Files that failed
    /// among others are listed in the report but do not change the code.
    public static func code(for report: Report, failOn: FailOn) -> Int32 {
        guard report.stats.files > 0 else { return untrusted }
        guard let threshold = failOn.threshold else { return clean }
        return report.findings.contains { $0.severity >= threshold } ? findings : clean
    }
}
