/// Every disagreement between ladder and the runs that is understood, in one place, each
/// with its reason. GroundTruthTests fails on a disagreement not listed here, and on an
/// entry that no longer matches anything (so the list stays true).
public struct KnownDisagreement: Hashable, Sendable, Codable {
    /// A suffix of the fixture's path, e.g. "fixtures/xv6/vm.c".
    public var file: String
    public var function: String
    public var kind: Agreement.Disagreement.Kind
    /// The finding's rule, or the problem's class.
    public var what: String
    public var reason: String
}

public enum KnownDisagreements {
    public static let all: [KnownDisagreement] = [
        KnownDisagreement(
            file: "fixtures/xv6/vm.c", function: "mappages", kind: .missedProblem, what: "held-at-error-exit",
            reason: """
                By contract: mappages leaves the pages it mapped before a failure mapped ("callers that \
                map more than one page must undo themselves"; every caller maps one page). Mapping two \
                pages across a 2 MiB boundary and failing the second level-0 table shows it. ladder \
                reports nothing because mappages installs leaves by storing PTEs, which is not an \
                acquisition it tracks inside mappages itself.
                """),
    ]

    /// The reason a disagreement is known, or nil.
    public static func explanation(file: String, function: String, kind: Agreement.Disagreement.Kind,
                                   what: String) -> String?
    {
        all.first { file.hasSuffix($0.file) && $0.function == function && $0.kind == kind && $0.what == what }?.reason
    }
}
