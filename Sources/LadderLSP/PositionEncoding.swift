import LadderCore

/// What an LSP `character` counts. ladder's columns are 1-based UTF-8 byte columns
/// (libclang's); LSP's are 0-based, in UTF-16 code units unless the client and server
/// agree on another encoding in `initialize`. The server takes UTF-8 whenever the client
/// offers it, which needs no conversion, and converts to UTF-16 otherwise.
public enum PositionEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"

    /// From `capabilities.general.positionEncodings`; UTF-16 is the protocol's default and
    /// the one every client supports.
    public static func negotiate(offered: [String]?) -> PositionEncoding {
        (offered ?? []).contains(PositionEncoding.utf8.rawValue) ? .utf8 : .utf16
    }
}

/// An LSP position: 0-based line, 0-based character in the session's encoding.
public struct Position: Sendable, Hashable, Comparable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (a: Position, b: Position) -> Bool { (a.line, a.character) < (b.line, b.character) }

    public var json: JSON { ["line": .int(line), "character": .int(character)] }

    public init?(_ json: JSON?) {
        guard let line = json?["line"]?.int, let character = json?["character"]?.int else { return nil }
        self.init(line: line, character: character)
    }
}

public struct Range: Sendable, Hashable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }

    public var json: JSON { ["start": start.json, "end": end.json] }

    public init?(_ json: JSON?) {
        guard let start = Position(json?["start"]), let end = Position(json?["end"]) else { return nil }
        self.init(start: start, end: end)
    }

    /// Shares at least one position, ends included: a cursor on a diagnostic's last
    /// character still asks for its fixes.
    public func touches(_ other: Range) -> Bool { start <= other.end && other.start <= end }
}

/// A text's lines, for turning ladder's byte columns and ranges into LSP positions in the
/// session's encoding (the lines and the UTF-16 count are `SourceLines`', shared with SARIF).
public struct TextLines: Sendable, Hashable {
    private let lines: SourceLines

    public init(_ text: String) {
        self.lines = SourceLines(text)
    }

    /// A file's bytes as they are: a file that is not UTF-8 keeps clang's byte columns.
    public init(bytes: [UInt8]) {
        self.lines = SourceLines(bytes: bytes)
    }

    public var lineCount: Int { lines.lineCount }

    func line(_ index: Int) -> ArraySlice<UInt8> { lines.line(index) }

    /// `SourceText.digest` of these bytes: whether a fix was computed against this text.
    public var digest: String { SourceText.digest(lines.bytes) }

    /// `location`'s line and 1-based byte column as an LSP position. A column past the end of
    /// the line is clamped to it; a line past the end of the text keeps its number with
    /// character 0 (a file changed since it was analysed).
    public func position(line: Int, byteColumn: Int, encoding: PositionEncoding) -> Position {
        let index = max(line - 1, 0)
        let text = self.line(index)
        let prefix = text.prefix(max(byteColumn - 1, 0))
        return Position(line: index, character: Self.count(prefix, encoding))
    }

    public func position(_ location: SourceLocation, encoding: PositionEncoding) -> Position {
        position(line: location.line, byteColumn: location.column, encoding: encoding)
    }

    /// A finding's extent as an LSP range. Where ladder knows no extent (`end` unknown, or
    /// equal to the start) the range runs to the end of the line's content instead, so the
    /// editor still underlines the statement rather than one column.
    public func range(_ location: SourceLocation, encoding: PositionEncoding) -> Range {
        let start = position(location, encoding: encoding)
        guard let end = location.end, end > location.start else {
            return Range(start: start, end: max(start, endOfContent(line: location.line, encoding: encoding)))
        }
        return Range(start: start, end: max(start, position(line: end.line, byteColumn: end.column, encoding: encoding)))
    }

    /// The end of a line's last non-blank character.
    public func endOfContent(line: Int, encoding: PositionEncoding) -> Position {
        let index = max(line - 1, 0)
        var text = self.line(index)
        while let last = text.last, last == 32 || last == 9 || last == 13 { text = text.dropLast() }
        return Position(line: index, character: Self.count(text, encoding))
    }

    /// The line's leading blanks: what text inserted before its statement is indented with.
    public func indentation(line: Int) -> String {
        String(decoding: self.line(line - 1).prefix { $0 == 32 || $0 == 9 }, as: UTF8.self)
    }

    private static func count(_ bytes: ArraySlice<UInt8>, _ encoding: PositionEncoding) -> Int {
        switch encoding {
        case .utf8: bytes.count
        case .utf16: SourceLines.utf16Count(bytes)
        }
    }
}
