import Foundation

/// A simple statement as written: the release call a fix moves or deletes. Only a statement
/// that stands in a block on its own (after `;`, `{`, `}` or a label) qualifies: one that is the body
/// of a braceless `if` or shares a condition is left to the author.
struct StatementText {
    let range: Range<Int>
    let text: String

    init?(at location: SourceLocation, in source: SourceText) {
        guard let start = source.position(location), let end = source.statementEnd(from: start.offset),
              let prev = source.previousSignificant(before: start.offset),
              [UInt8(ascii: ";"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ":")].contains(source.bytes[prev]) else { return nil }
        range = start.offset..<end
        text = source.text(range)
    }

    /// The whole lines it occupies, with their newline, when nothing else shares them (a
    /// trailing `//` comment goes with it); nil otherwise.
    func lines(in source: SourceText) -> Range<Int>? {
        let first = source.position(offset: range.lowerBound).line
        let last = source.position(offset: range.upperBound).line
        guard source.startsLine(source.position(offset: range.lowerBound)) else { return nil }
        let rest = source.text(range.upperBound..<source.lineEnd(last)).trimmingSpaces
        guard rest.isEmpty || rest.hasPrefix("//") else { return nil }
        return source.lineStart(first)..<min(source.lineEnd(last) + 1, source.bytes.count)
    }

    /// Whether C code (comments left out) names `identifier` as a whole word.
    static func mentions(_ code: String, _ identifier: String) -> Bool {
        var text = ""
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            text += (line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)) + "\n"
        }
        while let open = text.range(of: "/*"), let close = text.range(of: "*/", range: open.upperBound..<text.endIndex) {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        let word = { (c: Character) in c.isLetter || c.isNumber || c == "_" }
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: identifier, range: search) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before.map(word) ?? false) && !(after.map(word) ?? false) { return true }
            search = r.upperBound..<text.endIndex
        }
        return false
    }

    /// Whether `code` reaches a field or an element through `name` (`b->refcnt`, `kmem.freelist`,
    /// `bufs[i]`), rather than using its value.
    static func reachesThrough(_ code: String, _ name: String) -> Bool {
        let chars = Array(code)
        let word = Array(name)
        guard !word.isEmpty, chars.count > word.count else { return false }
        func isName(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        for i in 0...(chars.count - word.count) where Array(chars[i..<(i + word.count)]) == word {
            if i > 0 && isName(chars[i - 1]) { continue }
            var j = i + word.count
            while j < chars.count, chars[j] == " " { j += 1 }
            guard j < chars.count else { continue }
            if chars[j] == "[" || (chars[j] == "." && (j + 1 == chars.count || !chars[j + 1].isNumber)) { return true }
            if chars[j] == "-", j + 1 < chars.count, chars[j + 1] == ">" { return true }
        }
        return false
    }
}
