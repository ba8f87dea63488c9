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
        let order = function.reversePostorder
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
            // As the path walk does; kept through joins, such records grow with every
            // variant of a resource the joins make.
            state.forgetUnnamedRecords(live: live)
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
                if let via { for i in state.held.indices where state.held[i].lostNames.isEmpty { state.held[i].lastGoto = via.location } }
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
}
