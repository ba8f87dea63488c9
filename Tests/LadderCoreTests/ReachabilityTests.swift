import LadderCore
import Testing

/// The one walk the analysis and the fixes share: a loop, a cut edge, a dangling id.
@Suite struct ReachabilityTests {
    static let here = SourceLocation(file: "k.c", line: 1, column: 1)

    /// 0 → 1 ⇄ 2 (a loop), 1 → 3 (exit), 4 unreachable, 2 → 9 (no such block).
    static let looping = Function(
        name: "f", location: here, returnType: CType(spelling: "int", shape: .signedInteger), parameters: [], isStatic: false,
        blocks: [
            Block(id: 0, terminator: .jump(1, via: nil)),
            Block(id: 1, terminator: .branch(condition: .constant(1), then: 2, else: 3, location: here)),
            Block(id: 2, terminator: .branch(condition: .constant(1), then: 1, else: 9, location: here)),
            Block(id: 3, terminator: .return(.constant(0), location: here)),
            Block(id: 4, terminator: .jump(3, via: nil)),
        ])

    @Test("a block reaches itself, the loop reaches back, nothing reaches the dead block")
    func reaches() {
        let f = Self.looping
        #expect(f.reaches(from: 3, to: 3))
        #expect(f.reaches(from: 2, to: 1))
        #expect(f.reaches(from: 2, to: 2))
        #expect(!f.reaches(from: 3, to: 1))
        #expect(!f.reaches(from: 0, to: 4))
        #expect(f.reachableBlocks(from: [0]) == [0, 1, 2, 3])
    }

    @Test("an edge the caller refuses is not taken, and the starts count as reached")
    func cutEdges() {
        let f = Self.looping
        #expect(f.firstReachable(from: [0], following: { !($0 == 1 && $1 == 3) }) { $0 == 3 } == nil)
        #expect(f.reachableBlocks(from: [0], following: { $1 != 2 }) == [0, 1, 3])
        #expect(f.firstReachable(from: [4, 2]) { $0 == 4 } == 4)
    }
}
