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

/// Every exit code `ladder` uses, and why. Nothing else in Sources spells a code as a
/// number: a CI gate reads these, so each must mean one thing across commands.
///
/// The one rule behind them: 1 is a verdict about the code under test (findings, or an
/// unexplained disagreement), 2 is "this run cannot be believed". A usage error is 2, never
/// 1, so a typo in a CI script is not mistaken for bugs found (nor, with `|| true` around a
/// lint step, for a pass).
public enum ExitStatus {
    // MARK: ladder lint

    /// No finding at or above `--fail-on`.
    public static let clean: Int32 = 0
    /// Findings at or above `--fail-on`.
    public static let findings: Int32 = 1
    /// The run cannot be trusted: bad arguments, an unusable rule pack, compile database or
    /// baseline, unreadable inputs, nothing processed, not everything checked (a file that
    /// did not parse, a function left unanalysed; `--allow-incomplete` lifts this one), a
    /// cancelled run, or a report that could not be written.
    public static let untrusted: Int32 = 2

    // MARK: every command

    /// Arguments swift-argument-parser rejects, an unknown rule for `explain`, or an error
    /// nobody caught: the same as `untrusted`, for the reason above.
    public static let usage: Int32 = untrusted

    /// `ladder dump-cfg`: the file did not load, or has no function to print.
    public static let nothingToShow: Int32 = untrusted

    // MARK: ladder groundtruth

    /// The codes of `ladder groundtruth FILES`: a verdict on whether ladder's findings
    /// agree with what the code did when run on the Sv39 model.
    public enum GroundTruth {
        /// Ground truth ran; with `--fail-on-disagreement`, every disagreement between
        /// findings and runs is explained (an `--explained` file).
        public static let agrees: Int32 = clean
        /// With `--fail-on-disagreement`: a disagreement nobody has explained.
        public static let unexplained: Int32 = findings
        /// Ground truth could not run: no toolchain, no runtime, no unit that built, or the
        /// model's own reference failed.
        public static let cannotRun: Int32 = untrusted
    }

    /// The help text each command shows, from the codes above.
    public static let lintHelp = "Exit status: \(clean) no finding at or above --fail-on, \(findings) findings, \(untrusted) the run could not be trusted (including: not every file or function was checked, unless --allow-incomplete)."

    /// The lint exit codes, decided from the final report (after baseline and
    /// suppressions). A run that processed no file is untrusted whatever it found: an empty
    /// report from a wrong path or a broken compile database must not pass a CI gate. So is,
    /// by default, a run that did not check everything: any entry in `report.errors` (a file
    /// that did not load, a function no analysis finished) means findings may be missing.
    /// `allowIncomplete` keeps those runs to their verdict by findings; the errors are still
    /// listed in every format.
    public static func code(for report: Report, failOn: FailOn, allowIncomplete: Bool = false) -> Int32 {
        guard report.stats.files > 0 else { return untrusted }
        if !allowIncomplete && !report.errors.isEmpty { return untrusted }
        return verdict(report, failOn: failOn)
    }

    /// As `code(for:failOn:allowIncomplete:)`, for one shard of a sharded run. A shard to
    /// which the hash gave no file of a non-empty input was asked to check nothing and did:
    /// its siblings cover every file, so it is clean rather than untrusted (unless an input
    /// was unusable).
    public static func code(forShard report: Report, failOn: FailOn, selectedNothing: Bool,
                            allowIncomplete: Bool = false) -> Int32 {
        if selectedNothing && report.errors.isEmpty { return verdict(report, failOn: failOn) }
        return code(for: report, failOn: failOn, allowIncomplete: allowIncomplete)
    }

    static func verdict(_ report: Report, failOn: FailOn) -> Int32 {
        guard let threshold = failOn.threshold else { return clean }
        return report.findings.contains { $0.severity >= threshold } ? findings : clean
    }
}
