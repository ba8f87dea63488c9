import LadderCore

/// Every rule ladder can report, with its description: the four checks' own descriptions
/// from LadderCore's registry, plus `invalid-suppression`, which belongs to this module's
/// suppression comments. SARIF's `tool.driver.rules` and `ladder explain` both read it, so
/// the help a code-scanning UI shows is the help the terminal shows.
public enum RuleCatalog {
    public static let invalidSuppression = RuleDescription(
        id: .invalidSuppression,
        summary: "a ladder-ignore comment that is malformed or suppresses nothing",
        details: "A suppression must name a known rule and give a reason, and must match a finding: on its own line or the next for `// ladder-ignore[rule]: reason`, between the markers for `/* ladder-ignore-begin[rule]: reason */ ... /* ladder-ignore-end */`. A malformed suppression suppresses nothing; one that matches nothing is stale (the bug was fixed, or the code moved) and should be deleted.",
        wrong: """
            // ladder-ignore: freed by the caller
            return 0;
            """,
        right: """
            // ladder-ignore[missing-release]: the caller frees pt on every error
            return 0;
            """)

    /// In `RuleID.allCases` order, which is also SARIF's `ruleIndex` order.
    public static var descriptions: [RuleDescription] {
        RuleID.allCases.map(description(of:))
    }

    public static func description(of rule: RuleID) -> RuleDescription {
        switch rule {
        case .invalidSuppression:
            return invalidSuppression
        case .missingRelease, .releaseOrder, .doubleRelease, .releaseUnacquired:
            return Checks.description(of: rule)
                ?? RuleDescription(id: rule, summary: rule.rawValue, details: "", wrong: "", right: "")
        }
    }

    /// The severity a rule's findings carry unless the analysis says otherwise.
    public static func defaultSeverity(of rule: RuleID) -> Severity {
        switch rule {
        case .missingRelease, .releaseOrder, .doubleRelease, .releaseUnacquired: .error
        case .invalidSuppression: .warning
        }
    }

    /// Plain-text help, as `ladder explain RULE` prints it.
    public static func helpText(for rule: RuleID) -> String {
        let d = description(of: rule)
        var out = "\(d.id.rawValue): \(d.summary)\n"
        if !d.details.isEmpty { out += "\n\(d.details)\n" }
        if !d.wrong.isEmpty { out += "\nWrong:\n" + indented(d.wrong) }
        if !d.right.isEmpty { out += "\nRight:\n" + indented(d.right) }
        return out
    }

    /// The same help as Markdown, for SARIF viewers that render it.
    public static func helpMarkdown(for rule: RuleID) -> String {
        let d = description(of: rule)
        var out = "**\(d.id.rawValue)**: \(d.summary)\n"
        if !d.details.isEmpty { out += "\n\(d.details)\n" }
        if !d.wrong.isEmpty { out += "\nWrong:\n\n```c\n\(d.wrong)\n```\n" }
        if !d.right.isEmpty { out += "\nRight:\n\n```c\n\(d.right)\n```\n" }
        return out
    }

    private static func indented(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)\n" }.joined()
    }
}
