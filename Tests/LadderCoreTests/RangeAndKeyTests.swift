import Foundation
@testable import LadderCore
import Testing

@Suite struct RangeAndKeyTests {
    let va = Expr.variable(Variable("va", .parameter))
    let pageSize = Expr(.constant(4096), text: "PGSIZE")

    func range(_ start: Expr, pages: Int64) -> AddressRange {
        RangeSpec(start: .argument(0), pages: .argument(1)).resolve([start, .constant(pages)])
    }

    @Test func symbolicRangesCompareOnTheSameVariable() {
        let mapped = range(va, pages: 1)
        let next = range(Expr(.binary(.add, va, pageSize), text: "va + PGSIZE"), pages: 1)
        #expect(mapped.isDisjoint(from: next))
        #expect(!mapped.isDisjoint(from: range(va, pages: 2)))
        // Different variables cannot be compared: they may overlap.
        let other = range(.variable(Variable("a", .local)), pages: 1)
        #expect(mapped.overlaps(other))
    }

    @Test func absoluteRangesAndEmptyOnes() {
        let trampoline = RangeSpec(start: .constant(0x3fffff_f000), length: .constant(4096)).resolve([])
        let user = RangeSpec(start: .constant(0), end: .argument(0)).resolve([.constant(0)])
        #expect(user.isEmpty)
        #expect(!user.overlaps(trampoline))
        let unknownEnd = RangeSpec(start: .constant(0), end: .argument(0)).resolve([.variable(Variable("sz", .local))])
        #expect(unknownEnd.overlaps(trampoline))
        let sz = AccessPath(variable: Variable("sz", .local)), s_ = AccessPath(variable: Variable("s", .local))
        #expect(unknownEnd.reads(sz) && !unknownEnd.reads(s_))
    }

    @Test func pathsMentionWholeVariablesOnly() {
        let p = Variable("p", .parameter), pp = Variable("pp", .local), argv = Variable("argv", .parameter)
        let lock = AccessPath(variable: p).appending([.field("lock", arrow: true), .addressOf])
        #expect(lock.mentions(p))
        #expect(lock.mentions(AccessPath(variable: p).appending(.field("lock", arrow: true))))
        #expect(AccessPath(variable: argv).appending(.element(nil)).mentions(argv))
        #expect(!AccessPath(variable: pp).appending(.field("lock", arrow: true)).mentions(p))
        #expect(lock.rootPath == AccessPath(variable: p))
        #expect(AccessPath(variable: argv).appending(.element(nil)).isCollection)
        #expect(!AccessPath(variable: argv).appending(.element(0)).isCollection)
        #expect(HandleTemplate.foldingAddressOfDeref("release_firmware(*&fw)") == "release_firmware(fw)")
    }

    @Test func shadowedLocalsAreTwoRoots() {
        // The front end names an inner `mem` `mem#2`: one name in the source, two variables.
        let outer = Variable("mem", .local), inner = Variable("mem#2", .local)
        #expect(AccessPath(variable: inner) != AccessPath(variable: outer))
        #expect(!AccessPath(variable: inner).mentions(outer))
        #expect(AccessPath(variable: inner).rootPath != AccessPath(variable: outer))
    }

    @Test func pathsFoldAddressAndDereference() {
        let x = AccessPath(variable: Variable("x", .local))
        #expect(x.appending([.addressOf, .deref]) == x)
        #expect(x.appending([.deref, .addressOf]) == x)
        #expect(x.appending([.deref, .field("f", arrow: false)]) == x.appending(.field("f", arrow: true)))
        #expect(x.appending([.field("lock", arrow: true), .addressOf]).description == "&x->lock")
    }

