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
        #expect(unknownEnd.reads("sz") && !unknownEnd.reads("s"))
    }

    @Test func keysMentionWholeIdentifiersOnly() {
        #expect(Keys.mentions("&p->lock", "p"))
        #expect(Keys.mentions("argv[*]", "argv"))
        #expect(!Keys.mentions("pp->lock", "p"))
        #expect(!Keys.mentions("np", "p"))
        #expect(Keys.root("&(*pte)") == "pte")
        #expect(Keys.root("&p->lock") == "p")
        #expect(Keys.isCollection("argv[*]") && !Keys.isCollection("argv[0]"))
        #expect(Keys.foldAddressOfDeref("release_firmware(*&fw)") == "release_firmware(fw)")
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
        let live = FunctionPrescan.liveness(function, [:], relevant: ["x"])
        #expect(live[0].isEmpty)  // assigned before it is read
        #expect(live[1].isEmpty)
    }
}
