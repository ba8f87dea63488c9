/// The one walk over a function's edges that the analysis and the fixes share: "is this
/// block reachable", "what runs after this call", "which blocks can a path reach without
/// this edge". Earlier each asker kept its own depth-first loop, and they had drifted
/// (whether the start counts as reached, whether an out-of-range id traps).
extension Function {
    /// The first block, in depth-first order from `starts` (the starts themselves included),
    /// for which `found` is true; nil when none is. Each block is visited once. An edge is
    /// taken only when `follows(from, to)` is true; ids that name no block are skipped (a
    /// lowering gap must not trap the analysis).
    public func firstReachable(from starts: [BlockID],
                               following follows: (BlockID, BlockID) -> Bool = { _, _ in true },
                               where found: (BlockID) -> Bool) -> BlockID? {
        var seen: Set<BlockID> = []
        var stack: [BlockID] = []
        for start in starts.reversed() where seen.insert(start).inserted { stack.append(start) }
        while let block = stack.popLast() {
            guard blocks.indices.contains(block) else { continue }
            if found(block) { return block }
            for next in blocks[block].terminator.successors
            where follows(block, next) && seen.insert(next).inserted {
                stack.append(next)
            }
        }
        return nil
    }

    /// Every block reachable from `starts` through the edges `follows` keeps, starts included.
    public func reachableBlocks(from starts: [BlockID],
                                following follows: (BlockID, BlockID) -> Bool = { _, _ in true }) -> Set<BlockID> {
        var reached: Set<BlockID> = []
        _ = firstReachable(from: starts, following: follows) { reached.insert($0); return false }
        return reached
    }

    /// The `return` latest in the source: where a finding about the whole body is placed.
    public var lastReturnLocation: SourceLocation? {
        blocks.compactMap { block -> SourceLocation? in
            if case .return(_, let location) = block.terminator { location } else { nil }
        }.max(by: { $0.line < $1.line })
    }

    /// Whether some path leads from `start` to `goal`; a block reaches itself.
    public func reaches(from start: BlockID, to goal: BlockID) -> Bool {
        firstReachable(from: [start]) { $0 == goal } != nil
    }
}

/// A statement's place in a function: `statement` is its index in the block (the block's
/// count for its terminator).
struct Position: Hashable, Sendable {
    var block: BlockID
    var statement: Int
}
