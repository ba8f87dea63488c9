/// A body the pack declares as dropping its caller's lock and taking it back (`retakes`:
/// xv6's `sleep(chan, lk)`, Linux's `__cond_resched_lock(lock)`), held to the declaration.
///
/// Every caller keeps the lock across the call and trusts that the callee lets go of it
/// while it waits: that is what lets the thread that will wake it take the lock. A body that
/// takes the lock back without ever dropping it takes a lock its own thread holds: a
/// deadlock (xv6 panics on it, "acquire"), and no caller can show it.
///
/// Wrong:
///
///     int __cond_resched_lock(spinlock_t *lock)
///     {
///         if (should_resched(0)) {
///             preempt_schedule_common();
///             spin_lock(lock);
///             return 1;
///         }
///         return 0;
///     }
///
/// Right: `spin_unlock(lock);` before rescheduling.
///
/// The rule: a body that acquires the declared lock (a call whose acquisition names it, of
/// one of its kinds) and releases it on no path, with no call ladder cannot see into given
/// the lock, is reported at its last return (`missing-release`, the event of
/// `DeclaredReleaseBody`). A body that neither takes nor drops it (a stub, a wrapper round
/// another such call) is left alone.
///
/// Not seen: a body that drops the lock on some paths and retakes it on others; the order
/// of the two (a retake before the drop is as good as a drop here).
enum DeclaredRetakeBody {
    static func undroppedLock(_ function: Function, calls: CallSemantics) -> [AnalysisEvent] {
        guard let declared = calls.pack.retakes[function.name] else { return [] }
        let parameters = function.parameters.map { Expr.variable(Variable($0.name, .parameter)) }
        guard let lock = declared.handle.path(result: nil, arguments: parameters)?.object else { return [] }
        var takes = false
        var drops = false
        var lent = false
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee else {
                    lent = lent || call.arguments.contains { $0.path.object == lock }
                    continue
                }
                for spec in calls.acquire(callee)?.resources ?? [] where declared.kinds.contains(spec.kind) {
                    if spec.handle.path(result: call.result, arguments: call.arguments)?.object == lock { takes = true }
                }
                for rule in calls.releases(callee) ?? [] where !Set(rule.kinds).isDisjoint(with: declared.kinds) {
                    if rule.handle.path(result: call.result, arguments: call.arguments)?.object == lock { drops = true }
                }
                if calls.isOpaque(callee), call.arguments.contains(where: { $0.path.object == lock }) { lent = true }
            }
        }
        guard takes, !drops, !lent else { return [] }
        guard let last = function.lastReturnLocation, let kind = declared.kinds.first else { return [] }
        return [.declaredPartUnreleased(function: function.name, kind: kind, handleText: lock.description, location: last)]
    }
}
