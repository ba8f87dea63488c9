import Foundation
import LadderCore
@testable import LadderDriver
import Testing

/// `--exclude GLOB` leaves files out of directory walks and compile databases alike.
@Suite struct ExclusionTests {
    let directory = Repository.path("fixtures/checks/missing-release")

    @Test("a glob leaves out the files it matches, and only those")
    func excludes() throws {
        var options = LintOptions(paths: [directory], compileDatabase: .none, rulePacks: ["xv6"])
        let all = try LintDriver().run(options).files.map(\.file)
        options.excludes = ["*/ok_*"]
        let kept = try LintDriver().run(options).files.map(\.file)
        #expect(all.contains { $0.contains("/ok_") } && all.contains { !$0.contains("/ok_") })
        #expect(kept == all.filter { !$0.contains("/ok_") })
    }

    @Test("a database entry named absolutely is matched by its path relative to the current directory")
    func relativeSpelling() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let file = cwd + "/sub/a.c"
        #expect(Exclusion.spellings(file, cwd: cwd).contains("sub/a.c"))
    }

    @Test("excluding everything is an error, not a clean run")
    func excludingEverything() throws {
        var options = LintOptions(paths: [directory], compileDatabase: .none, rulePacks: ["xv6"])
        options.excludes = ["*"]
        let outcome = try LintDriver().run(options)
        #expect(outcome.files.isEmpty)
        #expect(outcome.report.errors.contains { $0.message.contains("--exclude left no file to check") })
        #expect(outcome.exitStatus == 2)
    }
}
