/// A release a helper skips only where its handle is no handle: `if (!IS_ERR(state->clock))
/// clk_disable_unprepare(state->clock);` in a power-off helper (s5k5baf, s5c73m3), `if
/// (priv->buf) kfree(priv->buf)`. The path that skips it holds nothing there to release, so
/// the helper releases what its caller holds on every path, and its summary says so. Without
/// this, a helper returning a status counted only releases made on every path, and its
/// callers were told it leaves the clock on.
///
/// The test: every way from the entry to a `return` passes a call making the release, or
/// the edge of a test on which the handle is an error pointer or null (the pack's predicates
/// for error pointers, `IS_ERR`, `IS_ERR_OR_NULL`, or the pointer itself tested). What it
/// cannot see: a test through a copy of the handle, or one in a callee.
enum ValidityGuards {
    static func releasedUnlessInvalid(_ release: ParameterRelease, in function: Function, calls: CallSemantics) -> Bool {
        let key = release.key
        var releasing: Set<BlockID> = []
        var invalidEdges: Set<Edge> = []
        for block in function.blocks {
            for case .call(let call) in block.statements where call.callee == release.call {
                let rules = calls.releases(release.call) ?? []
                if rules.contains(where: { $0.kinds.contains(release.kind) && $0.handle.path(result: call.result, arguments: call.arguments) == key }) {
                    releasing.insert(block.id)
                }
            }
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator,
                  let invalidWhen = invalidTruth(condition, of: key, in: block, pack: calls.pack) else { continue }
            invalidEdges.insert(Edge(from: block.id, to: invalidWhen ? then : otherwise))
        }
        guard !releasing.isEmpty, !invalidEdges.isEmpty, !releasing.contains(function.entry) else { return false }
        let escapes = function.firstReachable(from: [function.entry], following: { from, to in
            !releasing.contains(to) && !invalidEdges.contains(Edge(from: from, to: to))
        }) { block in
            if case .return = function.blocks[block].terminator { return true }
            return false
        }
        return escapes == nil
    }

    struct Edge: Hashable {
        var from: BlockID
        var to: BlockID
    }

    /// The truth of `condition` under which `key` is an error pointer or null, when the
    /// condition tests exactly that.
    static func invalidTruth(_ condition: Expr, of key: AccessPath, in block: Block, pack: RulePack) -> Bool? {
        let (tested, count) = condition.underNegations
        let negated = count % 2 == 1
        if tested.path == key { return negated }
        guard case .variable(let temporary) = tested.kind, temporary.storage == .temporary,
              let call = block.lastCall(leaving: temporary), let callee = call.callee, let predicate = pack.predicates[callee],
              predicate.argument < call.arguments.count, call.arguments[predicate.argument].path == key,
              predicate.whenTrue.contains(.negative), !predicate.whenTrue.contains(.positive) else { return nil }
        return !negated
    }
}
