import Foundation
import LadderClang
import LadderCore
@testable import LadderDriver
import Testing

/// The cache keeps each function's IR in `IRBinary`: phase 2 reads back exactly what phase 1
/// lowered, extents included, equal functions are equal bytes (their digest names them), and
/// damaged bytes are an error, never a crash.
@Suite struct IRBinaryTests {
    /// Every function the bundled kernel and the check fixtures lower to, annotated as phase 1
    /// stores them: every kind of statement, expression and annotation the IR has.
    static let functions: [Function] = {
        let frontend = Frontend()
        let pack = try! RulePackCache().merged(["xv6", "linux"])
        return ["fixtures/xv6", "fixtures/checks"].flatMap { tree in
            SourceSet.cFiles(under: Repository.path(tree)).flatMap { file in
                (try? frontend.load(CompileCommand(file: file)).get().unit.annotated(for: pack).functions) ?? []
            }
        }
    }()

    @Test("the fixtures (and one function made by hand) hold every annotation and expression kind the format writes")
    func coverage() {
        let f = Self.functions + [Self.handMade]
        #expect(f.count > 500)
        #expect(f.contains { $0.partners != nil })
        #expect(f.contains { $0.ownedFields != nil })
        #expect(f.contains { $0.constructorParts != nil })
        #expect(f.contains { $0.initSection != nil })
        #expect(f.contains { $0.optionalHandles != nil })
        #expect(f.contains { $0.flagSetters != nil })
        #expect(f.contains { $0.listedMembers != nil })
        #expect(f.contains { $0.childWalks != nil })
        #expect(f.contains { $0.flaggedReleases != nil })
        let tags = Set(f.flatMap { function in
            function.blocks.flatMap { block in
                let terminator: [Expr] = switch block.terminator {
                case .branch(let condition, _, _, _): [condition]
                case .return(let value?, _): [value]
                case .return(nil, _), .jump, .unreachable: []
                }
                return (block.statements.flatMap { statement -> [Expr] in
                    switch statement {
                    case .call(let c): c.arguments + (c.result.map { [$0] } ?? [])
                    case .assign(let t, let v, _): [t, v]
                    }
                } + terminator).flatMap { Expr.flatten($0).map(\.tag) }
            }
        })
        #expect(tags == Set(Expr.Tag.allCases))
        #expect(f.contains { $0.location.end != nil })
    }

    @Test("every lowered function comes back equal with its extents, and encodes to the same bytes twice")
    func roundTrip() throws {
        for function in Self.functions {
            let bytes = UnitStore.encodeIR(function)
            let decoded = try IRBinary.decode(bytes)
            #expect(decoded == function, "\(function.name)")
            // Equality leaves out where constructs end: compared here.
            #expect(Self.ends(decoded) == Self.ends(function), "\(function.name)")
            // Equality leaves out where constructs end; the bytes do not.
            #expect(IRBinary.encode(decoded) == bytes, "\(function.name)")
            #expect(UnitStore.encodeIR(function) == bytes)
        }
    }

    /// What the lowering rarely makes (a call left inside `sizeof`, an opaque floating-point
    /// value) beside a chain deeper than any real condition.
    static let handMade: Function = {
        let p = Expr.variable(Variable("p", .parameter))
        var chain = p
        for i in 0..<500 { chain = Expr(.binary(.add, chain, .constant(Int64(i - 250))), text: "p+…") }
        let samples: [Expr] = [
            Expr(.call(callee: "sizeof_thing", arguments: [p, .constant(4)]), text: "sizeof_thing(p, 4)"),
            Expr(.opaque, text: "1.5"), Expr(.string("ü"), text: "\"ü\""), Expr(.unary(.bitNot, p), text: "~p"),
            .constant(.min), .constant(.max), chain,
        ]
        let here = SourceLocation(file: "h.c", line: 2, column: 3, end: SourcePosition(line: 2, column: 9))
        var function = Function(name: "made", location: here, returnType: CType(spelling: "long", shape: .signedInteger),
                                parameters: [Parameter(name: "p", type: CType(spelling: "long", shape: .signedInteger))],
                                isStatic: true, blocks: [
                                    Block(id: 0, label: "top", statements: samples.map { .assign(target: p, value: $0, location: here) },
                                          terminator: .jump(1, via: Goto(label: "out", location: .unknown))),
                                    Block(id: 1, label: "out", terminator: .return(chain, location: here)),
                                ])
        function.initSection = true
        return function
    }()

