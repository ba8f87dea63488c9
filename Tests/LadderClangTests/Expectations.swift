import Foundation
import LadderCore

/// One thing a fixture states about its findings, clang `-verify` style
/// (fixtures/checks/README.md, "Expectations"). `line` is the line it is about, after any
/// `@+N`/`@-N`.
struct Expectation: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        /// `expected-error {{substring}} [rule]` or `expected-warning …`: a finding of that
        /// severity and rule whose primary location is on the line and whose message contains
        /// the substring.
        case finding(Severity, RuleID, substring: String)
        /// `expected-note {{substring}}`: a path step on the line whose message contains it.
        case note(substring: String)
        /// `expected-fix {{text}}`: a fix whose first edit is on the line and that makes the
        /// lines it touches read `text` (`FixedText`).
        case fix(text: String)
    }

    var line: Int
    var kind: Kind

    var description: String {
        switch kind {
        case .finding(let severity, let rule, let substring): "line \(line): expected-\(severity.rawValue) {{\(substring)}} [\(rule.rawValue)]"
        case .note(let substring): "line \(line): expected-note {{\(substring)}}"
        case .fix(let text): "line \(line): expected-fix {{\(Expectation.escape(text))}}"
        }
    }

    /// Fix text as it is written between braces: a newline as `\n`, a tab as `\t`, a backslash as `\\`.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }

    /// `// ladder-rules: linux` on the first lines picks the pack; xv6 otherwise.
    static func rules(in text: String) -> String {
        for line in text.split(separator: "\n").prefix(3) {
            if let range = line.range(of: "ladder-rules:") {
                return line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "xv6"
    }
}

/// A malformed expectation. An expectation the parser skipped would be a check that cannot
/// fail, so every `expected-` in a fixture must parse or stop the test.
struct ExpectationSyntaxError: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var message: String

    var description: String { "\(file):\(line): \(message)" }
}

extension Expectation {
    /// Every expectation in `text`, in order. `file` only names the fixture in errors.
    static func parse(_ text: String, file: String) throws(ExpectationSyntaxError) -> [Expectation] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var result: [Expectation] = []
        for (index, line) in lines.enumerated() {
            var scanner = DirectiveScanner(rest: line[...], file: file, line: index + 1)
            while let expectation = try scanner.next() {
                guard (1...lines.count).contains(expectation.line) else {
                    throw ExpectationSyntaxError(file: file, line: index + 1,
                                                 message: "the expectation points at line \(expectation.line), outside the file")
                }
                result.append(expectation)
            }
        }
        return result
    }
}

/// Reads the directives on one line: `expected-KIND[@±N] {{…}}`, and for findings ` [rule]`.
private struct DirectiveScanner {
    var rest: Substring
    let file: String
    let line: Int

    mutating func next() throws(ExpectationSyntaxError) -> Expectation? {
        guard let start = rest.range(of: "expected-") else { return nil }
        rest = rest[start.upperBound...]
        let word = String(rest.prefix { $0.isLetter })
        rest = rest.dropFirst(word.count)
        let target = line + (try offset())
        let body = try braces()
        switch word {
        case "error", "warning":
            return Expectation(line: target, kind: .finding(word == "error" ? .error : .warning, try rule(), substring: body))
        case "note":
            return Expectation(line: target, kind: .note(substring: body))
        case "fix":
            return Expectation(line: target, kind: .fix(text: try unescape(body)))
        default:
            throw fail("unknown directive 'expected-\(word)' (expected-error, -warning, -note or -fix)")
        }
    }

    private mutating func offset() throws(ExpectationSyntaxError) -> Int {
        guard rest.first == "@" else { return 0 }
        rest = rest.dropFirst()
        guard let sign = rest.first, sign == "+" || sign == "-" else { throw fail("'@' must be followed by +N or -N") }
        let digits = rest.dropFirst().prefix(while: \.isNumber)
        guard let n = Int(digits) else { throw fail("'@\(sign)' must be followed by a number") }
        rest = rest.dropFirst(1 + digits.count)
        return sign == "+" ? n : -n
    }

    private mutating func braces() throws(ExpectationSyntaxError) -> String {
        let trimmed = rest.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("{{") else { throw fail("expected '{{' after the directive") }
        let open = trimmed.index(trimmed.startIndex, offsetBy: 2)
        guard let close = trimmed.range(of: "}}", range: open..<trimmed.endIndex) else { throw fail("'{{' without '}}'") }
        rest = trimmed[close.upperBound...]
        return String(trimmed[open..<close.lowerBound])
    }

    private mutating func rule() throws(ExpectationSyntaxError) -> RuleID {
        let trimmed = rest.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "[", let end = trimmed.firstIndex(of: "]") else { throw fail("a finding needs its rule: [rule-id]") }
        let name = String(trimmed[trimmed.index(after: trimmed.startIndex)..<end])
        guard let rule = RuleID(rawValue: name), Registry.spec(rule) != nil else { throw fail("unknown rule '\(name)'") }
        rest = trimmed[trimmed.index(after: end)...]
        return rule
    }

    private func unescape(_ body: String) throws(ExpectationSyntaxError) -> String {
        var result = ""
        var characters = body.makeIterator()
        while let c = characters.next() {
            guard c == "\\" else { result.append(c); continue }
            switch characters.next() {
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "\\": result.append("\\")
            case let other: throw fail("unknown escape '\\\(other.map(String.init) ?? "")' in a fix (\\n, \\t and \\\\ only)")
            }
        }
        return result
    }

    private func fail(_ message: String) -> ExpectationSyntaxError {
        ExpectationSyntaxError(file: file, line: line, message: message)
    }
}
