import Foundation
import LadderCore

/// A finding's fix as a `quickfix` code action. ladder's fixes insert release calls before
/// a statement (`Fix.insertBefore`, the statement's first column); the text comes without
/// indentation, so each inserted line is followed by the statement line's own indentation,
/// which puts the calls, and the statement after them, where the surrounding code has them.
enum QuickFix {
    static func action(for finding: Finding, diagnostic: JSON, mapper: DiagnosticMapper) -> JSON? {
        guard let fix = finding.fix, fix.insertBefore.line >= 1 else { return nil }
        let text = mapper.lines(fix.insertBefore.file)
        let at = text.position(fix.insertBefore, encoding: mapper.encoding)
        let indent = text.indentation(line: fix.insertBefore.line)
        let calls = fix.text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !calls.isEmpty else { return nil }
        let newText = calls.map { $0.trimmingCharacters(in: .whitespaces) + "\n" + indent }.joined()
        let edit: JSON = ["range": Range(start: at, end: at).json, "newText": .string(newText)]
        let uri = DocumentURI(path: fix.insertBefore.file).string
        return [
            "title": .string(title(calls.map { $0.trimmingCharacters(in: .whitespaces) }, line: fix.insertBefore.line)),
            "kind": "quickfix",
            "diagnostics": [diagnostic],
            "isPreferred": true,
            "edit": ["changes": .object([uri: [edit]])],
        ]
    }

    static func title(_ calls: [String], line: Int) -> String {
        "Insert \(calls.map { "'\($0)'" }.joined(separator: " then ")) before line \(line)"
    }
}
