import Foundation
import Testing

/// Golden files: expected output kept in the repository and compared byte for byte.
///
/// `LADDER_BLESS=1` rewrites every golden that differs instead of failing on it, and then
/// fails anyway with one issue per rewritten file, so that a blessing run is never taken for
/// a green one: review `git diff`, then run again without it. Goldens that already match
/// are left alone and pass.
public enum Golden {
    /// The variable that turns mismatches into rewrites.
    public static let blessVariable = "LADDER_BLESS"

    public static var blessing: Bool {
        let value = ProcessInfo.processInfo.environment[blessVariable] ?? ""
        return !value.isEmpty && value != "0"
    }

    /// Compares `actual` with the file at `golden`. A mismatch names the first differing
    /// line with its neighbours, and leaves the actual text in the temporary directory for
    /// `diff -u`.
    public static func check(_ actual: String, against golden: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try? String(contentsOf: golden, encoding: .utf8)
        guard expected != actual else { return }
        let shown = golden.path.hasPrefix(Repository.root.path + "/")
            ? String(golden.path.dropFirst(Repository.root.path.count + 1)) : golden.path
        if blessing {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("\(blessVariable): rewrote \(shown); review `git diff \(shown)`, then run again without \(blessVariable)",
                         sourceLocation: sourceLocation)
            return
        }
        guard let expected else {
            Issue.record("missing golden \(shown); write it with \(blessVariable)=1", sourceLocation: sourceLocation)
            return
        }
        let actualURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("ladder-actual-\(UUID().uuidString.prefix(8))-\(golden.lastPathComponent)")
        try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
        Issue.record("""
            \(shown) differs from the output \(firstDifference(expected, actual))
            compare: diff -u \(golden.path) \(actualURL.path)
            if the change is intended: \(blessVariable)=1 swift test --skip-build, then review `git diff`
            """, sourceLocation: sourceLocation)
    }

    /// Where two texts first differ, with two lines of context on each side.
    public static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let i = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
        func around(_ lines: [String]) -> String {
            let window = max(0, i - 2)..<min(lines.count, i + 3)
            return window.map { "  \($0 + 1)\($0 == i ? ">" : " ") \(lines[$0])" }.joined(separator: "\n")
        }
        return "at line \(i + 1):\nexpected:\n\(around(e))\nactual:\n\(around(a))"
    }
}
