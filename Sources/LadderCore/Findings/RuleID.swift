/// Every kind of finding `ladder` can report. The four checks come first; the last is
/// reported by the suppression machinery about its own comments.
public enum RuleID: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case missingRelease = "missing-release"
    case releaseOrder = "release-order"
    case doubleRelease = "double-release"
    case releaseUnacquired = "release-unacquired"
    case invalidSuppression = "invalid-suppression"

    public static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }
}

public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
