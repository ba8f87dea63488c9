import LadderCore
import Testing

/// The `callbacks:` pack key and the annotation it drives, on hand-built IR: which
/// functions are paired, and with which kinds.
@Suite struct PairedCallbacksTests {
    let loc = SourceLocation(file: "t.c", line: 1, column: 1)

    func function(_ name: String, calls: [String]) -> Function {
        let arg = Expr.variable(Variable("d", .parameter))
        let statements = calls.map { Statement.call(Call(callee: $0, arguments: [arg], result: nil, location: loc, text: $0 + "(d)")) }
        return Function(name: name, location: loc, returnType: CType(spelling: "int", shape: .signedInteger),
                        parameters: [Parameter(name: "d", type: CType(spelling: "struct device *", shape: .pointer))],
                        isStatic: true, blocks: [Block(id: 0, statements: statements, terminator: .return(.constant(0), location: loc))])
    }

    static let yaml = """
    name: t
    kinds:
      clk: a clock
      mutex: a mutex
    locks: [mutex]
    acquire:
      clk_on: {kind: clk, handle: "{0}"}
      lock: {kind: mutex, handle: "{0}"}
    release:
      clk_off: {kind: clk, handle: "{0}"}
      unlock: {kind: mutex, handle: "{0}"}
    callbacks:
      - {acquire: open, release: release}
      - {acquire: resume, release: suspend, keptOnFailure: true}
    """

    @Test("the key parses, and a pair of one field with itself is refused at its line")
    func parses() throws {
        let pack = try RulePackLoader(file: "t.yaml").parse(Self.yaml)
        #expect(pack.callbacks == [CallbackPair(acquire: "open", release: "release"),
                                   CallbackPair(acquire: "resume", release: "suspend", keptOnFailure: true)])
        do {
            _ = try RulePackLoader(file: "t.yaml").parse("name: t\ncallbacks:\n  - {acquire: open, release: open}\n")
            Issue.record("a pair of one field was accepted")
        } catch {
            #expect(error.line == 3)
        }
    }

    @Test("a partner's net releases, through its helpers, pair by table; a lock it takes itself does not")
    func annotates() throws {
        let pack = try RulePackLoader(file: "t.yaml").parse(Self.yaml)
        var unit = TranslationUnit(file: "t.c", functions: [
            function("demo_open", calls: ["clk_on", "lock"]),
            function("demo_release", calls: ["lock", "demo_off", "unlock"]),
            function("demo_off", calls: ["clk_off"]),
            function("demo_resume", calls: ["clk_on"]),
            function("demo_suspend", calls: ["clk_off"]),
            function("unpaired_open", calls: ["clk_on"]),
        ])
        unit.callbackTables = [
            CallbackTable(location: loc, entries: ["open": "demo_open", "release": "demo_release"]),
            CallbackTable(location: loc, entries: ["resume": "demo_resume", "suspend": "demo_suspend"]),
            CallbackTable(location: loc, entries: ["open": "unpaired_open"]),
        ]
        let annotated = PairedCallbacks(pack: pack).annotate(unit)
        let byName = Dictionary(uniqueKeysWithValues: annotated.functions.map { ($0.name, $0) })
        #expect(byName["demo_open"]?.partners == CallbackPartners(kept: ["clk"], keptOnFailure: [], partners: ["demo_release"]))
        #expect(byName["demo_resume"]?.partners == CallbackPartners(kept: ["clk"], keptOnFailure: ["clk"], partners: ["demo_suspend"]))
        #expect(byName["demo_release"]?.partners == nil)
        #expect(byName["unpaired_open"]?.partners == nil)
        // A unit without tables (one function handed over by a driver) keeps what it has.
        let alone = TranslationUnit(file: "t.c", functions: [byName["demo_open"]!])
        #expect(PairedCallbacks(pack: pack).annotate(alone).functions[0].partners == byName["demo_open"]?.partners)
    }
}
