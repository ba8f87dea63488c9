/// A point in a C source file, and the extent of the construct that starts there when the
/// front end knew it. Lines and columns are 1-based; columns count bytes, as libclang and
/// gcc-style diagnostics do.
///
/// A location's identity is its start: two constructs that begin at the same byte (a call
/// and the comparison `kalloc() == 0` it opens) are one place to the analysis, which keys
/// sites, steps and exits by where they start. `end` is carried along for the reports and
/// takes no part in equality, hashing or order, so recording extents cannot change what the
/// analysis finds.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// Where the construct that starts here ends, exclusive (the position after its last
    /// character), in the same file. Nil when unknown: a statement spelled by a macro body
    /// (its ends map to one expansion site), a location made from a comment.
    public var end: SourcePosition?

    public init(file: String, line: Int, column: Int, end: SourcePosition? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.end = end
    }

    public static let unknown = SourceLocation(file: "<unknown>", line: 0, column: 0)

    public var start: SourcePosition { SourcePosition(line: line, column: column) }

    /// The extent, or an empty range at the start when it is unknown.
    public var range: SourceRange {
        SourceRange(file: file, start: start, end: end ?? start)
    }

    public static func == (a: SourceLocation, b: SourceLocation) -> Bool {
        a.file == b.file && a.line == b.line && a.column == b.column
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(column)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A line and a 1-based byte column within a file.
public struct SourcePosition: Hashable, Sendable, Codable, Comparable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A half-open extent in one file: `start` is the first character, `end` the position after
/// the last (so an empty range has `start == end`). Columns are bytes, like every column
/// ladder records; reports convert where their format counts otherwise.
public struct SourceRange: Hashable, Sendable {
    public var file: String
    public var start: SourcePosition
    public var end: SourcePosition

    public init(file: String, start: SourcePosition, end: SourcePosition) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// The lines it touches. An end at column 1 is the end of the line before: the range
    /// does not reach into that line's text.
    public var lines: ClosedRange<Int> {
        let last = end.line > start.line && end.column <= 1 ? end.line - 1 : end.line
        return start.line...max(start.line, last)
    }
}
