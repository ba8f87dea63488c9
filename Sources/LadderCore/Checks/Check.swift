/// How the analysis finds one rule's problems. Two entry points, both optional: the path
/// walk hands each `AnalysisEvent` to the first, and every function, once, to the second.
/// A rule that needs nothing the path walk observes (a property of the CFG and the pack)
/// uses only the second, so it is added without touching the engine.
///
/// Findings carry the rule's id; their severity is the spec's, set by the registry.
public protocol Check: Sendable {
    func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding]
    func inspect(function: Function, pack: RulePack) -> [Finding]
}

extension Check {
    public func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] { [] }
    public func inspect(function: Function, pack: RulePack) -> [Finding] { [] }
}

/// What a finding was made from: what a fix builder may look at.
public enum Evidence: Sendable {
    case event(AnalysisEvent, CheckContext)
    case function(Function, RulePack)

    /// Whether the finding will be kept (`CheckContext.keeps`); findings about a whole
    /// function always are.
    func keeps(_ finding: Finding) -> Bool {
        if case .event(_, let context) = self { return context.keeps(finding) }
        return true
    }
}

/// Builds the edit that repairs one of a rule's findings, apart from deciding that there is
/// a finding: a check says what is wrong, its fix builder how to put it right.
public protocol FixBuilder: Sendable {
    func fix(for finding: Finding, from evidence: Evidence) -> Fix?
}
