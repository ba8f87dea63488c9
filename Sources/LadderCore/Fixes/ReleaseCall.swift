import Foundation

/// A release call a fix inserts, split into callee and argument text (`iput` and `ip` of
/// `iput(ip)`), so calls with the same arguments can be combined.
struct ReleaseCall: Sendable, Hashable {
    var callee: String
    var arguments: String

    /// From a pack's filled-in fix template (`iput(ip)`); nil for text that is not one call.
    init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else { return nil }
        let name = trimmed[..<open].trimmingSpaces
        guard !name.isEmpty, Self.isIdentifier(name) else { return nil }
        callee = name
        arguments = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
    }

    init(callee: String, arguments: String) {
        self.callee = callee
        self.arguments = arguments
    }

    var text: String { "\(callee)(\(arguments))" }

    /// Byte by byte for ASCII names (every C name a pack writes), by `Character` otherwise.
    private static func isIdentifier(_ name: String) -> Bool {
        name.utf8.allSatisfy(SourceText.isIdentifier) || name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Arguments compared as C compares them: spacing does not matter.
    var key: String { callee + "(" + arguments.filter { !$0.isWhitespace } + ")" }

    /// Replaces every complete set of a combined call's parts with the same arguments by the
    /// combined call, where its first part was (`iunlock(ip); iput(ip);` → `iunlockput(ip);`).
    /// Longer combinations win over shorter ones.
    static func combining(_ calls: [ReleaseCall], with combines: [String: [String]]) -> [ReleaseCall] {
        var result = calls
        for (combined, parts) in combines.sorted(by: { ($0.value.count, $0.key) > ($1.value.count, $1.key) }) {
            var changed = true
            while changed {
                changed = false
                for first in result where parts.contains(first.callee) {
                    let args = first.arguments.filter { !$0.isWhitespace }
                    let indices = parts.map { part in
                        result.firstIndex { $0.callee == part && $0.arguments.filter { !$0.isWhitespace } == args }
                    }
                    guard indices.allSatisfy({ $0 != nil }) else { continue }
                    let found = indices.compactMap { $0 }
                    let at = found.min()!
                    var merged = result
                    merged[at] = ReleaseCall(callee: combined, arguments: first.arguments)
                    for i in found.sorted(by: >) where i != at { merged.remove(at: i) }
                    result = merged
                    changed = true
                    break
                }
            }
        }
        return result
    }

    /// The parts a call stands for (itself when it combines nothing), for comparing what two
    /// paths release.
    func expanded(with combines: [String: [String]]) -> [ReleaseCall] {
        guard let parts = combines[callee] else { return [self] }
        return parts.flatMap { ReleaseCall(callee: $0, arguments: arguments).expanded(with: combines) }
    }
}
