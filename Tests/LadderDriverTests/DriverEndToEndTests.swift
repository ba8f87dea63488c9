import Foundation
import LadderClang
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// The driver from inputs to report, on the fixtures and on scratch files: every stage a
/// front end relies on (findings, suppressions, baseline, the exit status, setup errors).
@Suite struct DriverEndToEndTests {
    @Test("a fixture's finding comes through with its file, function, line and exit status")
    func fixtureFinding() throws {
        let file = Repository.path("fixtures/checks/missing-release/proc_pagetable_no_unmap.c")
        let outcome = try LintDriver().run(.files([file]))
        let findings = outcome.report.findings
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.rule == .missingRelease)
        #expect(findings.first?.function == "proc_pagetable")
        #expect(findings.first?.location.line == 24)
        #expect(outcome.report.stats.files == 1)
        #expect(outcome.exitStatus == ExitStatus.findings)
        #expect(!outcome.cancelled)
    }

    @Test("the bundled kernel is clean on two workers, and every file's functions are listed")
    func bundledKernel() throws {
        var options = LintOptions.files([Repository.path("fixtures/xv6")])
        options.jobs = 2
        let outcome = try LintDriver().run(options)
        let expected = SourceSet.cFiles(under: Repository.path("fixtures/xv6"))
        #expect(expected.count >= 15, "the whole bundled kernel, not a part of it")
        #expect(outcome.report.stats.files == expected.count)
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings)")
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.files.map(\.file) == expected, "files in input order")
        #expect(outcome.exitStatus == ExitStatus.clean)
        let vm = try #require(outcome.files.first { $0.file.hasSuffix("/vm.c") })
        #expect(vm.functions.contains { $0.name == "uvmcreate" && !$0.isStatic })
        #expect(outcome.report.stats.functions == outcome.files.map(\.functions.count).reduce(0, +))
    }

    @Test("ladder-ignore silences its finding when suppressions apply, and only then")
    func suppressions() throws {
        let scratch = try Scratch()
        let suppressed = Source.leak.replacingOccurrences(
            of: "    return -1;\n  kfree(mem);",
            with: "    return -1;   // ladder-ignore[missing-release]: the caller frees it\n  kfree(mem);")
        let file = try scratch.write(suppressed, to: "a.c")

        let applied = try LintDriver().run(.files([file]))
        #expect(applied.report.findings.isEmpty, "\(applied.report.findings)")
        #expect(applied.exitStatus == ExitStatus.clean)

        var raw = LintOptions.files([file])
        raw.applySuppressions = false
        let ignored = try LintDriver().run(raw)
        #expect(ignored.report.findings.map(\.rule) == [.missingRelease])
    }

    @Test("a suppression that matches nothing is reported as stale, at the comment")
    func staleSuppression() throws {
        let scratch = try Scratch()
        let stale = Source.fixed.replacingOccurrences(
            of: "  return 0;\n}", with: "  return 0;   // ladder-ignore[missing-release]: was a leak\n}")
        let file = try scratch.write(stale, to: "a.c")
        let findings = try LintDriver().run(.files([file])).report.findings
        #expect(findings.map(\.rule) == [.invalidSuppression], "\(findings)")
        #expect(findings.first?.location.line == 11)
        #expect(findings.first?.message.contains("matches no finding") == true)
    }

    @Test("a baseline absorbs the findings it records; a new one still shows")
    func baseline() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Source.leak, to: "a.c")
        let driver = LintDriver()
        let first = try driver.run(.files([file])).report
        #expect(first.findings.count == 1)
        try Baseline.make(from: first).write(to: scratch.path("baseline.json"))

        var options = LintOptions.files([file])
        options.baseline = scratch.path("baseline.json")
        let accepted = try driver.run(options)
        #expect(accepted.report.findings.isEmpty, "\(accepted.report.findings)")
        #expect(accepted.exitStatus == ExitStatus.clean)

        // Lines added above move the old finding; it is still matched. The new leak is not.
        try scratch.write("// a comment\n\n" + Source.leak + Source.secondLeak, to: "a.c")
        let later = try driver.run(options)
        #expect(later.report.findings.map(\.function) == ["copy_out"], "\(later.report.findings)")
        #expect(later.exitStatus == ExitStatus.findings)
    }

    @Test("an unusable pack, baseline or database stops the run before any file is parsed")
    func setupErrors() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Source.leak, to: "a.c")
        try "not json".write(toFile: scratch.path("bad.json"), atomically: true, encoding: .utf8)
        let frontends = CountingFrontends()
        let driver = LintDriver(loaders: frontends)

        #expect(throws: LintError.self) { try driver.run(.files([file], rules: ["no-such-pack"])) }
        var badBaseline = LintOptions.files([file])
        badBaseline.baseline = scratch.path("bad.json")
        do {
            _ = try driver.run(badBaseline)
            Issue.record("a malformed baseline was accepted")
        } catch {
            guard case .baseline(let inner) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(inner.file == scratch.path("bad.json"))
        }
        var badDatabase = LintOptions.files([file])
        badDatabase.compileDatabase = .at(scratch.path("nowhere"))
        do {
            _ = try driver.run(badDatabase)
            Issue.record("a missing compile database was accepted")
        } catch {
            guard case .compileDatabase = error else { Issue.record("wrong error: \(error)"); return }
        }
        #expect(frontends.count == 0)
    }

    @Test("a run that loads no file is untrusted, whatever it found")
    func nothingLoaded() throws {
        let outcome = try LintDriver().run(.files(["/no/such/file.c"]))
        #expect(outcome.report.stats.files == 0)
        #expect(outcome.report.errors.count == 1)
        #expect(outcome.exitStatus == ExitStatus.untrusted)
    }

    @Test("stopping after the parse loads every file and analyses none")
    func stopAfterParse() throws {
        var options = LintOptions.files([Repository.path("fixtures/checks/missing-release/proc_pagetable_no_unmap.c")])
        options.stopAfter = .parse
        let outcome = try LintDriver().run(options)
        #expect(outcome.report.stats.files == 1)
        #expect(outcome.report.findings.isEmpty)
        #expect(outcome.files.first?.functions.isEmpty == true)
    }
}
