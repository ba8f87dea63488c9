import Foundation
import LadderClang
import LadderCore
import LadderDriver
import Testing

/// Every fixture under fixtures/checks states its findings inline; the test fails on a
/// missing finding and on an unexpected one, in both directions.
@Suite struct FixtureTests {
    static let checkFixtures = Paths.cFiles(under: "checks")

    @Test("fixtures/checks", arguments: checkFixtures)
    func fixture(_ relative: String) throws {
        let path = Paths.fixtures(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let pack = try BuiltinPacks.load(Expectation.rules(in: text))
        let expectations = Expectation.parse(text)
        let findings = try analyse(path, pack: pack)
        var unmatched = findings
        var missing: [Expectation] = []
        for expectation in expectations {
            if let i = unmatched.firstIndex(where: expectation.matches) {
                unmatched.remove(at: i)
            } else {
                missing.append(expectation)
            }
        }
        #expect(missing.isEmpty, "\(relative): expected but not reported: \(missing); reported: \(findings.map(describe))")
        #expect(unmatched.isEmpty, "\(relative): reported but not expected: \(unmatched.map(describe))")
    }

    /// `--rules xv6 --rules linux` treats one call's rules from both packs as alternatives:
    /// the merged run must find what the file's own pack finds. The one exception is where
    /// the packs truly disagree: `kfree(0)` panics in xv6 and is a no-op in Linux.
    static let mergedDisagreements: Set<String> = ["checks/release-unacquired/pipe_open_unguarded_kfree.c"]

    @Test("merged packs find what the file's own pack finds", arguments: checkFixtures)
    func mergedPacks(_ relative: String) throws {
        let path = Paths.fixtures(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let own = try analyse(path, pack: try BuiltinPacks.load(Expectation.rules(in: text)))
        let merged = try analyse(path, pack: try BuiltinPacks.load("xv6").merged(with: try BuiltinPacks.load("linux")))
        let key = { (f: Finding) in "\(f.rule.rawValue):\(f.location.line)" }
        let same = own.map(key).sorted() == merged.map(key).sorted()
        #expect(same != Self.mergedDisagreements.contains(relative),
                "\(relative): own pack \(own.map(key)), merged \(merged.map(key))")
    }

    @Test("the bundled xv6-style kernel is clean")
    func bundledKernelIsClean() throws {
        let pack = try BuiltinPacks.load("xv6")
        let sources = SourceSet.fromPaths([Paths.fixtures("xv6")], extraArguments: [])
        #expect(sources.commands.count >= 15)
        let report = try LintDriver().run(LintOptions(paths: [Paths.fixtures("xv6")], compileDatabase: .none, rulePacks: [pack.name])).report
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.stats.files == sources.commands.count)
        #expect(report.findings.isEmpty, "\(report.findings.map(describe))")
    }

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

    func analyse(_ path: String, pack: RulePack) throws -> [Finding] {
        switch Frontend().load(CompileCommand(file: path)) {
        case .failure(let error):
            Issue.record("\(error)")
            return []
        case .success(let loaded):
            let result = Analyzer(pack: pack).analyse(loaded.unit)
            #expect(result.errors.isEmpty, "\(result.errors)")
            return result.findings
        }
    }

    func describe(_ f: Finding) -> String { "\(f.location.line): [\(f.rule.rawValue)] \(f.message)" }
}
