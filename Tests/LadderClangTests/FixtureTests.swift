import Foundation
import LadderClang
import LadderCore
import LadderDriver
import Testing

/// Every fixture under fixtures/checks states its findings inline (and, where it opts in,
/// their notes and fixes); the test fails on anything missing and anything unexpected.
@Suite struct FixtureTests {
    static let checkFixtures = Paths.cFiles(under: "checks")

    /// `--rules xv6 --rules linux --rules posix` treats one call's rules from several packs as
    /// alternatives: the merged run must find what the file's own pack finds. The one exception
    /// is where the packs truly disagree: `kfree(0)` panics in xv6 and is a no-op in Linux.
    static let mergedDisagreements: Set<String> = ["checks/release-unacquired/pipe_open_unguarded_kfree.c"]
    static let mergedPack = Result { () throws(RulePackError) in try BuiltinPacks.load("xv6").merged(with: BuiltinPacks.load("linux")).merged(with: BuiltinPacks.load("posix")) }
    /// One analyser per pack for the whole suite, as the driver keeps one per run.
    static let analyzers = Dictionary(uniqueKeysWithValues: BuiltinPacks.names.compactMap { name in
        (try? BuiltinPacks.load(name)).map { (name, Analyzer(pack: $0)) }
    })
    static let mergedAnalyzer = mergedPack.map { Analyzer(pack: $0) }

    /// A plain parse, without the shortcuts of `ParseOptions.standard`: building a preamble
    /// costs more than these small headers (docs/performance.md, 8 ms a file), which are
    /// declarations only, so no function body is skipped either way.
    /// `ParseOptionsTests` holds fixtures/checks to the same IR and findings with and
    /// without, so this tests the analysis the driver's parse feeds.
    static let parse: ParseOptions = [.ignoreHeaderWarnings]

    /// One parse per fixture serves both checks: its own pack against the expectations, and
    /// the merged packs against its own pack.
    @Test("fixtures/checks", arguments: checkFixtures)
    func fixture(_ relative: String) throws {
        let path = Paths.fixtures(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expectations = try Expectation.parse(text, file: relative)
        let unit = try Frontend(options: Self.parse).load(CompileCommand(file: path)).get().unit
        let rules = Expectation.rules(in: text)
        let own = analyse(unit, with: try Self.analyzers[rules] ?? Analyzer(pack: BuiltinPacks.load(rules)))
        for mismatch in ExpectationCheck.mismatches(expectations, own, file: path, source: SourceText(path: path, bytes: Array(text.utf8))) {
            Issue.record("\(relative): \(mismatch)")
        }

        let merged = analyse(unit, with: try Self.mergedAnalyzer.get())
        let key = { (f: Finding) in "\(f.rule.rawValue):\(f.location.line)" }
        let same = own.map(key).sorted() == merged.map(key).sorted()
        #expect(same != Self.mergedDisagreements.contains(relative),
                "\(relative): merged packs disagree with its own: own \(own.map(key)), merged \(merged.map(key))")
    }

    // The bundled kernel linted on the host target, with its pack, is DriverEndToEndTests'
    // `bundledKernel`: one lint of it per suite, not two.

    @Test("the bundled kernel parses cleanly for riscv64 bare metal too")
    func bundledKernelParsesForRISCV() throws {
        let flags = ["-target", "riscv64-unknown-elf", "-march=rv64g", "-mcmodel=medany", "-ffreestanding",
                     "-fno-common", "-nostdlibinc"]
        let sources = SourceSet.fromPaths([Paths.fixtures("xv6")], extraArguments: flags)
        let report = try LintDriver().run(LintOptions(paths: [Paths.fixtures("xv6")], compileDatabase: .none, clangArguments: flags, rulePacks: ["xv6"])).report
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.findings.isEmpty)
        #expect(report.stats.files == sources.commands.count)
    }

    func analyse(_ unit: TranslationUnit, with analyzer: Analyzer) -> [Finding] {
        let result = analyzer.analyse(unit)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.findings
    }
}
