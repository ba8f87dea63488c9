import CLibClang
import LadderCore

/// Maps libclang locations and extents to `SourceLocation`s and source text. Macro-argument
/// tokens map to where they were written; macro-body tokens to the expansion site
/// (libclang's "file location"), which is where a user expects the report.
final class SourceMap {
    private let tu: CXTranslationUnit
    private let mainFile: String
    private var names: [UnsafeMutableRawPointer: String] = [:]
    private var buffers: [UnsafeMutableRawPointer: UnsafeBufferPointer<UInt8>] = [:]

    init(tu: CXTranslationUnit, mainFile: String) {
        self.tu = tu
        self.mainFile = mainFile
    }

    static func fileLocation(_ location: CXSourceLocation) -> SourceLocation? {
        var file: CXFile?
        var line: UInt32 = 0
        var column: UInt32 = 0
        clang_getFileLocation(location, &file, &line, &column, nil)
        guard let file else { return nil }
        let name = clang_getFileName(file).consume()
        return SourceLocation(file: normalise(name), line: Int(line), column: Int(column))
    }

    /// The cursor's location, with the end of its extent: what reports underline. libclang
    /// ends a macro-body construct at the end of the macro's invocation, so a statement a
    /// macro spells is underlined as the invocation. An end that does not land after the
    /// start in the same file (a construct assembled across files) is left unknown.
    func location(_ cursor: Cursor) -> SourceLocation {
        var start = location(clang_getCursorLocation(cursor.raw))
        let end = location(clang_getRangeEnd(cursor.extent))
        if start.line >= 1, end.file == start.file, end.start > start.start {
            start.end = end.start
        }
        return start
    }

    func location(_ loc: CXSourceLocation) -> SourceLocation {
        var file: CXFile?
        var line: UInt32 = 0
        var column: UInt32 = 0
        clang_getFileLocation(loc, &file, &line, &column, nil)
        guard let file else { return .unknown }
        return SourceLocation(file: name(of: file), line: Int(line), column: Int(column))
    }

    func isInMainFile(_ cursor: Cursor) -> Bool {
        clang_Location_isFromMainFile(clang_getCursorLocation(cursor.raw)) != 0
    }

    private func name(of file: CXFile) -> String {
        if let known = names[file] { return known }
        let raw = clang_getFileName(file).consume()
        let mainID = clang_getFile(tu, mainFile)
        let display = (mainID != nil && clang_File_isEqual(mainID, file) != 0) ? mainFile : SourceMap.normalise(raw)
        names[file] = display
        return display
    }

    /// The source text of a cursor as written, whitespace folded; nil when its ends do
    /// not land in one file in order (a construct produced wholly by a macro body).
    func text(_ cursor: Cursor) -> String? {
        let range = cursor.extent
        var startFile: CXFile?, endFile: CXFile?
        var start: UInt32 = 0, end: UInt32 = 0
        clang_getFileLocation(clang_getRangeStart(range), &startFile, nil, nil, &start)
        clang_getFileLocation(clang_getRangeEnd(range), &endFile, nil, nil, &end)
        guard let startFile, let endFile, clang_File_isEqual(startFile, endFile) != 0, end > start else { return nil }
        let buffer = contents(of: startFile)
        guard Int(end) <= buffer.count else { return nil }
        let slice = UnsafeBufferPointer(rebasing: buffer[Int(start)..<Int(end)])
        let raw = String(decoding: slice, as: UTF8.self)
        // Looked for in the bytes, not the Characters: that walk broke graphemes for every
        // expression lowered, and missed a CRLF break (`\r\n` is one Character).
        let spread = slice.contains { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        return spread ? SourceMap.fold(raw) : raw
    }

    /// Up to `limit` bytes of source after a cursor's extent, in its file: the body of a
    /// header function whose body the parse skipped (`HeaderAccessors`).
    func text(after cursor: Cursor, limit: Int) -> String? {
        var file: CXFile?
        var end: UInt32 = 0
        clang_getFileLocation(clang_getRangeEnd(cursor.extent), &file, nil, nil, &end)
        guard let file else { return nil }
        let buffer = contents(of: file)
        guard Int(end) <= buffer.count else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(end)..<min(buffer.count, Int(end) + limit)]), as: UTF8.self)
    }

    private func contents(of file: CXFile) -> UnsafeBufferPointer<UInt8> {
        if let known = buffers[file] { return known }
        var size = 0
        let pointer = clang_getFileContents(tu, file, &size)
        let buffer = pointer.map { UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: size) }
            ?? UnsafeBufferPointer(start: nil, count: 0)
        buffers[file] = buffer
        return buffer
    }

    /// Runs of white space as one space. `\r\n` is one Character, equal to neither `\r` nor `\n`.
    static func fold(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }).joined(separator: " ")
    }

    /// `a/./b` → `a/b`, `a/x/../b` → `a/b`, without touching the file system.
    /// Whether `path` holds "/." anywhere: read as bytes (Foundation's `contains` bridges to
    /// `NSString`, and a header search asks this of every candidate path).
    private static func hasSlashDot(_ path: String) -> Bool {
        var slash = false
        for byte in path.utf8 {
            if slash && byte == UInt8(ascii: ".") { return true }
            slash = byte == UInt8(ascii: "/")
        }
        return false
    }

    static func normalise(_ path: String) -> String {
        guard path.hasPrefix("./") || hasSlashDot(path) else { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != "..", !last.isEmpty {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}
