// Ground truth runs C built for this host as ELF shared libraries: Linux only.
#if os(Linux)
import Foundation
import LadderCore
import Testing

@testable import GroundTruth

/// The whole ground truth, run once and shared: fixtures/xv6 and every xv6-style case of
/// fixtures/checks, every scenario, every failure point.
enum SharedRun {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let report: Result<GroundTruthReport, any Error> = {
        do {
            let verifier = try GroundTruthVerifier(options: .init(explanationsFile: root + "/fixtures/groundtruth/explained.json"))
            return .success(try verifier.verify(paths: [root + "/fixtures/xv6", root + "/fixtures/checks"]))
        } catch {
            return .failure(error)
        }
    }()

    static func get() throws -> GroundTruthReport { try report.get() }
}

@Suite struct AgreementTests {
    @Test("every xv6-style fixture agrees with its runs, or the disagreement is explained")
    func everyFixtureAgrees() throws {
        let report = try SharedRun.get()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.unexplained.isEmpty, "\(report.unexplained.joined(separator: "\n"))")
        #expect(report.totals.failurePoints > 300)
        #expect(report.totals.functionsRun > 80)
    }

    @Test("every explanation in fixtures/groundtruth/explained.json still matches a disagreement")
    func noStaleExplanations() throws {
        let report = try SharedRun.get()
        #expect(report.explanationsFile?.hasSuffix("fixtures/groundtruth/explained.json") == true)
        #expect(report.staleExplanations.isEmpty, "\(report.staleExplanations)")
        let explained = report.allFunctions.flatMap(\.agreement.disagreements).filter { $0.explanation != nil }
        #expect(explained.count == report.totals.knownDisagreements)
        #expect(explained.allSatisfy { $0.explainedAs != nil })
    }

    @Test("an explanations file is found beside the paths, read, and refused with its name when wrong")
    func explanationsFile() throws {
        let fixtures = SharedRun.root + "/fixtures"
        #expect(ExplanationSet.discover(near: [fixtures + "/xv6"]) == fixtures + "/groundtruth/explained.json")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-gt-expl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/tree/kernel", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tree/.ladder-groundtruth.json"
        try #"{"version": 1, "explained": [{"file": "kernel/vm.c", "function": "uvmfirst", "kind": "outside-the-rules", "what": "null-pointer", "class": "outside-the-rules", "reason": "boot"}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(ExplanationSet.discover(near: [dir + "/tree/kernel"]) == file)
        let set = try ExplanationSet.load(file)
        #expect(set.explanation(file: dir + "/tree/kernel/vm.c", function: "uvmfirst", kind: .outsideTheRules, what: "null-pointer")?.reason == "boot")
        #expect(set.explanation(file: dir + "/tree/kernel/xvm.c", function: "uvmfirst", kind: .outsideTheRules, what: "null-pointer") == nil)
        try #"{"version": 1, "explained": [{"file": "kernel/vm.c"}]}"#.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: GroundTruthError.self) { try ExplanationSet.load(file) }
        do {
            _ = try ExplanationSet.load(file)
        } catch {
            #expect(error.description.hasPrefix(file + ": .explained[0] has no"), "\(error)")
        }
    }

    @Test("every xv6-style case of fixtures/checks runs, and every function it exports has a scenario")
    func everyCaseRuns() throws {
        let report = try SharedRun.get()
        let cases = report.units.filter { $0.name.contains("/fixtures/checks/") }
        let xv6Cases = try FileManager.default.subpathsOfDirectory(atPath: SharedRun.root + "/fixtures/checks")
            .filter { $0.hasSuffix(".c") && !$0.hasPrefix("include") }
            .filter { path in
                let text = try? String(contentsOfFile: SharedRun.root + "/fixtures/checks/" + path, encoding: .utf8)
                return text?.hasPrefix("// ladder-rules: xv6") ?? false
            }
        #expect(cases.count == xv6Cases.count)
        #expect(!report.skipped.contains { $0.path.contains("/fixtures/checks/") && $0.reason.contains("no such") })
        let statics = Set(["zalloc_page", "free_args"])
        for unit in cases {
            #expect(unit.error == nil, "\(unit.name): \(unit.error ?? "")")
            for f in unit.functions where !statics.contains(f.function) {
                #expect(!f.scenarios.isEmpty, "\(unit.name): \(f.function) has no scenario")
            }
        }
    }

    @Test("the seeded bugs are real and the correct cases are clean")
    func seededBugsAreReal() throws {
        let report = try SharedRun.get()
        for unit in report.units where unit.name.contains("/fixtures/checks/") {
            let name = (unit.name as NSString).lastPathComponent
            let problems = unit.functions.flatMap(\.problems).filter { !$0.problem.outsideTheRules }
            let findings = unit.functions.flatMap(\.findings)
            if name.hasPrefix("ok_") {
                let documented = unit.functions.allSatisfy { f in
                    f.agreement.disagreements.allSatisfy { $0.explanation != nil }
                }
                #expect(findings.isEmpty, "\(name): \(findings)")
                #expect(problems.isEmpty || documented, "\(name): \(problems.map(AgreementJudge.describe))")
            } else {
                // The bug shows in the function that has it; a case may define helpers too
                // (a static callee whose own runs agree).
                let disagreements = unit.functions.flatMap(\.agreement.disagreements)
                let explained = !disagreements.isEmpty && disagreements.allSatisfy { $0.explanation != nil }
                #expect(!problems.isEmpty || explained, "\(name): no run shows the bug the case seeds")
                #expect(!findings.isEmpty, "\(name): ladder reports nothing")
            }
        }
        // Every finding is confirmed by a run, or its disagreement is explained in
        // fixtures/groundtruth/explained.json (a kernel panic that the runs count as a verdict).
        let confirmed = report.allFunctions.flatMap(\.agreement.confirmed).count
        let explainedUnconfirmed = report.allFunctions.flatMap(\.agreement.disagreements)
            .filter { $0.explanation != nil && $0.kind == .unconfirmedFinding }.count
        #expect(confirmed + explainedUnconfirmed == report.totals.findings)
    }

    @Test("the C paths match KernelModel's references, but for mappages' explained partial mapping")
    func referencesMatch() throws {
        let report = try SharedRun.get()
        let compared = report.allFunctions.compactMap(\.reference)
        #expect(Set(compared.map(\.path)) == ["uvmcreate", "mappages", "uvmalloc", "uvmcopy", "proc_pagetable",
                                              "allocproc", "fork", "exec"])
        for r in compared {
            #expect(r.comparedPoints > 0, "\(r.path)")
            if r.path == "mappages" {
                #expect(r.differences.count == 1 && r.differences[0].hasPrefix("allocation #3"), "\(r.differences)")
            } else {
                #expect(r.differences.isEmpty, "\(r.path): \(r.differences)")
            }
        }
    }

    @Test("findings confirmed only by forcing mappages are the branches no allocation failure reaches")
    func forcedConfirmations() throws {
        let report = try SharedRun.get()
        let forced = report.allFunctions.flatMap { f in
            f.agreement.confirmed.filter(\.forcedOnly).map { _ in "\((f.file as NSString).lastPathComponent):\(f.function)" }
        }
        // In xv6's layout TRAMPOLINE and TRAPFRAME share their page-table pages: the second
        // mapping of proc_pagetable cannot fail by allocation.
        #expect(forced.allSatisfy { $0.hasSuffix(":proc_pagetable") }, "\(forced)")
        #expect(forced.count == 5)
    }
}
#endif
