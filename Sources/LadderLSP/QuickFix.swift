import Foundation
import LadderCore

/// A finding's fix as a `quickfix` code action: its edits, each a range of the text and the
/// text that replaces it, as one WorkspaceEdit.
///
/// Fixes are computed against the file as it is on disk. An open buffer that differs from it
/// gets no quick fix (its positions would be the disk's): saving the buffer brings it back.
enum QuickFix {
    static func action(for finding: Finding, diagnostic: JSON, mapper: DiagnosticMapper) -> JSON? {
        guard let fix = finding.fix, !fix.edits.isEmpty else { return nil }
        var changes: [(String, JSON)] = []
        for (file, edits) in Dictionary(grouping: fix.edits, by: \.file).sorted(by: { $0.key < $1.key }) {
            let text = mapper.lines(file)
            guard text.digest == fix.sourceDigest else { return nil }
            let json: [JSON] = edits.map { e in
                let start = text.position(line: e.start.line, byteColumn: e.start.column, encoding: mapper.encoding)
                let end = text.position(line: e.end.line, byteColumn: e.end.column, encoding: mapper.encoding)
                return ["range": Range(start: start, end: end).json, "newText": .string(e.replacement)]
            }
            changes.append((DocumentURI(path: file).string, .array(json)))
        }
        return [
            "title": .string(title(fix)),
            "kind": "quickfix",
            "diagnostics": [diagnostic],
            "isPreferred": true,
            "edit": ["changes": .object(Dictionary(uniqueKeysWithValues: changes))],
        ]
    }

    /// `Insert 'a;' then 'b;' before line 12`, `Jump to 'err_clk' instead of 'err_free' at line 30`.
    static func title(_ fix: Fix) -> String {
        fix.summary.prefix(1).uppercased() + fix.summary.dropFirst()
    }
}
