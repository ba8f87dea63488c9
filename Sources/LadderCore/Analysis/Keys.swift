/// Handle keys are the structural spellings of access paths (`p->lock`, `&p->lock`).
/// Templates build them by text, so `*&x` and `&*x` are folded here too.
enum Keys {
    static func normalise(_ key: String) -> String {
        var k = key
        while k.hasPrefix("*&") || k.hasPrefix("&*") { k.removeFirst(2) }
        return k
    }

    /// Elements of an array indexed by a variable (`argv[*]`): one name for many resources.
    static func isCollection(_ key: String) -> Bool { key.contains("[*]") }

    /// Whether `key` reads `variable` anywhere (`p->lock` and `argv[*]` read `p`, `argv`).
    static func mentions(_ key: String, _ variable: String) -> Bool {
        guard key.contains(variable) else { return false }
        return key.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "%") }).contains { $0 == variable }
    }

    /// The variable an access path starts from: `p` for `&p->lock`, `*pte`, `p->a.b`.
    static func root(_ key: String) -> String {
        var k = Substring(key)
        while let first = k.first, first == "&" || first == "*" || first == "(" { k = k.dropFirst() }
        let end = k.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "%") } ?? k.endIndex
        return String(k[..<end])
    }
}
