import Foundation

/// A file's lines as bytes, for turning ladder's byte columns into the columns other tools
/// count: SARIF's UTF-16 code units, an editor's LSP positions. Lines end at `\n`, as clang
/// counts them (a `\r` before it belongs to the line).
public struct SourceLines: Sendable, Hashable {
    public let bytes: [UInt8]
    private let starts: [Int]

    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// A file's bytes as they are: a file that is not UTF-8 still gets an answer (see `utf16Count`).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        self.starts = starts
    }

    /// The file at `path` (relative to `directory` unless absolute); nil when it cannot be read.
    public init?(contentsOf path: String, relativeTo directory: String) {
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        guard let data = FileManager.default.contents(atPath: absolute) else { return nil }
        self.init(bytes: Array(data))
    }

    public var lineCount: Int { starts.count }

    /// The bytes of a 0-based line, without its `\n`; empty past the end.
    public func line(_ index: Int) -> ArraySlice<UInt8> {
        guard index >= 0, index < starts.count else { return [] }
        let end = index + 1 < starts.count ? starts[index + 1] - 1 : bytes.count
        return bytes[starts[index]..<end]
    }

    /// A 1-based byte column of a 1-based line as a 1-based UTF-16 column. A column past the
    /// line's end keeps its excess bytes as units (an end just after the line's last
    /// character, or a file changed since it was analysed); a line past the file's end
    /// keeps the column.
    public func utf16Column(line: Int, byteColumn: Int) -> Int {
        guard line >= 1, line <= lineCount, byteColumn >= 1 else { return byteColumn }
        let text = self.line(line - 1)
        let inLine = min(byteColumn - 1, text.count)
        return Self.utf16Count(text.prefix(inLine)) + (byteColumn - 1 - inLine) + 1
    }

    /// Bytes that are not UTF-8 count as U+FFFD, one UTF-16 unit each, which is what an
    /// editor that decoded the file leniently shows.
    public static func utf16Count(_ bytes: ArraySlice<UInt8>) -> Int {
        String(decoding: bytes, as: UTF8.self).utf16.count
    }
}
