import Foundation
import LadderClang
import LadderCore
import LadderTestSupport
import Testing

/// `ladder dump-cfg` over fixtures that exercise every construct the lowering handles.
/// Re-bless with `LADDER_BLESS=1 swift test --filter LoweringGoldenTests` (fixtures/checks/README.md).
@Suite struct LoweringGoldenTests {
    @Test("dump-cfg golden", arguments: [("lowering/constructs.c", "constructs.cfg")])
    func golden(_ fixture: String, _ golden: String) throws {
        let command = CompileCommand(file: "fixtures/" + fixture, directory: Paths.root)
        let loaded = try Frontend().load(command).get()
        let rendered = loaded.unit.functions.map(CFGPrinter.render).joined(separator: "\n")
        try Golden.check(rendered, against: Repository.root.appendingPathComponent("Tests/LadderClangTests/Goldens/" + golden))
    }

    @Test func everyConstructIsLowered() throws {
        let loaded = try Frontend().load(CompileCommand(file: "fixtures/lowering/constructs.c", directory: Paths.root)).get()
        let byName = Dictionary(uniqueKeysWithValues: loaded.unit.functions.map { ($0.name, $0) })
        // `&&`/`||` are real branches: three conditions, three branch terminators at least.
        let branches = byName["short_circuit"]!.blocks.filter { if case .branch = $0.terminator { true } else { false } }
        #expect(branches.count >= 5)
        // `panic` ends the path.
        #expect(byName["noreturn_ends"]!.blocks.contains { $0.terminator == .unreachable })
        // The cleanup attribute runs on each of the three exits.
        let cleanups = byName["cleanup_attribute"]!.blocks.flatMap(\.statements).filter {
            if case .call(let c) = $0 { c.origin == .cleanupAttribute } else { false }
        }
        #expect(cleanups.count == 3)
        // Folded constants keep their spelling.
        let call = byName["folded_constants"]!.blocks[0].statements.compactMap { s -> Call? in if case .call(let c) = s { c } else { nil } }.first!
        #expect(call.arguments[2].constantValue == 4096 && call.arguments[2].text == "PGSIZE")
        #expect(call.arguments[4].constantValue == 6)
        // Gotos keep their labels and jump into nested blocks.
        #expect(byName["gotos"]!.blocks.contains { $0.label == "inner" })
    }
}
