import Foundation
import LadderCore

/// Inline expectations in a fixture, clang `-verify` style:
/// `// expected-error {{substring}} [rule-id]`, optionally `expected-error@+N`.
struct Expectation: Hashable, CustomStringConvertible {
    var line: Int
    var rule: String
    var substring: String

    var description: String { "line \(line): [\(rule)] {{\(substring)}}" }

    static func parse(_ text: String) -> [Expectation] {
        var result: [Expectation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let range = rest.range(of: "expected-error") ?? rest.range(of: "expected-warning") {
                rest = rest[range.upperBound...]
                var offset = 0
                if rest.hasPrefix("@") {
                    let digits = rest.dropFirst().prefix { $0 == "+" || $0 == "-" || $0.isNumber }
                    offset = Int(digits.replacingOccurrences(of: "+", with: "")) ?? 0
                    rest = rest.dropFirst(1 + digits.count)
                }
                guard let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { break }
                let substring = String(rest[open.upperBound..<close.lowerBound])
                rest = rest[close.upperBound...]
                var rule = ""
                if let lb = rest.firstIndex(of: "["), let rb = rest[lb...].firstIndex(of: "]"),
                   rest[..<lb].allSatisfy(\.isWhitespace) {
                    rule = String(rest[rest.index(after: lb)..<rb])
                    rest = rest[rest.index(after: rb)...]
                }
                result.append(Expectation(line: index + 1 + offset, rule: rule, substring: substring))
            }
        }
        return result
    }

    func matches(_ finding: Finding) -> Bool {
        finding.location.line == line && finding.rule.rawValue == rule && finding.message.contains(substring)
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
