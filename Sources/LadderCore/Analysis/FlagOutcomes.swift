/// A flag that records an acquisition's outcome: `host->to_disable = !ret` right after
/// `ret = regulator_enable(…)`. The driver goes on whether or not the enable worked and
/// tests the flag at the unwind, often after `ret` was reused; so the acquisition's pending
/// outcome gains the flag as a second name, with the sense the negation gives it: a test of
/// `ret` right after still settles it, and once `ret` is reused the flag alone does.
///
/// The same for a local that holds the negation, however many times negated: the kernel's
/// `WARN_ON(!p)` is a statement expression that stores `!!(!p)` in `__ret_warn_on` and tests
/// that, so `if (WARN_ON(!p)) return …;` is taken exactly when the lookup gave nothing.
///
/// Only a negation of the very variable the acquisition waits on is read, and only when its
/// success is zero or excludes zero (`!ret` is non-zero exactly when `ret` is zero); a
/// success such as "non-negative" has no single sense after `!`. A copy (`flag = ret == 0`)
/// and a flag set later under `if (!ret)` are not this case: the second is plain
/// feasibility, a constant stored on the success branch.
extension Transfer {
    func movePendingOutcome(to target: Expr, from value: Expr, in state: inout PathState) {
        // `!!!p`, WARN_ON(!p)'s `__ret_warn_on = !!(!p)`, is `!p`; `!!p` is `p` as a truth.
        let (inner, negations) = value.underNegations
        guard negations > 0 else { return }
        switch target.kind {
        case .member: break
        case .variable(let v) where v.storage == .local || v.storage == .temporary: break
        default: return
        }
        let tested = inner.path, flag = target.path
        guard tested != flag else { return }
        let negated = negations % 2 == 1
        for i in state.held.indices {
            guard let pending = state.held[i].pending, pending.variable == tested, !pending.joined else { continue }
            let success: SignSet
            if pending.success == .zero { success = negated ? .nonZero : .zero }
            else if pending.success.isDisjoint(with: .zero) { success = negated ? .zero : .nonZero }
            else { continue }
            state.held[i].pending?.alias = .init(variable: flag, success: success)
        }
    }

    /// A status copied whole into another variable: `err = __r`, `err = %1` where a
    /// statement-expression macro (`gpiochip_add_data()`, `readl_poll_timeout()`) yields the
    /// call's result as its value. A compiler temporary is never tested again, so the outcome
    /// moves to the copy; a named source keeps its own name and the copy becomes the second
    /// one, unless the outcome has a second name already (then the copy is not followed).
    func copyPendingOutcome(to target: Expr, from value: Expr, in state: inout PathState) {
        guard case .variable(let copy) = target.kind, case .variable(let source) = value.kind,
              copy != source, copy.storage != .global else { return }
        let tested = AccessPath(variable: source), name = AccessPath(variable: copy)
        for i in state.held.indices {
            guard let pending = state.held[i].pending, pending.variable == tested, !pending.joined else { continue }
            if source.storage == .temporary {
                state.held[i].pending?.variable = name
            } else if pending.alias == nil {
                state.held[i].pending?.alias = .init(variable: name, success: pending.success)
            }
        }
    }
}