    /// Where every construct of `function` ends, in order.
    static func ends(_ function: Function) -> [SourcePosition?] {
        [function.location.end] + function.blocks.flatMap { block -> [SourcePosition?] in
            let statements = block.statements.map(\.location.end)
            switch block.terminator {
            case .branch(_, _, _, let l), .return(_, let l): return statements + [l.end]
            case .jump(_, let via): return statements + [via?.location.end]
            case .unreachable: return statements
            }
        }
    }

    @Test("strings Swift takes as equal but spelled differently keep their own bytes")
    func spellings() throws {
        let composed = "caf\u{e9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        let int = CType(spelling: "int", shape: .signedInteger)
        let function = Function(name: "f", location: SourceLocation(file: "f.c", line: 1, column: 1), returnType: int,
                                parameters: [Parameter(name: composed, type: int), Parameter(name: decomposed, type: int),
                                             Parameter(name: composed, type: int)],
                                isStatic: false, blocks: [Block(id: 0, terminator: .return(nil, location: .unknown))])
        let decoded = try IRBinary.decode(IRBinary.encode(function))
        #expect(decoded.parameters.map { Array($0.name.utf8) } == function.parameters.map { Array($0.name.utf8) })
    }

    @Test("a varint longer than 64 bits is refused, not cut short")
    func longVarint() {
        // The string table's count: ten bytes whose last carries more than the top bit.
        #expect(throws: IRBinary.Damaged.self) { try IRBinary.decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]) }
    }

    @Test("every expression kind, extreme constants and a deep chain come back")
    func handMadeRoundTrip() throws {
        let bytes = IRBinary.encode(Self.handMade)
        #expect(try IRBinary.decode(bytes) == Self.handMade)
        #expect(IRBinary.encode(try IRBinary.decode(bytes)) == bytes)
    }

