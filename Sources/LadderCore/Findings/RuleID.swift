/// A rule's identity: the id users write in suppressions, `--format` output and
/// `ladder explain` (`missing-release`).
///
/// A struct rather than an enum so that a rule declares its own constant beside its check
/// (`extension RuleID { public static let missingRelease = RuleID("missing-release") }`) and
/// adding a rule edits no central list but the registry (`Registry.rules`). The set of rules
/// that exist is the registry's; this type only knows what an id looks like.
public struct RuleID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// An id as users spell it: lower-case words joined by hyphens. Anything else is not an
    /// id of any rule, registered or not (a typo in a suppression, a corrupt report).
    public init?(rawValue: String) {
        guard Self.isWellFormed(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// For the constants the checks declare; a malformed one is a programming error.
    public init(_ rawValue: String) {
        precondition(Self.isWellFormed(rawValue), "'\(rawValue)' is not a rule id: lower-case words joined by hyphens")
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = RuleID(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a rule id")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }

    static func isWellFormed(_ text: String) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        return !text.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }
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
