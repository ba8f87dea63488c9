/// Learns acquire/release pairs from one function's error ladders, without any pack entry
/// for them: what a function releases on the way out of a failure tells what its earlier
/// calls acquired.
///
/// Each path from the entry to a return that gives the function's error value (a negative
/// constant or errno, NULL or an ERR_PTR, a status tested non-zero) is walked. Its *rungs* are
/// the calls made after the last test of a call's result (after the first `goto` that follows
/// that test, when there is one): the cleanup. For each rung `R(…, x, …)` the miner looks
/// back, before that test, for the newest call `A` that produced `x` (`x = A(…)`, tested
/// non-NULL, not IS_ERR, or not negative) or took it (`A(…, x, …)`, its status tested for
/// success), and not yet paired with another rung on this path: ladders undo newest first.
///
///     x = A(dev);          // acquire, result tested: `if (!x) return -ENOMEM;`
///     ret = B(dev, x);     // the failing call: tested failed, so it acquired nothing
///     if (ret) goto err;
///     ...
///     err: R(x);           // rung: pairs (A, R, result, argument 0)
///
/// Limits, candidly: one path is one witness, and a function counts once per pair, however
/// many paths show it. Calls with a string literal argument (logging) are never rungs, nor
/// are calls whose result is used. A rung with several arguments is paired through the one
/// that the fewest earlier calls touched (a device pointer passed everywhere is context,
/// not the resource). A call that took `x` and succeeded but acquired nothing (a setter
/// checked for errors) can be mistaken for the acquire when it is the newest one: support
/// across functions, and the reviewer, separate those. Paths are enumerated up to a budget
/// per function; a block is entered at most twice per path.
public struct ErrorLadderMiner: Sendable {
    public let pack: RulePack
    public let pathBudget: Int

    public init(pack: RulePack, pathBudget: Int = 2_000) {
        self.pack = pack
        self.pathBudget = pathBudget
    }

    public func mine(_ function: Function, file: String) -> MinedFunction {
        var found: [MinedPair: MinedSuccess] = [:]
        guard function.returnType.shape != .void, !function.blocks.isEmpty else {
            return MinedFunction(function: function.name, file: file, pairs: [:])
        }
        var stack: [LadderWalk] = [LadderWalk(block: function.entry)]
        var paths = 0
        while let walk = stack.popLast(), paths < pathBudget {
            var walk = walk
            walk.visits[walk.block, default: 0] += 1
            let block = function.blocks[walk.block]
            for statement in block.statements { walk.step(statement, pack: pack) }
            switch block.terminator {
            case .jump(let next, let via):
                if via != nil { walk.tookGoto() }
                walk.block = next
                if walk.visits[next, default: 0] < 2 { stack.append(walk) } else { paths += 1 }
            case .branch(let condition, let then, let otherwise, _):
                for (target, holds) in [(otherwise, false), (then, true)] where walk.visits[target, default: 0] < 2 {
                    var next = walk
                    next.test(condition, holds: holds, pack: pack)
                    next.block = target
                    stack.append(next)
                }
                paths += 1
            case .return(let value, _):
                paths += 1
                if walk.isError(value, shape: function.returnType.shape, pack: pack) {
                    for (pair, success) in walk.pairs() where found[pair] == nil { found[pair] = success }
                }
            case .unreachable:
                paths += 1
            }
        }
        return MinedFunction(function: function.name, file: file, pairs: found)
    }
}
