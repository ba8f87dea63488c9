import Foundation
import LadderCore
import LadderDriver
import Testing

/// `ladder dump-cfg --rules PACK FILE` prints the graph the analysis walks: the same text
/// the analysis's own graph renders to, function for function.
@Suite struct DumpCFGTests {
    static let cases: [(file: String, pack: String)] = [
        ("fixtures/checks/missing-release/spin_lock_irqsave_real_header.c", "linux"),
        ("fixtures/checks/double-release/ok_helper_drops_and_retakes.c", "linux"),
        ("fixtures/checks/missing-release/proc_pagetable_no_unmap.c", "xv6"),
        ("fixtures/xv6/vm.c", "xv6"),
    ]

    @Test("dump-cfg --rules shows what the analysis walks", arguments: cases.indices)
    func dumpEqualsWalkedGraph(_ index: Int) throws {
        let (file, packName) = Self.cases[index]
        let run = try CLI.run(["dump-cfg", "--rules", packName, file])
        #expect(run.status == 0, "\(run.err)")

        let pack = try RulePackCache().merged([packName])
        guard case .success(let loaded) = LintDriver().load(file: CLI.root + "/" + file) else {
            Issue.record("\(file) did not load")
            return
        }
        var walked = 0
        var expected: [String] = []
        for function in loaded.unit.functions {
            let result = FunctionAnalysis(function: function, calls: CallSemantics(pack: pack)).run()
            if let graph = result.graph {
                walked += 1
                expected.append(CFGPrinter.render(graph).replacingOccurrences(of: CLI.root + "/", with: ""))
            } else {
                expected.append(CFGPrinter.render(AnalysisGraph.prepare(function, pack: pack)).replacingOccurrences(of: CLI.root + "/", with: ""))
            }
        }
        #expect(walked > 0)
        #expect(run.out == expected.joined(separator: "\n"))
    }

    @Test("with the linux pack, spin_lock_irqsave's spinlock_check is seen through; without a pack it is not")
    func rulesChangeTheGraph() throws {
        let file = "fixtures/checks/missing-release/spin_lock_irqsave_real_header.c"
        let lowered = try CLI.run(["dump-cfg", file])
        let walked = try CLI.run(["dump-cfg", "--rules", "linux", file])
        #expect(lowered.status == 0 && walked.status == 0)
        #expect(lowered.out.contains("spinlock_check"))
        #expect(lowered.out != walked.out)
    }

    @Test("--dot prints a Graphviz digraph with an edge per successor")
    func dot() throws {
        let run = try CLI.run(["dump-cfg", "--dot", "--rules", "xv6", "--function", "proc_pagetable",
                               "fixtures/checks/missing-release/proc_pagetable_no_unmap.c"])
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("digraph \"proc_pagetable\" {"))
        #expect(run.out.contains("[label=\"true\"]") && run.out.contains("[label=\"false\", style=dashed]"))
        #expect(run.out.hasSuffix("}\n"))
    }

    @Test("-p takes the file's flags from a compilation database")
    func database() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-dumpcfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "int f(void) { return VALUE; }\n".write(toFile: dir + "/a.c", atomically: true, encoding: .utf8)
        let db = #"[{"directory": "\#(dir)", "file": "a.c", "arguments": ["cc", "-DVALUE=7", "-c", "a.c"]}]"#
        try db.write(toFile: dir + "/compile_commands.json", atomically: true, encoding: .utf8)
        let without = try CLI.run(["dump-cfg", dir + "/a.c"])
        #expect(without.status != 0)  // VALUE is undefined without the database's -D
        let with = try CLI.run(["dump-cfg", "-p", dir, dir + "/a.c"])
        #expect(with.status == 0, "\(with.err)")
        #expect(with.out.contains("return {VALUE = 7}"))
    }
}
