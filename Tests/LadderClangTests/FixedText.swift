import Foundation
import LadderCore

/// What a fix makes of the lines it touches, as `expected-fix {{…}}` states it: from the start
/// of its first edit's line to the end of its last edit's line, after the edits, with `//`
/// comments (the expectations themselves) and trailing blanks removed from every line, and a
/// line that held only a comment dropped. Each line ends with `\\n`.
///
/// Positions are taken from the edits' lines and columns in the file as it is read now, so a
/// synthetic fix needs no byte offsets.
enum FixedText {
    static func render(_ fix: Fix) -> String? {
        guard let source = SourceText.load(fix.file) else { return nil }
        return render(fix, in: source)
    }

    static func render(_ fix: Fix, in source: SourceText) -> String? {
        guard let first = fix.edits.map(\.start.line).min(), let last = fix.edits.map(\.end.line).max(),
              first >= 1, last <= source.lineCount else { return nil }
        var edits: [TextEdit] = []
        for e in fix.edits {
            guard let start = source.position(line: e.start.line, column: e.start.column),
                  let end = source.position(line: e.end.line, column: e.end.column) else { return nil }
            edits.append(TextEdit(file: e.file, start: start, end: end, replacement: e.replacement))
        }
        let lineRange = source.lineStart(first)..<source.lineEnd(last)
        let shifted = edits.map { e in
            TextEdit(file: e.file, start: TextPosition(line: 0, column: 0, offset: e.start.offset - lineRange.lowerBound),
                     end: TextPosition(line: 0, column: 0, offset: e.end.offset - lineRange.lowerBound), replacement: e.replacement)
        }
        guard let edited = EditApplication.apply(shifted, to: Array(source.bytes[lineRange])) else { return nil }
        let lines = String(decoding: edited, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        for line in lines {
            var kept = String(line)
            if let comment = kept.range(of: "//") {
                kept = String(kept[..<comment.lowerBound])
                if kept.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            }
            while let c = kept.last, c == " " || c == "\t" { kept.removeLast() }
            out += kept + "\n"
        }
        return out
    }
}
