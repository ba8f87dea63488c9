/// The registry: every rule ladder can report. Adding a rule adds its file in `Checks/`
/// (spec, `RuleID` constant, check), its fixtures in `fixtures/checks/<id>/`, its section in
/// `docs/rules.md`, and one line here (docs/contributing.md walks through it).
public enum Registry {
    /// In the order SARIF numbers them (`ruleIndex`): append, never reorder, or every code
    /// scanning alert changes rule.
    public static let rules: [RuleSpec] = [
        MissingRelease.rule,
        ReleaseOrder.rule,
        DoubleRelease.rule,
        ReleaseUnacquired.rule,
        InvalidSuppression.rule,
        UncheckedAcquire.rule,
    ]

    private static let byID: [RuleID: RuleSpec] = Dictionary(
        rules.map { ($0.id, $0) }, uniquingKeysWith: { first, second in
            preconditionFailure("rule '\(first.id)' is registered twice")
        })

    public static func spec(_ id: RuleID) -> RuleSpec? { byID[id] }

    /// The index SARIF's `ruleIndex` gives a rule.
    public static func index(of id: RuleID) -> Int? { rules.firstIndex { $0.id == id } }
}

/// The registered rules are all the ids there are, in registry order.
extension RuleID: CaseIterable {
    public static var allCases: [RuleID] { Registry.rules.map(\.id) }
}

/// The checks the analysis runs: each registered rule's, wrapped so that its findings carry
/// the spec's severity and fix.
public enum Checks {
    public static let all: [any Check] = Registry.rules.compactMap(RegisteredCheck.init)
}

struct RegisteredCheck: Check {
    let spec: RuleSpec
    let check: any Check

    init?(_ spec: RuleSpec) {
        guard let check = spec.check else { return nil }
        self.spec = spec
        self.check = check
    }

    func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] {
        check.inspect(event, in: context).map { complete($0, from: .event(event, context)) }
    }

    func inspect(function: Function, pack: RulePack) -> [Finding] {
        check.inspect(function: function, pack: pack).map { complete($0, from: .function(function, pack)) }
    }

    private func complete(_ finding: Finding, from evidence: Evidence) -> Finding {
        assert(finding.rule == spec.id, "\(spec.id)'s check reported a finding of \(finding.rule)")
        var finding = finding
        finding.severity = spec.severity
        if finding.fix == nil, let builder = spec.fix, evidence.keeps(finding) {
            finding.fix = builder.fix(for: finding, from: evidence)
        }
        return finding
    }
}
