import Foundation
import LadderCore
import LadderDriver
import Testing

/// `FixApplication`: what `--fix` writes, and what it refuses to write.
@Suite struct FixApplicationTests {
    static func report(_ path: String) throws -> Report {
        try LintDriver().run(.files([path], rules: ["xv6"])).report
    }

    /// The leak of `Source.leak` fixed in a new block, as `Source.fixed` has it.
    @Test func aBracelessReturnGetsANewBlock() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Source.leak, to: "leak.c")
        let report = try Self.report(path)
        let outcomes = FixApplication(report: report).apply()
        guard case .applied(let plan)? = outcomes.first?.outcome else { Issue.record("\(outcomes)"); return }
        #expect(plan.fixes.count == 1)
        let fixed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(fixed == Source.fixed, "\(fixed)")
        #expect(try Self.report(path).findings.isEmpty)
    }

    /// A file changed after the analysis read it is left as the user left it.
    @Test func aFileChangedSinceTheAnalysisIsRefused() throws {
        let scratch = try Scratch()
        let path = try scratch.write(Source.leak, to: "leak.c")
        let report = try Self.report(path)
        let edited = Source.leak + "// edited in the meantime\n"
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let outcomes = FixApplication(report: report).apply()
        guard case .refused(let file, let reason)? = outcomes.first?.outcome else { Issue.record("\(outcomes)"); return }
        #expect(file == path && reason.contains("changed since it was analysed"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == edited)
    }

    /// Two fixes that overlap: the first is taken whole, the second left for a later run.
    @Test func overlappingFixesAreNotBothApplied() throws {
        func finding(_ line: Int, _ edit: TextEdit) -> Finding {
            Finding(rule: .missingRelease, message: "m\(line)", function: "f",
                    location: SourceLocation(file: "f.c", line: line, column: 1),
                    fix: Fix(insertBefore: SourceLocation(file: "f.c", line: line, column: 1), text: "x;\n",
                             edits: [edit], sourceDigest: "d"))
        }
        let a = TextEdit(file: "f.c", start: TextPosition(line: 1, column: 1, offset: 0), end: TextPosition(line: 1, column: 5, offset: 4), replacement: "a")
        let b = TextEdit(file: "f.c", start: TextPosition(line: 1, column: 3, offset: 2), end: TextPosition(line: 1, column: 7, offset: 6), replacement: "b")
        let c = TextEdit(file: "f.c", start: TextPosition(line: 2, column: 1, offset: 11), end: TextPosition(line: 2, column: 1, offset: 11), replacement: "c")
        let plan = try #require(FixApplication(report: Report(findings: [finding(1, a), finding(2, b), finding(3, c), finding(4, a)])).plans.first)
        #expect(plan.fixes.map(\.edits) == [[a], [c]])
        #expect(plan.conflicting.map(\.edits) == [[b]])
        #expect(plan.findings.map(\.location.line) == [1, 3, 4], "a finding sharing a taken fix is fixed by it")
        #expect(EditApplication.apply([a, b], to: Array("0123456789\n".utf8)) == nil)
        #expect(EditApplication.apply([a, c, a], to: Array("0123456789\nxyz".utf8)).map { String(decoding: $0, as: UTF8.self) } == "a456789\ncxyz")
    }
}
