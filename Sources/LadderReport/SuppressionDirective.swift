import Foundation
import LadderCore

/// What a `ladder-ignore` comment says, once parsed.
///
///     // ladder-ignore[missing-release]: the caller frees pt on every error
///     /* ladder-ignore-begin[release-order, double-release]: legacy driver, see #12 */
///     /* ladder-ignore-end */
///
/// A comment is a directive only when its text starts with `ladder-ignore` as a word, so
/// prose that mentions it ("see ladder-ignored.md") is left alone.
enum SuppressionDirective: Sendable, Hashable {
    /// Suppresses findings on the comment's line(s) or the line after.
    case next(rules: [RuleID], reason: String)
    case begin(rules: [RuleID], reason: String)
    case end

    /// What every directive starts with.
    static let keyword = "ladder-ignore"

    /// The rules a suppression may name: every rule but its own, which would let a
    /// malformed suppression silence the report about itself.
    static let suppressible: [RuleID] = RuleID.allCases.filter { $0 != .invalidSuppression }

    enum Parsed: Sendable, Hashable {
        case notDirective
        case directive(SuppressionDirective)
        /// A malformed directive, with the message of its `invalid-suppression` finding.
        case invalid(String)
    }

    static func parse(_ body: String) -> Parsed {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        let keyword = Self.keyword
        guard text.hasPrefix(keyword) else { return .notDirective }
        var rest = Substring(text.dropFirst(keyword.count))
        if let first = rest.first, first.isLetter || first.isNumber || first == "_" { return .notDirective }

        enum Form { case next, begin }
        let form: Form
        let spelled: String
        if rest.hasPrefix("-begin"), !continuesWord(rest.dropFirst(6)) {
            form = .begin
            spelled = "ladder-ignore-begin"
            rest = rest.dropFirst(6)
        } else if rest.hasPrefix("-end"), !continuesWord(rest.dropFirst(4)) {
            return .directive(.end)
        } else if rest.hasPrefix("-") {
            let word = keyword + rest.prefix { !$0.isWhitespace && $0 != "[" && $0 != ":" }
            return .invalid("unknown suppression '\(word)': write '\(keyword)[rule-id]: reason', '\(keyword)-begin[rule-id]: reason' or '\(keyword)-end'")
        } else {
            form = .next
            spelled = keyword
        }

        rest = rest.drop { $0.isWhitespace }
        guard rest.first == "[" else {
            return .invalid("suppression names no rule: write '\(spelled)[rule-id]: reason'")
        }
        guard let close = rest.firstIndex(of: "]") else {
            return .invalid("suppression's rule list has no closing ']'")
        }
        let names = rest[rest.index(after: rest.startIndex)..<close]
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !names.isEmpty else {
            return .invalid("suppression names no rule: write '\(spelled)[rule-id]: reason'")
        }
        var rules: [RuleID] = []
        for name in names {
            guard let rule = RuleID(rawValue: name), suppressible.contains(rule) else {
                let known = suppressible.map(\.rawValue).joined(separator: ", ")
                return .invalid("unknown rule '\(name)' in suppression (rules: \(known))")
            }
            rules.append(rule)
        }
        let list = names.joined(separator: ", ")

        var after = rest[rest.index(after: close)...].drop { $0.isWhitespace }
        guard after.first == ":" else {
            return .invalid("suppression of \(list) gives no reason: write '\(spelled)[\(list)]: why this is safe'")
        }
        after = after.dropFirst()
        let reason = after.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            return .invalid("suppression of \(list) gives no reason: write '\(spelled)[\(list)]: why this is safe'")
        }
        switch form {
        case .next: return .directive(.next(rules: rules, reason: reason))
        case .begin: return .directive(.begin(rules: rules, reason: reason))
        }
    }

    private static func continuesWord(_ s: Substring) -> Bool {
        guard let first = s.first else { return false }
        return first.isLetter || first.isNumber || first == "_" || first == "-"
    }
}
