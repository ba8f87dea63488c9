import Foundation
import LadderClang
import LadderCore
import LadderDriver
import Testing

/// libclang's shortcuts (a preamble whose function bodies are skipped, no warnings kept
/// from headers) are taken only because they change nothing ladder reports: the same IR,
/// the same findings, the same files, with and without.
@Suite struct ParseOptionsTests {
    struct Frontends: UnitLoaderFactory {
        let options: ParseOptions
        func makeLoader() -> any UnitLoader { Frontend(options: options) }
    }

    /// The shortcuts whatever the headers' size: the fixtures' headers are small.
    static let preamble = ParseOptions.standard.union(.evenForSmallHeaders)

    static let trees = ["fixtures/xv6", "fixtures/checks", "fixtures/crossfile/leak", "fixtures/reports"]

    @Test("the same findings and errors with and without the shortcuts", arguments: trees)
    func sameFindings(tree: String) throws {
        let options = LintOptions.files([Repository.path(tree)], rules: ["xv6", "linux"])
        let fast = try LintDriver(loaders: Frontends(options: Self.preamble)).run(options)
        let plain = try LintDriver(loaders: Frontends(options: [])).run(options)
        #expect(fast.report.findings == plain.report.findings)
        #expect(fast.report.errors.map(\.file) == plain.report.errors.map(\.file))
        #expect(fast.files == plain.files)
        #expect(fast.report.stats.files > 0)
    }

    @Test("the same IR for every function", arguments: ["fixtures/xv6", "fixtures/checks"])
    func sameIR(tree: String) throws {
        let fast = Frontend(options: Self.preamble), plain = Frontend(options: [])
        for file in SourceSet.cFiles(under: Repository.path(tree)) {
            let a = try fast.load(CompileCommand(file: file)).get().unit.functions
            let b = try plain.load(CompileCommand(file: file)).get().unit.functions
            #expect(a == b, "\(file)")
        }
    }

    @Test("every file read is recorded, absolute and once, either way")
    func inclusions() throws {
        let file = Repository.path("fixtures/xv6/vm.c")
        let recorded = try Frontend(options: [.recordInclusions]).load(CompileCommand(file: file)).get().inclusions
        let viaPreamble = try Frontend(options: Self.preamble).load(CompileCommand(file: file)).get().inclusions
        #expect(recorded == viaPreamble)
        #expect(recorded.contains(file))
        #expect(recorded.contains(Repository.path("fixtures/xv6/defs.h")))
        #expect(recorded.allSatisfy { $0.hasPrefix("/") && !$0.contains("/./") })
        #expect(Set(recorded).count == recorded.count)
        #expect(try Frontend(options: []).load(CompileCommand(file: file)).get().inclusions.isEmpty, "only when asked")
    }

    @Test("a relative include path is recorded resolved against the command's directory")
    func relativeIncludes() throws {
        let directory = Repository.path("fixtures")
        let command = CompileCommand(file: "xv6/vm.c", directory: directory, arguments: ["-I", "./xv6"])
        let recorded = try Frontend(options: [.recordInclusions]).load(command).get().inclusions
        #expect(recorded.contains(Repository.path("fixtures/xv6/defs.h")), "\(recorded.prefix(3))")
    }
}
