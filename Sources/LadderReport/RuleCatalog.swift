import LadderCore

/// A rule's help as text and as Markdown, from its spec in LadderCore's registry. SARIF's
/// `tool.driver.rules` and `ladder explain` both print it, so the help a code-scanning UI
/// shows is the help the terminal shows.
public enum RuleCatalog {
    /// Plain-text help, as `ladder explain RULE` prints it.
    public static func helpText(for rule: RuleSpec) -> String {
        let e = rule.explanation
        var out = "\(rule.id.rawValue): \(rule.summary)\n"
        if !e.details.isEmpty { out += "\n\(e.details)\n" }
        if !e.wrong.isEmpty { out += "\nWrong:\n" + indented(e.wrong) }
        if !e.right.isEmpty { out += "\nRight:\n" + indented(e.right) }
        return out
    }

    /// The same help as Markdown, for SARIF viewers that render it.
    public static func helpMarkdown(for rule: RuleSpec) -> String {
        let e = rule.explanation
        var out = "**\(rule.id.rawValue)**: \(rule.summary)\n"
        if !e.details.isEmpty { out += "\n\(e.details)\n" }
        if !e.wrong.isEmpty { out += "\nWrong:\n\n```c\n\(e.wrong)\n```\n" }
        if !e.right.isEmpty { out += "\nRight:\n\n```c\n\(e.right)\n```\n" }
        return out
    }

    private static func indented(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)\n" }.joined()
    }
}
