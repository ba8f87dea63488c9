import LadderCore
import LadderLSP
import Testing

@Suite struct PositionTests {
    // "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes and 2 units.
    let text = TextLines("int a;\n  /* é𝄞 */ free(p);\n\tx();  \n")

    @Test("UTF-8 is chosen when the client offers it, UTF-16 otherwise")
    func negotiation() {
        #expect(PositionEncoding.negotiate(offered: ["utf-16", "utf-8"]) == .utf8)
        #expect(PositionEncoding.negotiate(offered: ["utf-32"]) == .utf16)
        #expect(PositionEncoding.negotiate(offered: nil) == .utf16)
    }

    @Test("byte columns after non-ASCII text become UTF-8 bytes or UTF-16 units")
    func conversion() {
        // Before `free`: 2 blanks, "/* ", é, 𝄞, " */ ": 15 bytes, 12 UTF-16 units; clang's column is 16.
        #expect(text.position(line: 2, byteColumn: 16, encoding: .utf8) == Position(line: 1, character: 15))
        #expect(text.position(line: 2, byteColumn: 16, encoding: .utf16) == Position(line: 1, character: 12))
    }

    @Test("a range ends at the line's last non-blank character; indentation is the leading blanks")
    func endAndIndent() {
        #expect(text.endOfContent(line: 3, encoding: .utf8) == Position(line: 2, character: 5))
        #expect(text.indentation(line: 2) == "  ")
        #expect(text.indentation(line: 3) == "\t")
    }

    @Test("a finding's extent becomes the range, in bytes or UTF-16 units; without one, the line's content")
    func extents() {
        // `free(p)` on line 2: bytes 16..<23, UTF-16 units 12..<19 (0-based: 15..<22, 12..<19).
        var call = SourceLocation(file: "a.c", line: 2, column: 16)
        call.end = SourcePosition(line: 2, column: 23)
        #expect(text.range(call, encoding: .utf8) == Range(start: Position(line: 1, character: 15), end: Position(line: 1, character: 22)))
        #expect(text.range(call, encoding: .utf16) == Range(start: Position(line: 1, character: 12), end: Position(line: 1, character: 19)))
        // Over two lines.
        var wide = call
        wide.end = SourcePosition(line: 3, column: 4)
        #expect(text.range(wide, encoding: .utf16) == Range(start: Position(line: 1, character: 12), end: Position(line: 2, character: 3)))
        // Unknown extent: to the end of the line's content (`free(p);`).
        let point = SourceLocation(file: "a.c", line: 2, column: 16)
        #expect(text.range(point, encoding: .utf16) == Range(start: Position(line: 1, character: 12), end: Position(line: 1, character: 20)))
    }

    @Test("positions past the end are clamped, not trapped")
    func clamped() {
        #expect(text.position(line: 1, byteColumn: 99, encoding: .utf16) == Position(line: 0, character: 6))
        #expect(text.position(line: 40, byteColumn: 3, encoding: .utf8) == Position(line: 39, character: 0))
    }
}
