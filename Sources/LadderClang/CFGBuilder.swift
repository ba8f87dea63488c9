import LadderCore

/// Accumulates blocks while a function is lowered. `current` is nil after a `return`,
/// `goto` or `break` until a new block starts; code lowered then lands in a fresh block
/// with no predecessors, which `finish` drops.
struct CFGBuilder {
    private(set) var blocks: [Block] = [Block(id: 0)]
    private(set) var current: BlockID? = 0
    private var labels: [String: BlockID] = [:]

    mutating func newBlock(label: String? = nil) -> BlockID {
        blocks.append(Block(id: blocks.count, label: label))
        return blocks.count - 1
    }

    mutating func block(forLabel name: String) -> BlockID {
        if let known = labels[name] { return known }
        let id = newBlock(label: name)
        labels[name] = id
        return id
    }

    mutating func emit(_ statement: Statement) {
        if current == nil { current = newBlock() }
        blocks[current!].statements.append(statement)
    }

    var isReachable: Bool { current != nil }

    /// Ends the current block; does nothing in dead code.
    mutating func terminate(_ terminator: Terminator) {
        guard let id = current else { return }
        blocks[id].terminator = terminator
        current = nil
    }

    /// Falls through from the current block (if any) into `id` and continues there.
    mutating func start(_ id: BlockID) {
        terminate(.jump(id, via: nil))
        current = id
    }

    /// Continue emitting into `id` without an edge from the current block.
    mutating func resume(_ id: BlockID) {
        current = id
    }

    /// Drops blocks nothing reaches, threads jumps through empty unlabeled blocks, and
    /// renumbers what is left in creation order so dumps are stable.
    func finish() -> [Block] {
        var blocks = self.blocks
        func forward(_ id: BlockID) -> BlockID {
            var target = id
            var seen: Set<BlockID> = []
            while blocks[target].statements.isEmpty, blocks[target].label == nil,
                  case .jump(let next, nil) = blocks[target].terminator, !seen.contains(target) {
                seen.insert(target)
                target = next
            }
            return target
        }
        for i in blocks.indices {
            switch blocks[i].terminator {
            case .jump(let t, let via): blocks[i].terminator = .jump(forward(t), via: via)
            case .branch(let c, let t, let e, let l): blocks[i].terminator = .branch(condition: c, then: forward(t), else: forward(e), location: l)
            case .return, .unreachable: break
            }
        }
        var reachable: [Bool] = Array(repeating: false, count: blocks.count)
        var stack = [forward(0)]
        while let id = stack.popLast() {
            guard !reachable[id] else { continue }
            reachable[id] = true
            stack.append(contentsOf: blocks[id].terminator.successors)
        }
        // The entry must stay block 0 even if it was threaded away.
        let entry = forward(0)
        var order = [entry] + blocks.indices.filter { reachable[$0] && $0 != entry }
        order = order.filter { reachable[$0] }
        var renumber: [BlockID: BlockID] = [:]
        for (new, old) in order.enumerated() { renumber[old] = new }
        return order.enumerated().map { new, old in
            var block = blocks[old]
            block.id = new
            switch block.terminator {
            case .jump(let t, let via): block.terminator = .jump(renumber[t]!, via: via)
            case .branch(let c, let t, let e, let l): block.terminator = .branch(condition: c, then: renumber[t]!, else: renumber[e]!, location: l)
            case .return, .unreachable: break
            }
            return block
        }
    }
}
