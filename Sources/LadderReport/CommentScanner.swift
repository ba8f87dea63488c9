/// A comment in C source, with where it starts (1-based line, byte column of its `/`).
struct CComment: Sendable, Hashable {
    enum Style: Sendable { case line, block }
    var style: Style
    /// Between the delimiters: after `//`, or between `/*` and `*/`.
    var body: String
    var line: Int
    var column: Int
    var endLine: Int
}

/// Finds the comments of a C file without a preprocessor or parser.
///
/// Suppression comments must be found where the compiler sees comments and nowhere else: a
/// `"// ladder-ignore"` inside a string literal is not one. The scanner therefore tracks
/// string and character literals (with their escapes) and backslash-newline continuations
/// of `//` comments; everything else is code it skips.
enum CommentScanner {
    static func comments(in source: String) -> [CComment] {
        comments(in: Array(source.utf8))
    }

    /// The bytes are C source in any ASCII-compatible encoding; comment bodies are decoded as
    /// UTF-8 with invalid bytes replaced, which only the messages about them show.
    static func comments(in bytes: [UInt8]) -> [CComment] {
        var comments: [CComment] = []
        var i = 0
        var line = 1
        var lineStart = 0

        func advanceLine(at index: Int) {
            line += 1
            lineStart = index + 1
        }

        while i < bytes.count {
            let c = bytes[i]
            let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
            switch (c, next) {
            case (UInt8(ascii: "\n"), _):
                advanceLine(at: i)
                i += 1
            case (UInt8(ascii: "\""), _), (UInt8(ascii: "'"), _):
                // A literal ends at its unescaped quote, or (unterminated) at the line's end.
                i += 1
                while i < bytes.count, bytes[i] != c, bytes[i] != UInt8(ascii: "\n") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                        if bytes[i + 1] == UInt8(ascii: "\n") { advanceLine(at: i + 1) }
                        i += 1
                    }
                    i += 1
                }
                if i < bytes.count, bytes[i] == c { i += 1 }
            case (UInt8(ascii: "/"), UInt8(ascii: "/")):
                let (startLine, column) = (line, i - lineStart + 1)
                let bodyStart = i + 2
                i = bodyStart
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") {
                        advanceLine(at: i + 1)
                        i += 1
                    }
                    i += 1
                }
                comments.append(CComment(style: .line, body: text(bytes[bodyStart..<i]),
                                         line: startLine, column: column, endLine: line))
            case (UInt8(ascii: "/"), UInt8(ascii: "*")):
                let (startLine, column) = (line, i - lineStart + 1)
                let bodyStart = i + 2
                i = bodyStart
                while i < bytes.count, !(bytes[i] == UInt8(ascii: "*") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/")) {
                    if bytes[i] == UInt8(ascii: "\n") { advanceLine(at: i) }
                    i += 1
                }
                let bodyEnd = min(i, bytes.count)
                comments.append(CComment(style: .block, body: text(bytes[bodyStart..<bodyEnd]),
                                         line: startLine, column: column, endLine: line))
                i = min(i + 2, bytes.count)
            default:
                i += 1
            }
        }
        return comments
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
