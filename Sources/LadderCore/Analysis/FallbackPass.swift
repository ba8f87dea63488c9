/// For a function with more paths than the budget: one walk over its blocks, joining the
/// states that meet at each block (`PathState.joined`), to a fixed point. What may be held
/// at each exit is what may leak there.
///
/// Path-insensitive, so what it finds is low confidence: two branches on the same flag are
/// not known to agree, and a resource released on one branch and kept on the other is
/// "may be held" after both. It keeps what makes leaks at error exits worth reading: the
/// null test after an acquisition still drops the failed acquisition on that edge, and
/// facts both sides agree on still prune edges. Only `missing-release` is reported from
/// it: the other rules need one path's history.
struct FallbackPass {
    let transfer: Transfer
    /// Block visits allowed, as a multiple of the block count: a join that never settles
    /// ends the pass instead of the run.
    let visitsPerBlock: Int

    struct Outcome {
        var exits: [FunctionAnalysis.ExitRecord]
        var converged: Bool
        var visits: Int
    }

    func run() -> Outcome {
        let function = transfer.function
        let order = Self.reversePostorder(function)
        var rank = Array(repeating: Int.max, count: function.blocks.count)
        for (i, b) in order.enumerated() { rank[b] = i }
        var entry: [PathState?] = Array(repeating: nil, count: function.blocks.count)
        entry[function.entry] = PathState()
        // Blocks to visit, lowest reverse-postorder rank first: joins see all their
        // forward predecessors before they are walked.
        var pending = RankQueue(rank: rank)
        pending.insert(function.entry)
        var exits: [BlockID: FunctionAnalysis.ExitRecord] = [:]
        var visits = 0
        let limit = function.blocks.count * visitsPerBlock

        func propagate(_ state: PathState, to target: BlockID) {
            if let old = entry[target] {
                let joined = old.joined(with: state)
                if joined != old {
                    entry[target] = joined
                    pending.insert(target)
                }
            } else {
                entry[target] = state
                pending.insert(target)
            }
        }

        while let block = pending.popFirst() {
            visits += 1
            if visits > limit { return Outcome(exits: Array(exits.values), converged: false, visits: visits) }
            guard var state = entry[block] else { continue }
            let live = transfer.scan.liveAtEntry[block]
            state.facts = state.facts.filter { live.contains($0.key) }
            var steps: [PathStep] = []
            var ended = false
            let current = function.blocks[block]
            for (position, statement) in current.statements.enumerated() {
                var events: [AnalysisEvent] = []
                let site = FunctionPrescan.CallSite(block: block, index: position)
                if transfer.apply(statement, at: site, to: &state, steps: &steps, events: &events) == .pathEnds {
                    ended = true
                    break
                }
            }
            if ended { continue }
            switch current.terminator {
            case .jump(let target, let via):
                if let via { for i in state.held.indices { state.held[i].lastGoto = via.location } }
                propagate(state, to: target)
            case .branch(let condition, let then, let otherwise, let location):
                for (target, truth) in [(then, true), (otherwise, false)] {
                    var edge = state
                    var edgeSteps: [PathStep] = []
                    var failed = false
                    if transfer.refine(&edge, condition: condition, truth: truth, location: location,
                                       steps: &edgeSteps, sawFailure: &failed) {
                        propagate(edge, to: target)
                    }
                }
            case .return(let value, let location):
                let note = PathStep(location: location, message: "one of the paths to this exit (the function has too many to follow each)")
                exits[block] = transfer.exit(state: state, value: value, location: location, steps: [note], afterFailure: false)
            case .unreachable:
                break
            }
        }
        let ordered = exits.sorted { $0.key < $1.key }.map(\.value)
        return Outcome(exits: ordered, converged: true, visits: visits)
    }

    /// Blocks in reverse postorder from the entry (unreachable blocks last).
    static func reversePostorder(_ function: Function) -> [BlockID] {
        var seen = Array(repeating: false, count: function.blocks.count)
        var post: [BlockID] = []
        // Iterative: a 50,000-case switch is a 50,000-deep chain of blocks.
        var stack: [(BlockID, Int)] = [(function.entry, 0)]
        seen[function.entry] = true
        while let (block, next) = stack.last {
            let successors = function.blocks[block].terminator.successors
            if next < successors.count {
                stack[stack.count - 1].1 += 1
                let s = successors[next]
                if !seen[s] {
                    seen[s] = true
                    stack.append((s, 0))
                }
            } else {
                post.append(block)
                stack.removeLast()
            }
        }
        return post.reversed() + function.blocks.indices.filter { !seen[$0] }
    }
}

/// A set of blocks popped lowest rank first, in logarithmic time (a 50,000-block function
/// must not cost a quadratic scan per visit).
struct RankQueue {
    let rank: [Int]
    private var heap: [BlockID] = []
    private var queued: Set<BlockID> = []

    init(rank: [Int]) { self.rank = rank }

    mutating func insert(_ block: BlockID) {
        guard queued.insert(block).inserted else { return }
        heap.append(block)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard rank[heap[i]] < rank[heap[parent]] else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func popFirst() -> BlockID? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < heap.count, rank[heap[l]] < rank[heap[smallest]] { smallest = l }
                if r < heap.count, rank[heap[r]] < rank[heap[smallest]] { smallest = r }
                if smallest == i { break }
                heap.swapAt(i, smallest)
                i = smallest
            }
        }
        queued.remove(first)
        return first
    }
}
