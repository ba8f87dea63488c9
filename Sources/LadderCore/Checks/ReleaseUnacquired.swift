/// `release-unacquired`: a release on a path where the acquisition failed or never
/// happened.
///
/// Why it matters: xv6's `kfree(0)` and `fileclose(0)` panic; `free_irq` of an irq whose
/// `request_irq` failed warns and corrupts the action list; a `goto` to the wrong rung of
/// a cleanup ladder releases something acquired only further down.
///
/// Wrong:                                  Right:
///     ret = request_irq(irq, h, 0, n, p);     ret = request_irq(irq, h, 0, n, p);
///     if (ret)                                if (ret)
///         goto err_irq;                           goto err_free;
///   err_irq:                                err_irq:
///     free_irq(irq, p);                       free_irq(irq, p);
///   err_free:                               err_free:
///     kfree(p);                               kfree(p);
///
/// Locks held on entry: a function that releases a lock it never took, or panics unless
/// `holding()` says it is held, expects its caller to hold it (`LockExpectation`). Calls in
/// the file are checked against that: `kick()` calling `make_runnable(p)`, which releases
/// `p->lock`, on a path where it does not hold it (and it takes `p->lock` itself elsewhere,
/// so it is not entered holding it) is reported at the call. A static function nothing in
/// the file calls or takes the address of has no caller to hold the lock it releases.
///
/// Held on entry, dropped and taken again (`HeldOnEntry`), for any kind: a release of a
/// handle not acquired on the path, that an acquisition of the same handle can follow
/// (`clk_disable_unprepare(priv->clk); msleep(20); clk_prepare_enable(priv->clk)`, a
/// disable turned back on when a later step fails), is of the entry state: reported on no
/// path. A wrong rung has its acquisition before the release, so it stays reported; the
/// function's callers in view are checked for the handle as for a lock.
///
/// A release on the off-arm of a switch (`set_power(st, false)`, `pwm->state.enabled` on
/// the way off, `ToggleFunctions`) or under the set side of a state flag cleared beside it
/// (`if (host->on) { disable(…); host->on = false; }`, `FlagGuards`) drops what an earlier
/// call took: it is the caller's, never a wrong rung. Under the clear side of the flag it is
/// still reported. A release after a call to a helper that returns holding the lock
/// whatever happens, in a caller that agrees to that (`HeldThroughFailure`), drops what the call took.
///
/// Limits: a function with callers outside the file (not static, or its address taken) is
/// assumed to be called with the lock held; a lock reached only through a local
/// (`p = myproc()`) is expected of no caller; a lock only some paths release is not
/// summarised; `retakes` calls (`sleep`) are never checked.
///
/// An unwind loop over elements acquired in a loop (`ElementSpan`) whose test reaches one
/// element past those held (`for (j = 0; j <= i; j++) free_irq(…j…)` after the request at
/// `i` failed) is reported here too, unless the element is a null pointer the release accepts
/// (`kfree(bufs[i])`).
///
extension RuleID {
    public static let releaseUnacquired = RuleID("release-unacquired")
}

public struct ReleaseUnacquired: Check {
    public static let rule = RuleSpec(
        id: .releaseUnacquired,
        severity: .error,
        summary: "a release of something not held on this path",
        explanation: RuleExplanation(
            details: "A release call on a path where the acquisition failed, has not happened yet (a goto to the wrong rung of a cleanup ladder), or where the handle is null and the release does not accept null.",
            wrong: """
                if((f = filealloc()) == 0 || (fd = fdalloc(f)) < 0){
                  fileclose(f);
                  return -1;
                }
                """,
            right: """
                if((f = filealloc()) == 0 || (fd = fdalloc(f)) < 0){
                  if(f)
                    fileclose(f);
                  return -1;
                }
                """),
        tags: ["correctness", "memory-safety"],
        check: ReleaseUnacquired())

    public init() {}

    public func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] {
        guard case .releasedUnacquired(let call, let handle, let reason) = event else { return [] }
        let why: String
        switch reason {
        case .acquisitionFailed(let by): why = "\(by)() failed on this path"
        case .nullHandle: why = "'\(handle)' is null here and \(call.callee ?? "the release")() does not accept null"
        case .notYetAcquired: why = "'\(handle)' is acquired only later in the function"
        case .notOwned(let by): why = "'\(handle)' was given to \(by)() without being acquired here: it is not this function's to free"
        case .calleeExpectsHeld(let by):
            why = "\(by.callee)() \(by.how == .releases ? "releases" : "panics unless it holds") '\(handle)', and this function takes it itself, so it is not held on entry"
        case .noCallerHolds(let function):
            why = "\(function)() is static, and nothing in this file calls it or takes its address: no caller holds '\(handle)'"
        }
        let message: String
        if case .calleeExpectsHeld(let by) = reason {
            let what = by.how == .releases ? "releases '\(handle)'" : "expects '\(handle)' held"
            message = "calls \(by.callee)(), which \(what), without holding '\(handle)'"
        } else {
            message = "\(call.callee ?? "?")() releases '\(handle)', which is not held on this path"
        }
        return [Finding(
            rule: .releaseUnacquired,
            message: message,
            function: context.function.name,
            location: call.location,
            path: context.steps + [PathStep(location: call.location, message: why)],
            fingerprint: Fingerprint.make(function: context.function.name, rule: .releaseUnacquired, kind: nil,
                                          acquiredBy: call.callee, handle: handle))]
    }
}
