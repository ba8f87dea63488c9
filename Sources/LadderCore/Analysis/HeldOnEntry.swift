/// A handle this function releases before it takes it, and takes again further on: the
/// caller, or the device's state, held it on entry, and the function lets go of it for a
/// while — a lock dropped around a sleep, a clock gated around a register change, a
/// regulator or clock turned off and turned back on when a later step fails.
///
/// The rule, for any kind: a release of a handle the path has not acquired (in this
/// function) that some acquisition of the same handle can follow (in the CFG) is a release
/// of what the function was entered holding. It is no wrong rung on any path; an
/// acquisition that follows it on a path gives the caller's handle back, so holding it at a
/// return is the entry state (`HeldResource.callerOwned`), neither a leak nor a contract for
/// the caller. The two are matched under the handle's name as the retake writes it, or its
/// canonical name (`pc->clk`, `dev->driver_data->clk` after `pc = dev_get_drvdata(dev)`).
/// A lock is the exception on a path that returns without the retake: the
/// caller's unlock then finds it released, so that path reports the early release. The
/// function's summary says it expects the handle held on entry
/// (`LockExpectation`, as for a lock it only releases), so callers in view are checked for
/// it.
///
/// What keeps the wrong rung reported: in a cleanup ladder the acquisition comes before the
/// release (`err_clk: clk_disable_unprepare(clk)` after `clk_prepare_enable(clk)` further
/// up); no acquisition can follow the release, so a path that reaches it without the
/// handle still releases something it never held.
///
/// A release on the clear side of a flag the function itself sets (`if (!led->clk_on)`
/// with `led->clk_on = true` after the enable) is not taken as one: the flag records what
/// is held, and says it was not.
///
/// Limits: "can follow" is reachability, not one path: a loop body that releases before it
/// acquires (`if (skip) { unlock; continue; } lock; …`) reads as a drop and retake. A
/// handle acquired where it is also assigned from elsewhere (`ret` reused, see
/// `FunctionPrescan.acquirable`) is not this function's to judge at all. A handle only
/// conditionally released and then unconditionally re-acquired (`if (enabled) disable; …;
/// err: enable`) still leaks on the path that did not release it.
extension Transfer {
    /// Whether an acquisition of `key` as one of `kinds` can run after `call`.
    func retakesLater(_ kinds: [ResourceKind], key: AccessPath, after call: Call) -> Bool {
        let blocks = function.blocks
        let acquires = { (statement: Statement) -> Bool in
            guard case .call(let c) = statement, let callee = c.callee, let rule = calls.acquire(callee) else { return false }
            // `clk_prepare_enable` takes back what `clk_unprepare` gave up: its fix releases both.
            let restored = calls.dependencies.restores[callee] ?? []
            return rule.resources.contains { spec in
                (kinds.contains(spec.kind) || kinds.contains(where: restored.contains))
                    && spec.handle.path(result: c.result, arguments: c.arguments).map(scan.collective) == key
            }
        }
        var after: [BlockID] = []
        for block in blocks {
            // A macro's calls share a location: every place this very call sits counts.
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let c) = statement, c == call else { continue }
                if block.statements[(index + 1)...].contains(where: acquires) { return true }
                after += block.terminator.successors
            }
        }
        return function.firstReachable(from: after) { blocks[$0].statements.contains(where: acquires) } != nil
    }

    /// A release of a handle not held on this path that the function takes again later:
    /// the entry state's, waiting to be given back. True when it was taken as one.
    func releaseHeldOnEntry(_ rule: ReleaseRule, key: AccessPath, text: String, call: Call,
                            in state: inout PathState) -> Bool {
        guard retakesLater(rule.kinds, key: key, after: call), !onClearSideOfOwnFlag(call) else { return false }
        var pending = PendingUnacquired(call: call, handleText: text, key: key, kinds: rule.kinds)
        // A lock must come back on every path: a return that skips the retake leaves the
        // caller unlocking what nobody holds. A clock or regulator may stay off on a path
        // that succeeded in turning it off (a suspend that went through).
        pending.retakenLater = !rule.kinds.allSatisfy(pack.locks.contains)
        if !state.pendingUnacquired.contains(pending) { state.pendingUnacquired.append(pending) }
        // Not a release the caller sees: the function puts it back. A lock's expectation
        // was recorded with every release of a lock not held; any other kind's is recorded
        // only here, where the retake shows the handle was held on entry.
        state.parameterReleases = state.parameterReleases.filter { !($0.key == key && rule.kinds.contains($0.kind)) }
        if !rule.kinds.allSatisfy(pack.locks.contains) {
            expectReleased(rule, key: key, text: text, call: call, in: &state)
        }
        return true
    }

    /// `if (!led->clk_on) clk_disable_unprepare(…)` where the function sets `led->clk_on`:
    /// its own flag says the handle was not held on entry, so the release is no drop of
    /// the entry state, whatever acquisition follows (`FlagGuards.clearSide`).
    func onClearSideOfOwnFlag(_ call: Call) -> Bool {
        function.blocks.contains { block in
            toggles.releasesOnClearSide(block.id) && block.statements.contains {
                if case .call(let c) = $0 { c == call } else { false }
            }
        }
    }

    /// The entry state's handle, given back and dropped again (the next turn of a retry
    /// loop): the next acquisition gives it back again.
    func dropAgain(_ resource: HeldResource, key: AccessPath, text: String, call: Call, in state: inout PathState) {
        guard resource.callerOwned, retakesLater([resource.kind], key: key, after: call) else { return }
        var pending = PendingUnacquired(call: call, handleText: text, key: key, kinds: [resource.kind])
        // As for the first drop: a lock must come back on every path after this one too.
        pending.retakenLater = !pack.locks.contains(resource.kind)
        if !state.pendingUnacquired.contains(pending) { state.pendingUnacquired.append(pending) }
    }
}
