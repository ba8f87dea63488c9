import Foundation
import LadderClang
import LadderCore
import Testing

/// A function with more paths than the budget is walked only in part; what it does to its
/// caller's resources on the other paths is unknown, so its summary says exactly that.
@Suite struct PartialSummaryTests {
    /// Twelve independent optional pages, and the caller's page freed at both exits.
    static let source: String = {
        var c = "#include \"\(Paths.fixtures("checks"))/include/xv6.h\"\nint\noptions(int flags, char *src)\n{\n"
        for i in 0..<12 { c += "  char *a\(i) = 0;\n" }
        for i in 0..<12 { c += "  if(flags & \(1 << i)){\n    a\(i) = kalloc();\n    if(a\(i) == 0)\n      goto bad;\n  }\n" }
        for i in 0..<12 { c += "  if(a\(i)) kfree(a\(i));\n" }
        c += "  kfree(src);\n  return 0;\n bad:\n"
        for i in 0..<12 { c += "  if(a\(i)) kfree(a\(i));\n" }
        return c + "  kfree(src);\n  return -1;\n}\n"
    }()

    static func summary(budget: Int) throws -> FunctionSummary? {
        let path = NSTemporaryDirectory() + "ladder-partial-\(UUID().uuidString).c"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let unit = try Frontend().load(CompileCommand(file: path)).get().unit
        let result = Analyzer(pack: try BuiltinPacks.load("xv6"), budget: budget).analyse(unit)
        return result.summaries["options"]
    }

    @Test("over the budget the summary is 'unknown'; within it, it is what the paths show")
    func partialWalkIsUnknown() throws {
        #expect(try Self.summary(budget: 100)?.unknown == true)
        let whole = try Self.summary(budget: 40_000)
        #expect(whole?.unknown == false, "\(String(describing: whole))")
        #expect(whole?.releases.isEmpty == false, "\(String(describing: whole))")
    }
}
