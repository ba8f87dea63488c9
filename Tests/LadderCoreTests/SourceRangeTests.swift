import Foundation
import LadderCore
import Testing

@Suite struct SourceRangeTests {
    // Line 2: a tab, "/* é — */ " (é: 2 bytes, 1 unit; —: 3 bytes, 1 unit; 𝄞: 4 bytes, 2 units), then `kfree(p);`.
    let lines = SourceLines("int a;\n\t/* é — 𝄞 */ kfree(p);\n")

    @Test("byte columns become UTF-16 columns by the line's text")
    func utf16() {
        // Before `kfree`: 1 + 3 + 2 + 1 + 3 + 1 + 4 + 4 = 19 bytes, 1 + 3 + 1 + 1 + 1 + 1 + 2 + 4 = 14 units.
        #expect(lines.utf16Column(line: 2, byteColumn: 20) == 15)
        // Just past the end of the line (an exclusive end), and past it (a file changed since).
        #expect(lines.utf16Column(line: 2, byteColumn: 29) == 24)
        #expect(lines.utf16Column(line: 2, byteColumn: 31) == 26)
        #expect(lines.utf16Column(line: 1, byteColumn: 5) == 5, "ASCII: the same column")
        #expect(lines.utf16Column(line: 9, byteColumn: 7) == 7, "a line the text does not have keeps the column")
    }

    @Test("a range's lines stop before an end at column 1")
    func rangeLines() {
        let file = "a.c"
        #expect(SourceRange(file: file, start: .init(line: 3, column: 5), end: .init(line: 3, column: 9)).lines == 3...3)
        #expect(SourceRange(file: file, start: .init(line: 3, column: 5), end: .init(line: 5, column: 2)).lines == 3...5)
        #expect(SourceRange(file: file, start: .init(line: 3, column: 5), end: .init(line: 5, column: 1)).lines == 3...4)
        #expect(SourceRange(file: file, start: .init(line: 3, column: 5), end: .init(line: 3, column: 5)).lines == 3...3)
    }

    @Test("a location's identity is its start; its extent survives coding")
    func identityAndCoding() throws {
        var a = LadderCore.SourceLocation(file: "a.c", line: 4, column: 6)
        a.end = SourcePosition(line: 4, column: 14)
        var b = a
        b.end = SourcePosition(line: 4, column: 22)
        #expect(a == b && a.hashValue == b.hashValue, "`kalloc()` and `kalloc() == 0` start at one place")
        #expect(a.range.end == SourcePosition(line: 4, column: 14))
        #expect(LadderCore.SourceLocation(file: "a.c", line: 4, column: 6).range.end == SourcePosition(line: 4, column: 6), "unknown: empty")
        let decoded = try JSONDecoder().decode(LadderCore.SourceLocation.self, from: JSONEncoder().encode(a))
        #expect(decoded.end == a.end)
        let old = try JSONDecoder().decode(LadderCore.SourceLocation.self, from: Data(#"{"file":"a.c","line":4,"column":6}"#.utf8))
        #expect(old.end == nil, "IR and findings coded before extents still decode")
    }
}