    @Test func pathTemplatesParseFillAndSpell() throws {
        let np = Expr.variable(Variable("np", .local))
        let lock = try PathTemplate(parsing: "&{ret}->lock")
        #expect(lock.path(result: np, arguments: [])?.description == "&np->lock")
        #expect(lock.text(result: np, arguments: []) == "&np->lock")
        #expect(lock.description == "&{ret}->lock")
        let fw = Expr(.addressOf(.variable(Variable("fw", .local))), text: "&fw")
        #expect(try PathTemplate(parsing: "*{0}").path(result: nil, arguments: [fw]) == AccessPath(variable: Variable("fw", .local)))
        #expect(try PathTemplate(parsing: "log").path(result: nil, arguments: []) == AccessPath(.named("log")))
        #expect(try PathTemplate(parsing: "netdev_priv({0})->pdev").description == "netdev_priv({0})->pdev")
        #expect(throws: PathTemplateError.self) { try PathTemplate(parsing: "{x}") }
        #expect(throws: PathTemplateError.self) { try PathTemplate(parsing: "&{0}->") }
        // A helper's release of `netdev_priv(dev)->pdev` is, for its caller, `netdev_priv({0})->pdev`.
        let dev = Variable("dev", .parameter)
        let released = AccessPath(.call("netdev_priv", [AccessPath(variable: dev)])).appending(.field("pdev", arrow: true))
        #expect(PathTemplate(abstracting: released, parameters: [dev])?.description == "netdev_priv({0})->pdev")
        #expect(PathTemplate(abstracting: AccessPath(variable: Variable("mem", .local)), parameters: [dev]) == nil)
    }

    @Test func pathsRoundTripThroughJSON() throws {
        let path = AccessPath(.call("netdev_priv", [AccessPath(variable: Variable("dev", .parameter))])).appending(.field("pdev", arrow: true))
        let data = try JSONEncoder().encode(path)
        #expect(try JSONDecoder().decode(AccessPath.self, from: data) == path)
    }

    @Test func livenessDropsFactsNothingReadsLater() throws {
        // x = 1; if (x) {} ; then nothing reads x: x is live only until the branch.
        let x = Expr.variable(Variable("x", .local))
        let loc = SourceLocation(file: "t.c", line: 1, column: 1)
        let function = Function(
            name: "f", location: loc, returnType: CType(spelling: "int", shape: .signedInteger), parameters: [], isStatic: false,
            blocks: [
                Block(id: 0, statements: [.assign(target: x, value: .constant(1), location: loc)],
                      terminator: .branch(condition: x, then: 1, else: 1, location: loc)),
                Block(id: 1, terminator: .return(.constant(0), location: loc)),
            ])
        let live = FunctionPrescan.liveness(function, [:], relevant: [AccessPath(variable: Variable("x", .local))])
        #expect(live[0].isEmpty)  // assigned before it is read
        #expect(live[1].isEmpty)
    }

    @Test func keyReadLaterIsLiveUntilItsStore() {
        let x = Expr.variable(Variable("x", .local))
        let y = AccessPath(variable: Variable("y", .local))
        let loc = SourceLocation(file: "t.c", line: 1, column: 1)
        // 0: branch on x → 1: x = 1 → 2: branch on x → return
        let function = Function(
            name: "f", location: loc, returnType: CType(spelling: "int", shape: .signedInteger), parameters: [], isStatic: false,
            blocks: [
                Block(id: 0, terminator: .branch(condition: x, then: 1, else: 2, location: loc)),
                Block(id: 1, statements: [.assign(target: x, value: .constant(1), location: loc)], terminator: .jump(2, via: nil)),
                Block(id: 2, terminator: .branch(condition: x, then: 3, else: 3, location: loc)),
                Block(id: 3, terminator: .return(.constant(0), location: loc)),
            ])
        let live = FunctionPrescan.liveness(function, [:], relevant: [x.path, y])
        #expect(live[0].contains(x.path) && live[2].contains(x.path))
        #expect(!live[1].contains(x.path), "stored before any read")
        #expect(live[3].isEmpty)
        #expect(!live.contains { $0.contains(y) }, "never read")
        #expect(live[2].contains { $0 == x.path } && !live[1].contains { _ in true })
    }
}