    @Test("truncated, extended or altered bytes throw or decode; none crashes or hangs")
    func damaged() throws {
        let function = try #require(Self.functions.max { $0.blocks.count < $1.blocks.count })
        let bytes = UnitStore.encodeIR(function)
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            #expect(throws: IRBinary.Damaged.self) { try IRBinary.decode(Array(bytes[..<cut])) }
        }
        #expect(throws: IRBinary.Damaged.self) { try IRBinary.decode(bytes + [0]) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            var altered = bytes
            for _ in 0..<3 { altered[Int.random(in: 0..<altered.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? IRBinary.decode(altered)
        }
        // A count that claims more than the bytes hold is refused before anything is reserved.
        #expect(throws: IRBinary.Damaged.self) { try IRBinary.decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
    }

    /// One function's IR in a store, as a unit's blob holds it, with the record that names it.
    struct StoredIR {
        let store: UnitStore
        let function: Function
        let bytes: [UInt8]
        let key = Digest.of("unit"), blob = Digest.of("blob")
        var record: FunctionRecord
        var path: URL { URL(fileURLWithPath: store.blob(key, ir: blob)) }

        /// `scratch` must outlive it: the store lies inside.
        init(_ scratch: borrowing Scratch, persistent: Bool) throws {
            store = UnitStore(root: scratch.path("store"), persistent: persistent, maxBytes: .max)
            function = try #require(IRBinaryTests.functions.first)
            bytes = UnitStore.encodeIR(function)
            record = FunctionRecord(name: function.name, location: function.location, isStatic: function.isStatic,
                                    ir: Digest.of(bytes), offset: 0, length: bytes.count, callees: [],
                                    noCallerInView: false, local: .unchecked)
            store.prepare()
            try FileManager.default.createDirectory(atPath: path.deletingLastPathComponent().path, withIntermediateDirectories: true)
            try Data(bytes).write(to: path)
        }

        var readBack: Function? { store.function(record, key: key, ir: blob) }
    }

    /// In a cache kept between runs. (A run's private store holds only what its own workers
    /// wrote moments before, and reads it back unchecked.)
    @Test("IR read back from the cache must match its record's digest, not only decode")
    func storedIRCheckedAgainstDigest() throws {
        let scratch = try Scratch()
        var stored = try StoredIR(scratch, persistent: true)
        #expect(stored.readBack == stored.function)
        // The same bytes under a record that names other IR: decodable, but not this function's.
        stored.record.ir = Digest.of(stored.bytes + [0])
        #expect(stored.readBack == nil)
    }

    /// A run's private store reads its IR back without the digest (`UnitStore.function`):
    /// all it can hold is a prefix of the right bytes, and one too short is refused.
    @Test("IR read back from a run's private store: whole, or refused when the blob is short")
    func privateStoreReadsWholeBlobsOnly() throws {
        let scratch = try Scratch()
        let stored = try StoredIR(scratch, persistent: false)
        #expect(stored.readBack == stored.function)
        // A write that stopped part way (the disk filled, the worker was killed).
        try Data(stored.bytes.dropLast()).write(to: stored.path)
        #expect(stored.readBack == nil)
        try Data().write(to: stored.path)
        #expect(stored.readBack == nil)
    }
}

/// The notes a whole file writes onto every function are part of each function's cached IR,
/// whose digest names it: their order must not come from a dictionary's, which changes from
/// process to process (the walks' callbacks and the flags' fields once did).
@Suite struct AnnotationOrderTests {
    static let source = """
        struct device { struct device *parent; };
        struct platform_device { struct device dev; };
        struct regulator;
        struct chip { struct device *dev; struct regulator *vcc; struct regulator *vdd; int zeta_on; int alpha_on; };
        struct platform_device *platform_device_alloc(const char *name, int id);
        int platform_device_add(struct platform_device *pdev);
        void platform_device_unregister(struct platform_device *pdev);
        int device_for_each_child(struct device *parent, void *data, int (*fn)(struct device *dev, void *data));
        int regulator_enable(struct regulator *r);
        int regulator_disable(struct regulator *r);

        static int zeta_remove(struct device *dev, void *data) {
          platform_device_unregister((struct platform_device *)dev);
          return 0;
        }
        static int alpha_remove(struct device *dev, void *data) {
          platform_device_unregister((struct platform_device *)dev);
          return 0;
        }
        int add(struct chip *c) {
          struct platform_device *pdev = platform_device_alloc("x", 0);
          if (!pdev)
            return -1;
          pdev->dev.parent = c->dev;
          return platform_device_add(pdev);
        }
        void teardown(struct chip *c) {
          device_for_each_child(c->dev, 0, zeta_remove);
          device_for_each_child(c->dev, 0, alpha_remove);
          if (c->zeta_on) { regulator_disable(c->vcc); c->zeta_on = 0; }
          if (c->alpha_on) { regulator_disable(c->vdd); c->alpha_on = 0; }
        }
        """

    @Test("the walks' callbacks and the flags' fields are noted in name order, whatever order the file has them in")
    func notesAreSortedByName() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Self.source, to: "walks.c")
        let pack = try RulePackCache().merged(["linux"])
        let unit = try Frontend().load(CompileCommand(file: file)).get().unit.annotated(for: pack)
        let teardown = try #require(unit.functions.first { $0.name == "teardown" })
        #expect(teardown.childWalks?.callbacks.map(\.name) == ["alpha_remove", "zeta_remove"])
        #expect(teardown.flaggedReleases?.flags.map(\.field) == ["alpha_on", "zeta_on"])
    }
}
