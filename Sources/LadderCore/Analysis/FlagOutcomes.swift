/// A flag that records an acquisition's outcome: `host->to_disable = !ret` right after
/// `ret = regulator_enable(…)`. The driver goes on whether or not the enable worked and
/// tests the flag at the unwind, often after `ret` was reused; so the acquisition's pending
/// outcome gains the flag as a second name, with the sense the negation gives it: a test of
/// `ret` right after still settles it, and once `ret` is reused the flag alone does.
///
/// Only a negation of the very variable the acquisition waits on is read, and only when its
/// success is zero or excludes zero (`!ret` is non-zero exactly when `ret` is zero); a
/// success such as "non-negative" has no single sense after `!`. A copy (`flag = ret == 0`)
/// and a flag set later under `if (!ret)` are not this case: the second is plain
/// feasibility, a constant stored on the success branch.
extension Transfer {
    func movePendingOutcome(to target: Expr, from value: Expr, in state: inout PathState) {
        guard case .unary(.logicalNot, let inner) = value.kind, case .member = target.kind else { return }
        let tested = inner.path, flag = target.path
        for i in state.held.indices {
            guard let pending = state.held[i].pending, pending.variable == tested, !pending.joined else { continue }
            let success: SignSet
            if pending.success == .zero { success = .nonZero }
            else if pending.success.isDisjoint(with: .zero) { success = .zero }
            else { continue }
            state.held[i].pending?.alias = .init(variable: flag, success: success)
        }
    }
}
