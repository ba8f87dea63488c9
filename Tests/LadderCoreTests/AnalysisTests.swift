import Foundation
import LadderCore
import Testing

/// The analysis on hand-built IR, without libclang: LadderCore stands alone.
@Suite struct AnalysisTests {
    /// The C the IR stands for, written where its locations point: fixes are edits of it.
    static let source = NSTemporaryDirectory() + "ladder-analysis-\(ProcessInfo.processInfo.processIdentifier).c"
    static let text = "int f(void) {\n  mem = kalloc();\n  if(mem == 0) return -1;\n  if(step())\n  return -1;\n  kfree(mem);\n  return 0;\n}\n"
    let loc = { (line: Int) in SourceLocation(file: AnalysisTests.source, line: line, column: 3) }

    func call(_ callee: String, _ args: [Expr], result: Expr? = nil, line: Int) -> Statement {
        .call(Call(callee: callee, arguments: args, result: result, location: loc(line), text: callee + "(…)"))
    }

    /// mem = kalloc(); if(mem == 0) return -1; if(step()) return -1 /* leak */; kfree(mem); return 0;
    func leakyFunction(releaseOnError: Bool) -> Function {
        let mem = Expr.variable(Variable("mem", .local))
        let t = Expr.variable(Variable("%1", .temporary))
        var errorBlock = Block(id: 3, statements: [], terminator: .return(.constant(-1), location: loc(5)))
        if releaseOnError { errorBlock.statements = [call("kfree", [mem], line: 4)] }
        return Function(
            name: "f", location: loc(1), returnType: CType(spelling: "int", shape: .signedInteger), parameters: [],
            isStatic: false,
            blocks: [
                Block(id: 0, statements: [call("kalloc", [], result: mem, line: 2)],
                      terminator: .branch(condition: Expr(.binary(.eq, mem, .constant(0)), text: "mem == 0"), then: 1, else: 2, location: loc(2))),
                Block(id: 1, terminator: .return(.constant(-1), location: loc(3))),
                Block(id: 2, statements: [call("step", [], result: t, line: 4)],
                      terminator: .branch(condition: t, then: 3, else: 4, location: loc(4))),
                errorBlock,
                Block(id: 4, statements: [call("kfree", [mem], line: 6)], terminator: .return(.constant(0), location: loc(7))),
            ])
    }

    @Test func reportsTheLeakOnlyWhereItHappens() throws {
        let pack = try BuiltinPacks.load("xv6")
        let findings = FunctionAnalysis(function: leakyFunction(releaseOnError: false), calls: CallSemantics(pack: pack)).run().findings
        #expect(findings.count == 1)
        #expect(findings.first?.rule == .missingRelease && findings.first?.location.line == 5)
        try Self.text.write(toFile: Self.source, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: Self.source) }
        let fixed = FunctionAnalysis(function: leakyFunction(releaseOnError: false), calls: CallSemantics(pack: pack)).run().findings
        #expect(fixed.first?.fix?.text == "kfree(mem);\n")
        let edited = fixed.first?.fix.flatMap { EditApplication.apply($0.edits, to: Array(Self.text.utf8)) }.map { String(decoding: $0, as: UTF8.self) }
        #expect(edited == Self.text.replacingOccurrences(of: "if(step())\n  return -1;", with: "if(step()){\n  kfree(mem);\n  return -1;\n  }"))
        let clean = FunctionAnalysis(function: leakyFunction(releaseOnError: true), calls: CallSemantics(pack: pack)).run()
        #expect(clean.findings.isEmpty)
    }

    @Test func budgetExhaustionFallsBackAndStillFindsTheLeak() throws {
        let pack = try BuiltinPacks.load("xv6")
        let result = FunctionAnalysis(function: leakyFunction(releaseOnError: false), calls: CallSemantics(pack: pack), budget: 2).run()
        #expect(result.error == nil)
        #expect(result.pathInsensitive)
        #expect(result.findings.map(\.rule) == [.missingRelease])
    }

    @Test func aFunctionNeitherPassCoversIsReported() throws {
        let pack = try BuiltinPacks.load("xv6")
        let result = FunctionAnalysis(function: leakyFunction(releaseOnError: false), calls: CallSemantics(pack: pack), budget: 2,
                                      fallbackVisitsPerBlock: 0).run()
        #expect(result.error?.message.contains("not analysed") == true)
        #expect(!result.pathInsensitive)
    }

    @Test func fingerprintsIgnoreLines() {
        let a = Finding(rule: .missingRelease, message: "m", function: "f", location: loc(10),
                        resource: ResourceInfo(kind: "page", handle: "mem", acquiredBy: "kalloc", acquiredAt: loc(3)))
        var b = a
        b = Finding(rule: .missingRelease, message: "m", function: "f", location: loc(30),
                    resource: ResourceInfo(kind: "page", handle: "mem", acquiredBy: "kalloc", acquiredAt: loc(23)))
        #expect(a.fingerprint == b.fingerprint)
    }
}

@Suite struct AnalysisGraphTests {
    /// `spin_lock(spinlock_check(&p->lock))`: the graph the analysis walks locks `&p->lock`,
    /// and that graph is what `AnalysisGraph.prepare` (and so `dump-cfg --rules`) shows.
    @Test func identityCallsAreSeenThroughInTheWalkedGraph() throws {
        let pack = try BuiltinPacks.load("linux")
        let loc = SourceLocation(file: "t.c", line: 1, column: 1)
        let p = Expr.variable(Variable("p", .parameter))
        let lock = Expr(.addressOf(Expr(.member(base: p, name: "lock", arrow: true), text: "p->lock")), text: "&p->lock")
        let tmp = Expr.variable(Variable("%1", .temporary))
        let function = Function(
            name: "f", location: loc, returnType: CType(spelling: "void", shape: .void),
            parameters: [Parameter(name: "p", type: CType(spelling: "struct s *", shape: .pointer))], isStatic: false,
            blocks: [Block(id: 0, statements: [
                .call(Call(callee: "spinlock_check", arguments: [lock], result: tmp, location: loc, text: "spinlock_check(&p->lock)")),
                .call(Call(callee: "spin_lock", arguments: [tmp], result: nil, location: loc, text: "spin_lock(…)")),
                .call(Call(callee: "spin_unlock", arguments: [lock], result: nil, location: loc, text: "spin_unlock(&p->lock)")),
            ], terminator: .return(nil, location: loc))])
        let prepared = AnalysisGraph.prepare(function, pack: pack)
        guard case .call(let locking) = prepared.blocks[0].statements[1] else { Issue.record("no call"); return }
        #expect(locking.arguments == [lock])
        let result = FunctionAnalysis(function: function, calls: CallSemantics(pack: pack)).run()
        #expect(result.graph == prepared)
        #expect(result.findings.isEmpty)
    }
}
