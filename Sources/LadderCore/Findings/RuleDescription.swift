/// What `ladder explain` and SARIF's `tool.driver.rules` say about a rule.
public struct RuleDescription: Sendable, Hashable {
    public var id: RuleID
    public var summary: String
    public var details: String
    public var wrong: String
    public var right: String

    public init(id: RuleID, summary: String, details: String, wrong: String, right: String) {
        self.id = id
        self.summary = summary
        self.details = details
        self.wrong = wrong
        self.right = right
    }
}
