/// Everything about one rule, in one place: what `ladder explain`, `ladder rules`, SARIF's
/// `tool.driver.rules`, the docs tests and the analysis read. A rule's file in `Checks/`
/// declares its spec; `Registry.rules` lists the specs.
public struct RuleSpec: Sendable {
    public let id: RuleID
    /// What its findings carry, and SARIF's `defaultConfiguration.level`.
    public let severity: Severity
    /// One line, lower case, no full stop: `ladder rules`, SARIF `shortDescription`.
    public let summary: String
    public let explanation: RuleExplanation
    /// SARIF `properties.tags`, by which code scanning filters alerts.
    public let tags: [String]
    /// How the analysis finds it; nil for a rule reported elsewhere (`invalid-suppression`
    /// comes from the suppression comments, not from the analysis).
    public let check: (any Check)?
    /// The edit that repairs a finding, where the rule can say.
    public let fix: (any FixBuilder)?

    public init(id: RuleID, severity: Severity, summary: String, explanation: RuleExplanation, tags: [String],
                check: (any Check)?, fix: (any FixBuilder)? = nil) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.explanation = explanation
        self.tags = tags
        self.check = check
        self.fix = fix
    }
}

/// The long form of a rule, with a wrong and a right example (C, without indentation of its own).
public struct RuleExplanation: Sendable, Hashable {
    public var details: String
    public var wrong: String
    public var right: String

    public init(details: String, wrong: String, right: String) {
        self.details = details
        self.wrong = wrong
        self.right = right
    }
}
