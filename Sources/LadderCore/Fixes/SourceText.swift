import Foundation
import Synchronization

/// A source file's bytes as a fix is computed against them: line starts, indentation, and the
/// layout habits a new line must follow (tabs or spaces, `){` or `) {`).
///
/// Fixes are built from the file on disk when the finding is made. A file analysed from an
/// unsaved editor buffer that differs from the disk gets edits for the disk's text; its
/// `digest` then differs from the buffer's, and applying refuses them.
public struct SourceText: Sendable, Hashable {
    public let path: String
    public let bytes: [UInt8]
    /// Offset of the first byte of each line; `lineStarts[0]` is line 1.
    let lineStarts: [Int]
    /// The file's layout habits, each worked out over the whole file on first use and kept:
    /// recomputed for every fix, they were a tenth of the analysis of a large driver file
    /// (i40e_main.c, 16,000 lines).
    private let habits = Habits()

    private final class Habits: Sendable {
        let indentUnit = Mutex<String?>(nil)
        let blockOpener = Mutex<String?>(nil)
    }

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
        digest = Self.digest(bytes)
    }

    /// The text alone: habits are derived from it.
    public static func == (a: SourceText, b: SourceText) -> Bool { a.path == b.path && a.bytes == b.bytes }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(bytes)
    }

    public static func load(_ path: String) -> SourceText? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return SourceText(path: path, bytes: [UInt8](data))
    }

    /// FNV-1a, 64 bits, with the length: enough to tell an edited file from the analysed one
    /// (not a defence against someone forging a collision).
    /// Worked out once: every fix built against the file carries it, and a function's walk
    /// builds fixes for findings that its callers may still settle (locks returned held).
    public let digest: String

    public static func digest(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        // "%016llx-%d", without Foundation's formatter (most of this function's time).
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-" + String(bytes.count)
    }

    public var lineCount: Int { lineStarts.count }

    /// The position of 1-based `line`, `column` (UTF-8 bytes), or nil outside the file.
    public func position(line: Int, column: Int) -> TextPosition? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let offset = lineStarts[line - 1] + column - 1
        guard offset <= lineEnd(line) else { return nil }
        return TextPosition(line: line, column: column, offset: offset)
    }

    public func position(_ location: SourceLocation) -> TextPosition? {
        guard location.file == path || URL(fileURLWithPath: location.file).standardized.path
                == URL(fileURLWithPath: path).standardized.path else { return nil }
        return position(line: location.line, column: location.column)
    }

    public func position(offset: Int) -> TextPosition {
        let clamped = max(0, min(offset, bytes.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        return TextPosition(line: lo + 1, column: clamped - lineStarts[lo] + 1, offset: clamped)
    }

    /// Offset of the newline ending `line` (or the end of the file).
    public func lineEnd(_ line: Int) -> Int {
        line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    }

    public func lineStart(_ line: Int) -> Int { lineStarts[line - 1] }

    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[max(0, range.lowerBound)..<min(bytes.count, range.upperBound)], as: UTF8.self)
    }

    /// The leading spaces and tabs of `line`.
    public func indentation(of line: Int) -> String {
        let start = lineStart(line)
        var end = start
        while end < bytes.count, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
        return text(start..<end)
    }

    /// Whether only indentation precedes `position` on its line.
    public func startsLine(_ position: TextPosition) -> Bool {
        indentation(of: position.line).utf8.count == position.column - 1
    }

    /// One level of indentation as this file writes it: a tab when most indented lines start
    /// with one, otherwise the most common step between a line and the next deeper one.
    public var indentUnit: String { Self.remembered(habits.indentUnit, measureIndentUnit) }

    private static func remembered(_ habit: borrowing Mutex<String?>, _ measure: () -> String) -> String {
        habit.withLock { known in
            if let known { return known }
            let value = measure()
            known = value
            return value
        }
    }

    private func measureIndentUnit() -> String {
        var tabs = 0, spaced = 0
        var steps: [Int: Int] = [:]
        var previous = 0
        for line in 1...lineCount {
            let (start, end) = lineBody(line)
            var indentEnd = start
            while indentEnd < end, bytes[indentEnd] == UInt8(ascii: " ") || bytes[indentEnd] == UInt8(ascii: "\t") { indentEnd += 1 }
            guard end > indentEnd else { continue }
            let tabbed = indentEnd > start && bytes[start] == UInt8(ascii: "\t")
            if tabbed { tabs += 1 } else if indentEnd > start { spaced += 1 }
            let width = tabbed ? 0 : indentEnd - start
            if width > previous { steps[width - previous, default: 0] += 1 }
            previous = width
        }
        if tabs >= spaced && tabs > 0 { return "\t" }
        let step = steps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 2
        return String(repeating: " ", count: step)
    }

    /// `" {"` or `"{"`: how this file opens a block after a condition's `)`.
    public var blockOpener: String { Self.remembered(habits.blockOpener, measureBlockOpener) }

    private func measureBlockOpener() -> String {
        var tight = 0, spaced = 0, conditions = (tight: 0, spaced: 0)
        bytes.withUnsafeBufferPointer { all in
            for line in 1...lineCount {
                // The line without the spaces and tabs around it, as bytes: the patterns are
                // ASCII, and a String per line was most of the cost of a file's first fix.
                var (start, end) = lineBody(line)
                while start < end, all[start] == UInt8(ascii: " ") || all[start] == UInt8(ascii: "\t") { start += 1 }
                while end > start, all[end - 1] == UInt8(ascii: " ") || all[end - 1] == UInt8(ascii: "\t") { end -= 1 }
                let text = UnsafeBufferPointer(rebasing: all[start..<end])
                let control = Self.controlOpeners.contains { ByteSearch.hasPrefix(text, $0) }
                guard control else { continue }
                if ByteSearch.hasSuffix(text, Self.tightOpener) { tight += 1 } else if ByteSearch.hasSuffix(text, Self.spacedOpener) { spaced += 1 }
                if Self.tightConditions.contains(where: { ByteSearch.contains(text, $0) }) { conditions.tight += 1 } else { conditions.spaced += 1 }
            }
        }
        // No block after a condition yet: xv6 writes `if(` and `){` together, Linux `if (` and `) {`.
        if tight == spaced { (tight, spaced) = conditions }
        return tight > spaced ? "{" : " {"
    }

    private static let controlOpeners: [[UInt8]] = ["if", "for", "while", "} else if"].flatMap { [Array(($0 + "(").utf8), Array(($0 + " (").utf8)] }
    private static let tightConditions: [[UInt8]] = ["if(", "while(", "for("].map { Array($0.utf8) }
    private static let tightOpener = Array("){".utf8)
    private static let spacedOpener = Array(") {".utf8)

    /// The bytes of `line` without its break: a CRLF file's lines end in `\r` (read as
    /// strings, such a file was one line, since `\r\n` is one Character, never `\n`).
    private func lineBody(_ line: Int) -> (start: Int, end: Int) {
        let (start, end) = (lineStart(line), lineEnd(line))
        return (start, end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end)
    }

    /// The last byte before `offset` that is not whitespace or inside a comment, if any.
    public func previousSignificant(before offset: Int) -> Int? {
        var i = offset - 1
        while i >= 0 {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                i -= 1
                continue
            }
            // A `//` comment ending on this line: skip back to its start.
            let line = position(offset: i).line
            if let comment = lineComment(line), comment <= i {
                i = comment - 1
                continue
            }
            if b == UInt8(ascii: "/"), i > 0, bytes[i - 1] == UInt8(ascii: "*") {
                var j = i - 2
                while j > 0, !(bytes[j - 1] == UInt8(ascii: "/") && bytes[j] == UInt8(ascii: "*")) { j -= 1 }
                i = j - 2
                continue
            }
            return i
        }
        return nil
    }

    /// Offset of the `//` starting a comment on `line`, outside string and character literals.
    public func lineComment(_ line: Int) -> Int? {
        var i = lineStart(line)
        let end = lineEnd(line)
        var quote: UInt8? = nil
        while i < end - 1 {
            let b = bytes[i]
            if let q = quote {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == q { quote = nil }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: "/") && bytes[i + 1] == UInt8(ascii: "/") {
                return i
            }
            i += 1
        }
        return nil
    }

    /// The end (one past the `;`) of the simple statement starting at `offset`: the first `;`
    /// outside parentheses, brackets, braces and literals. Nil when a `}` closes first.
    public func statementEnd(from offset: Int) -> Int? {
        var depth = 0
        var i = offset
        var quote: UInt8? = nil
        while i < bytes.count {
            let b = bytes[i]
            if let q = quote {
                if b == UInt8(ascii: "\\") { i += 2; continue }
                if b == q { quote = nil }
            } else {
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = b
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth < 0 { return nil }
                case UInt8(ascii: ";") where depth == 0: return i + 1
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    /// The start of the statement `offset` lies in: back over balanced parentheses, and out of
    /// an `if`, `while` or `switch` condition, to the `;`, `{`, `}` or label `:` before it, or to
    /// the header of the braceless body it is. Nil inside a `for` header, whose parts are no
    /// place for a statement. A `?:` before the offset in the same statement is taken for a label.
    public func statementStart(containing offset: Int) -> Int? {
        var start = offset
        while let p = previousSignificant(before: start) {
            let b = bytes[p]
            let endsWord = p + 1 != start || start >= bytes.count || !Self.isIdentifier(bytes[start])
            switch b {
            case UInt8(ascii: ";"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ":"):
                return start
            case UInt8(ascii: ")"):
                guard let open = matchingOpen(p) else { return nil }
                if let word = previousSignificant(before: open),
                   ["if", "while", "for", "switch"].contains(where: { endsWithWord($0, at: word) }) { return start }
                start = open
            case UInt8(ascii: "("):
                // An open parenthesis: `offset` is inside a condition (or a call's arguments).
                if let word = previousSignificant(before: p), endsWithWord("for", at: word) { return nil }
                start = p
            default:
                if endsWord, endsWithWord("else", at: p) || endsWithWord("do", at: p) { return start }
                start = p
            }
        }
        return start
    }

    /// The `(` matching the `)` at `close` (a parenthesis inside a literal between them
    /// miscounts).
    func matchingOpen(_ close: Int) -> Int? {
        var depth = 0
        var i = close
        while i >= 0 {
            switch bytes[i] {
            case UInt8(ascii: ")"): depth += 1
            case UInt8(ascii: "("):
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
            i -= 1
        }
        return nil
    }

    static func isIdentifier(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122)
    }

    /// Whether the bytes before `offset` end with the keyword `word` (not part of a longer name).
    public func endsWithWord(_ word: String, at offset: Int) -> Bool {
        let w = Array(word.utf8)
        guard offset + 1 >= w.count, Array(bytes[(offset + 1 - w.count)...offset]) == w else { return false }
        let before = offset - w.count
        guard before >= 0 else { return true }
        let c = bytes[before]
        return !(c == UInt8(ascii: "_") || (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 122))
    }
}
