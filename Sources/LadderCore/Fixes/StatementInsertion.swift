import Foundation

/// Puts new statements before an existing one so that they run exactly when it does.
///
/// A statement that is a whole line inside a block gets the new lines above it, indented as
/// it is (the closing `}` of a void function, one level deeper). One that is the body of an `if`, `else`, `for` or `while` without braces gets a new
/// block around itself and them, opened the way the file opens blocks (`){` or `) {`), closed
/// on a line of its own at the header's indentation. Anything else (a statement sharing its
/// line with another) gets them in front of it on the same line.
///
/// Limits: the statement must be a simple one ending at its own `;` (a `return`, `goto` or
/// call: what fixes anchor on); macros that expand to a statement are taken as written.
struct StatementInsertion {
    let source: SourceText

    func edits(inserting statements: [String], before start: TextPosition) -> [TextEdit] {
        guard !statements.isEmpty else { return [] }
        if let header = bracelessHeader(before: start), let end = source.statementEnd(from: start.offset) {
            return wrap(statements, from: start, to: end, header: header)
        }
        if source.startsLine(start) {
            // Before the `}` a void function falls off: one level deeper than the brace.
            let closes = start.offset < source.bytes.count && source.bytes[start.offset] == UInt8(ascii: "}")
            let indent = source.indentation(of: start.line) + (closes ? source.indentUnit : "")
            let at = source.position(offset: source.lineStart(start.line))
            return [edit(at: at, statements.map { indent + $0 + "\n" }.joined())]
        }
        return [edit(at: start, statements.map { $0 + " " }.joined())]
    }

    /// The byte ending the header (`)` of `if (…)`, the `e` of `else`) when the statement at
    /// `start` is a braceless body.
    func bracelessHeader(before start: TextPosition) -> Int? {
        guard let prev = source.previousSignificant(before: start.offset) else { return nil }
        if source.bytes[prev] == UInt8(ascii: ")") {
            guard let open = source.matchingOpen(prev), let word = source.previousSignificant(before: open) else { return nil }
            return ["if", "while", "for"].contains { source.endsWithWord($0, at: word) } ? prev : nil
        }
        return source.endsWithWord("else", at: prev) || source.endsWithWord("do", at: prev) ? prev : nil
    }

    private func wrap(_ statements: [String], from start: TextPosition, to end: Int, header: Int) -> [TextEdit] {
        let headerLine = source.position(offset: headerStart(header)).line
        let outer = source.indentation(of: headerLine)
        let inner = start.line > source.position(offset: header).line
            ? source.indentation(of: start.line) : outer + source.indentUnit
        let opener = source.bytes[header] == UInt8(ascii: ")") ? source.blockOpener : " {"
        let lines = statements.map { inner + $0 + "\n" }.joined()
        var edits: [TextEdit]
        if start.line > source.position(offset: header).line {
            // The body has its own line: the brace goes after the header (before any comment
            // there), the new lines above the body.
            edits = [edit(at: source.position(offset: header + 1), opener),
                     edit(at: source.position(offset: source.lineStart(start.line)), lines)]
        } else {
            let gap = source.text((header + 1)..<start.offset)
            let between = gap.allSatisfy { $0 == " " || $0 == "\t" } ? gap : ""
            edits = [TextEdit(file: source.path, start: source.position(offset: header + 1),
                              end: source.position(offset: header + 1 + between.utf8.count),
                              replacement: opener + "\n" + lines + (between.isEmpty ? "" : inner))]
            if between.isEmpty { edits.append(edit(at: start, "\n" + inner)) }
        }
        // Close after anything trailing the statement on its line (a comment), not before it.
        let endLine = source.position(offset: end).line
        let restOfLine = source.text(end..<source.lineEnd(endLine))
        let trailing = restOfLine.allSatisfy { $0 == " " || $0 == "\t" }
            || restOfLine.trimmingSpaces.hasPrefix("//")
        let closeAt = trailing ? source.lineEnd(endLine) : end
        return edits + [edit(at: source.position(offset: closeAt), "\n" + outer + "}")]
    }

    /// Where the header starts: the keyword before `(` for a condition, the word itself for `else`.
    private func headerStart(_ header: Int) -> Int {
        guard source.bytes[header] == UInt8(ascii: ")"), let open = source.matchingOpen(header),
              let word = source.previousSignificant(before: open) else { return header }
        return word
    }

    private func edit(at position: TextPosition, _ text: String) -> TextEdit {
        TextEdit(file: source.path, start: position, end: position, replacement: text)
    }
}
