/// `invalid-suppression`: a `ladder-ignore` comment that is malformed or suppresses nothing.
///
/// No check: the suppression machinery (`LadderReport/Suppressions.swift`) reports it while
/// it applies the comments to the findings, after the analysis. It is registered so that it
/// has a severity, an explanation and a place in SARIF's rule list like every other rule.
extension RuleID {
    public static let invalidSuppression = RuleID("invalid-suppression")
}

public enum InvalidSuppression {
    public static let rule = RuleSpec(
        id: .invalidSuppression,
        severity: .warning,
        summary: "a ladder-ignore comment that is malformed or suppresses nothing",
        explanation: RuleExplanation(
            details: "A suppression must name a known rule and give a reason, and must match a finding: on its own line or the next for `// ladder-ignore[rule]: reason`, between the markers for `/* ladder-ignore-begin[rule]: reason */ ... /* ladder-ignore-end */`. A malformed suppression suppresses nothing; one that matches nothing is stale (the bug was fixed, or the code moved) and should be deleted.",
            wrong: """
                // ladder-ignore: freed by the caller
                return 0;
                """,
            right: """
                // ladder-ignore[missing-release]: the caller frees pt on every error
                return 0;
                """),
        tags: ["maintainability"],
        check: nil)
}
