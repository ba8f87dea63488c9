import Foundation
import LadderCore
import Testing

/// The IR round-trips through Codable, so a lowered unit can cross a process or sit in a
/// cache. An expression is encoded flat: depth costs neither recursion nor JSON nesting.
@Suite struct IRCodingTests {
    static func roundTrip<T: Codable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    static let here = SourceLocation(file: "k.c", line: 3, column: 5)

    @Test("every kind of expression comes back equal, access path included")
    func expressions() throws {
        let p = Expr.variable(Variable("p", .parameter))
        let samples: [Expr] = [
            .constant(-12),
            Expr(.member(base: p, name: "lock", arrow: true), text: "p->lock"),
            Expr(.addressOf(Expr(.member(base: p, name: "lock", arrow: true), text: "p->lock")), text: "&p->lock"),
            Expr(.deref(p), text: "*p"),
            Expr(.index(base: p, index: .constant(2)), text: "p[2]"),
            Expr(.unary(.minus, p), text: "-p"),
            Expr(.binary(.bitOr, p, .constant(1)), text: "p | 1"),
            Expr(.call(callee: "sizeof_thing", arguments: [p, .constant(4)]), text: "sizeof_thing(p, 4)"),
            Expr(.string("hello"), text: "\"hello\""),
            Expr(.opaque, text: "1.5"),
        ]
        for sample in samples {
            let back = try Self.roundTrip(sample)
            #expect(back == sample)
            #expect(back.path == sample.path)
        }
    }

    /// `body` on a thread with a large stack: building and freeing a deep expression
    /// recurses (the coding does not), which the test runner's threads have no room for.
    static func onLargeStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.value!
    }

    @Test("a 100,000-deep expression encodes and decodes by loops, and JSON nests it three deep")
    func deepExpression() throws {
        let (deepest, rootIsTheLastAddition) = try Self.onLargeStack { () -> Result<(Int, Bool), any Error> in
            Result {
                var e = Expr.variable(Variable("a", .local))
                for _ in 0..<100_000 { e = Expr(.binary(.add, e, .constant(1)), text: "") }
                let data = try JSONEncoder().encode(e)
                var depth = 0, deepest = 0
                for byte in data {
                    if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1; deepest = max(deepest, depth) }
                    if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { depth -= 1 }
                }
                let back = try JSONDecoder().decode(Expr.self, from: data)
                guard case .binary(.add, let rest, let one) = back.kind, one.constantValue == 1,
                      case .binary(.add, _, _) = rest.kind else { return (deepest, false) }
                return (deepest, true)
            }
        }.get()
        #expect(deepest <= 3)
        #expect(rootIsTheLastAddition)
    }

    @Test("nodes that are not a post-order tree are refused, not trusted")
    func corruptNodes() {
        let operandAfterParent = #"[{"tag":"deref","text":"*x","operands":[1]},{"tag":"opaque","text":"x","operands":[]}]"#
        let orphan = #"[{"tag":"opaque","text":"x","operands":[]},{"tag":"opaque","text":"y","operands":[]}]"#
        let missingValue = #"[{"tag":"constant","text":"1","operands":[]}]"#
        // One node naming the same operand twice: shared, a tree larger than its bytes.
        let sharedOperand = #"[{"tag":"opaque","text":"x","operands":[]},{"tag":"binary","text":"x+x","binary":"+","operands":[0,0]}]"#
        for text in [operandAfterParent, orphan, missingValue, sharedOperand, "[]"] {
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(Expr.self, from: Data(text.utf8)) }
        }
    }

    @Test("a function, its blocks, statements and terminators come back equal")
    func function() throws {
        let mem = Expr(.variable(Variable("mem", .local)), text: "mem")
        let call = Call(callee: "kalloc", arguments: [], result: mem, location: Self.here, text: "kalloc()")
        let free = Call(callee: "kfree", arguments: [mem], result: nil, location: Self.here, text: "kfree(mem)",
                        origin: .cleanupAttribute)
        let function = Function(
            name: "f", location: Self.here, returnType: CType(spelling: "int", shape: .signedInteger),
            parameters: [Parameter(name: "n", type: CType(spelling: "int", shape: .signedInteger))], isStatic: true,
            blocks: [
                Block(id: 0, statements: [.call(call)],
                      terminator: .branch(condition: Expr(.binary(.eq, mem, .constant(0)), text: "mem == 0"),
                                          then: 1, else: 2, location: Self.here)),
                Block(id: 1, label: "bad", terminator: .return(.constant(-1), location: Self.here)),
                Block(id: 2, statements: [.call(free), .assign(target: mem, value: .constant(0), location: Self.here)],
                      terminator: .jump(3, via: Goto(label: "out", location: Self.here))),
                Block(id: 3, terminator: .unreachable),
            ])
        #expect(try Self.roundTrip(function) == function)
        let unit = try Self.roundTrip(TranslationUnit(file: "k.c", functions: [function]))
        #expect(unit.file == "k.c" && unit.functions == [function])
    }
}

/// Carries a value out of a thread the test waits for. `@unchecked Sendable`, and safe: the
/// thread writes `value` once, before it signals the semaphore, and the test reads it only
/// after `wait()` returns, so the signal orders the write before the read and no two
/// threads touch it at once.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
