import Foundation
import LadderClang
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// The driver's side of "no incomplete analysis passes a gate" and of reading sources as
/// clang does.
@Suite struct HardeningDriverTests {
    static let broken = "int broken(void) { return undeclared; }\n"

    @Test("a file that did not parse makes the run untrusted; --allow-incomplete judges the findings")
    func unparsedFileFailsTheGate() throws {
        let scratch = try Scratch()
        let files = [try scratch.write(Source.leak, to: "leak.c"), try scratch.write(Self.broken, to: "broken.c")]
        let strict = try LintDriver().run(.files(files))
        #expect(strict.report.findings.count == 1)
        #expect(strict.report.errors.map(\.file) == [files[1]])
        #expect(strict.exitStatus == ExitStatus.untrusted)

        var lenient = LintOptions.files(files)
        lenient.allowIncomplete = true
        #expect(try LintDriver().run(lenient).exitStatus == ExitStatus.findings)
        lenient.failOn = .never
        #expect(try LintDriver().run(lenient).exitStatus == ExitStatus.clean)
    }

    @Test("a function past its path budget is covered by the fallback pass: counted, not an error")
    func overBudgetFunctionIsCoveredByTheFallback() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Source.fixed, to: "fixed.c")
        var options = LintOptions.files([file])
        options.pathBudget = 1
        let outcome = try LintDriver().run(options)
        #expect(outcome.report.findings.isEmpty)
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.stats.pathInsensitiveFunctions == 1)
        #expect(outcome.exitStatus == ExitStatus.clean)
        // A function neither pass covers is an error (FunctionAnalysis reports it; see
        // AnalysisTests.aFunctionNeitherPassCoversIsReported), and any error fails the gate
        // (the parse-error case above).
    }

    @Test("the gate keys on the report's errors: a clean, complete run still passes")
    func completeRunPasses() throws {
        let scratch = try Scratch()
        let outcome = try LintDriver().run(.files([try scratch.write(Source.fixed, to: "fixed.c")]))
        #expect(outcome.report.errors.isEmpty && outcome.exitStatus == ExitStatus.clean)
    }

    @Test("a Latin-1 comment does not hide a file's leak, nor its suppressions")
    func latin1Sources() throws {
        let scratch = try Scratch()
        // "é" as one byte, 0xE9, in a comment above the leak and in the suppression's reason.
        let leak = Data(Source.leak.replacingOccurrences(of: "int copy_in", with: "/* caf\u{1} */\nint copy_in").utf8)
            .map { $0 == 1 ? 0xE9 : $0 }
        let path = scratch.path("latin1.c")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(leak)))
        let reported = try LintDriver().run(.files([path]))
        #expect(reported.report.errors.isEmpty)
        #expect(reported.report.findings.map(\.rule) == [.missingRelease])
        #expect(reported.report.findings.first?.location.line == Source.leakLine + 1)

        let suppressed = Source.leak.replacingOccurrences(
            of: "    return -1;\n  kfree", with: "    return -1; // ladder-ignore[missing-release]: caf\u{1}\n  kfree")
        let path2 = scratch.path("latin1-suppressed.c")
        #expect(FileManager.default.createFile(atPath: path2, contents: Data(Data(suppressed.utf8).map { $0 == 1 ? 0xE9 : $0 })))
        let silenced = try LintDriver().run(.files([path2]))
        #expect(silenced.report.errors.isEmpty)
        #expect(silenced.report.findings.isEmpty, "\(silenced.report.findings.map(\.message))")
    }

    @Test("a link loop named on the command line is said to be one, not a missing file")
    func linkLoopOnTheCommandLine() throws {
        let scratch = try Scratch()
        #expect(symlink("b.c", scratch.path("a.c")) == 0)
        #expect(symlink("a.c", scratch.path("b.c")) == 0)
        #expect(symlink("gone.c", scratch.path("dangling.c")) == 0)
        let report = try LintDriver().run(.files([scratch.path("a.c"), scratch.path("dangling.c")])).report
        #expect(report.errors.map(\.message) == [
            "is a symbolic link that loops (too many levels of symbolic links)",
            "is a symbolic link to a missing file",
        ])
    }

    @Test("the same findings, errors and bytes on one worker and on four")
    func deterministicAcrossJobs() throws {
        func rendered(jobs: Int) throws -> String {
            var options = LintOptions.files(Repository.checkFixtures + [Repository.path("fixtures/reports")])
            options.jobs = jobs
            var report = try LintDriver().run(options).report
            report.stats.seconds = 0
            report.stats.parseSeconds = 0
            report.stats.lowerSeconds = 0
            report.stats.analyseSeconds = 0
            return ReportRenderer.render(report, as: .json, options: RenderOptions(workingDirectory: "/", toolVersion: "test"))
        }
        let one = try rendered(jobs: 1)
        #expect(one.contains("\"rule\": \"missing-release\"") && one.contains("broken.c"))
        #expect(try rendered(jobs: 4) == one)
    }
}
