/// Handle keys are the structural spellings of access paths (`p->lock`, `&p->lock`).
/// Templates build them by text, so `*&x` and `&*x` are folded here too. These run at
/// every statement of every path, so they work on UTF-8 bytes, not Characters.
enum Keys {
    static func normalise(_ key: String) -> String {
        var k = key
        while k.hasPrefix("*&") || k.hasPrefix("&*") { k.removeFirst(2) }
        return k
    }

    /// `*&x` folded to `x` anywhere in a text (fix templates filled with `&fw`).
    static func foldAddressOfDeref(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")), find(Array("*&".utf8), in: Array(text.utf8)) != nil else { return text }
        var bytes = Array(text.utf8)
        while let at = find(Array("*&".utf8), in: bytes) { bytes.removeSubrange(at..<at + 2) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Elements of an array indexed by a variable (`argv[*]`): one name for many resources.
    static func isCollection(_ key: String) -> Bool {
        find(Array("[*]".utf8), in: Array(key.utf8)) != nil
    }

    /// Whether `key` reads `variable` anywhere (`p->lock` and `argv[*]` read `p`, `argv`):
    /// an occurrence not inside a longer identifier.
    static func mentions(_ key: String, _ variable: String) -> Bool {
        if key == variable { return true }
        let k = Array(key.utf8), v = Array(variable.utf8)
        guard !v.isEmpty, k.count > v.count else { return false }
        var start = 0
        while let at = find(v, in: k, from: start) {
            let before = at == 0 ? nil : k[at - 1]
            let after = at + v.count < k.count ? k[at + v.count] : nil
            if !(before.map(isIdentifier) ?? false) && !(after.map(isIdentifier) ?? false) { return true }
            start = at + 1
        }
        return false
    }

    /// The variable an access path starts from: `p` for `&p->lock`, `*pte`, `p->a.b`.
    static func root(_ key: String) -> String {
        let bytes = key.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex, bytes[start] == UInt8(ascii: "&") || bytes[start] == UInt8(ascii: "*")
                || bytes[start] == UInt8(ascii: "(") { start = bytes.index(after: start) }
        var end = start
        while end < bytes.endIndex, isIdentifier(bytes[end]) { end = bytes.index(after: end) }
        if start == bytes.startIndex && end == bytes.endIndex { return key }
        return String(Substring(key.utf8[start..<end]))
    }

    static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%") || byte >= 0x80
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        outer: for i in from...(haystack.count - needle.count) {
            for j in 0..<needle.count where haystack[i + j] != needle[j] { continue outer }
            return i
        }
        return nil
    }
}
