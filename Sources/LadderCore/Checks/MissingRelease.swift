/// `missing-release`: a return with a resource still held that did not escape.
///
/// Why it matters: every error path must undo the steps before it, and every other path
/// must leave nothing behind it does not hand on. A page left allocated leaks until
/// reboot; a mapping left in a table makes `freewalk` panic on the leaf; a lock held on
/// return deadlocks the next caller.
///
/// Wrong:                                        Right:
///     if(mappages(pt, TRAPFRAME, …) < 0){           if(mappages(pt, TRAPFRAME, …) < 0){
///       uvmfree(pt, 0);                               uvmunmap(pt, TRAMPOLINE, 1, 0);
///       return 0;                                     uvmfree(pt, 0);
///     }                                               return 0;
///                                                   }
///
/// Error exits: everything still held leaks (high confidence). Any other return (a `break`
/// out of a loop then `return n`, a shared `out:` label, a `void`, `irqreturn_t`,
/// `netdev_tx_t` or `bool` function, a "nothing to do" shortcut): a held lock that the
/// function releases on some other path leaks unless the function's contract is to return
/// holding it (high confidence; a contract read off the function's shape, not the pack,
/// stands only if a caller in view releases the lock after the call or the callers are out
/// of view; a callback called only through a pointer has none to take it over:
/// `HeldForCaller`, `ContractSettlement`); anything else leaks
/// unless it escaped — returned, stored where the caller reaches it, handed on
/// (`EscapeAnalysis`) — or is kept by its kind's nature (an interrupt handler installed,
/// the pack's `keptOnSuccess`; a child device a walk of the unit removes later,
/// `ChildWalks`), and is reported at `medium` confidence with the path reaching it.
/// Handed on includes a helper in view that keeps or frees its argument on the returns
/// the caller tested for (`ParameterHandOff`: queued into a ring slot only when it returns
/// 0), and an object whose embedded device was initialised, which the device reference
/// then owns (`ContainerOwnership`): that reference, not a `kfree()`, is what must go.
/// A callback whose partner in the same ops table releases a kind (`open` and `release`,
/// the pack's `callbacks:`; for locks, any callback of the table that drops one it never
/// takes) keeps it at its success returns, lock or not; a system
/// `resume` keeps it at its error returns too, unless it unwinds that kind itself
/// (`PairedCallbacks`).
/// A switch, whose parameter or whose given object's state picks between taking a resource
/// on an object it was given and dropping it (`set_power(st, on)`, a `switch (state)` with
/// ACTIVE and INACTIVE cases, a pwm `apply` testing `state->enabled`), keeps it at its
/// success returns (`ToggleFunctions`). A static helper that returns holding
/// a lock at every return, error returns included (`pm_runtime_get_sync` holds even when it
/// fails), is judged there by its callers (`HeldThroughFailure`): a caller that puts it only
/// after success is reported at its own error return.
///
/// Reported at the `return`, or at the last `goto` on the path that leaves any loop (the
/// one entering the cleanup code; a goto to the next iteration is no rung), with a fix: the
/// release calls to insert, in reverse order of acquisition, before the first early
/// release of something the leaked resource depends on.
///
/// Limits: at a success exit, a resource lent to a callee with no pack entry, summary or
/// body is taken as kept (it may be a registration), and a lock the function never
/// releases anywhere as kept for a partner callback, unless the pack says its kind is never kept (`neverKept`: xv6's
/// spinlocks, sleep-locks, inode locks and transactions); the path-insensitive fallback pass
/// judges error exits only.
///
/// An acquisition into `a[i]` in a loop holds elements `lo..hi` (`ElementSpan`): a partial
/// failure that frees fewer is reported naming what is left ("elements 0..i-1 of bufs[]
/// from kmalloc() are not released on this error path").
///
/// Element spans assume contiguous indices and compare bounds only over one variable, and a span
/// they cannot follow falls back to one summary resource per site.
///
/// Whole bodies are held to what the pack and the unit say, and reported at their last
/// return: a declared release that releases a declared part on no path
/// (`DeclaredReleaseBody`), a declared drop-and-retake that never drops (`DeclaredRetakeBody`),
/// a constructor's undo that leaves a part the constructor put at a fixed address
/// (`ConstructorParts`). A field the unit keeps acquisitions in, cleared by a teardown (or
/// replaced after its old value was saved) while nothing released what it held, is reported
/// at the store (`ClearedOwners`, medium: the ownership is inferred).
extension RuleID {
    public static let missingRelease = RuleID("missing-release")
}

public struct MissingRelease: Check {
    public static let rule = RuleSpec(
        id: .missingRelease,
        severity: .error,
        summary: "a return with a resource still held that did not escape",
        explanation: RuleExplanation(
            details: "On a path that returns the function's error value, a resource acquired earlier on the path is neither released nor handed on. On any other return, a lock is still held that the function's contract does not return holding, or a resource is neither released, returned, stored where the caller reaches it, nor handed on (medium confidence). The fix releases it, in reverse order of acquisition, before the exit (or before the first early release of something it depends on).",
            wrong: """
                if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
                  uvmfree(pagetable, 0);
                  return 0;
                }
                """,
            right: """
                if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
                  uvmunmap(pagetable, TRAMPOLINE, 1, 0);
                  uvmfree(pagetable, 0);
                  return 0;
                }
                """),
        tags: ["correctness", "resource-leak"],
        check: MissingRelease(), fix: MissingReleaseFix())

    public init() {}

    public func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] {
        let exit: ExitSnapshot
        let isError: Bool
        switch event {
        case .errorExit(let e): (exit, isError) = (e, true)
        case .nonErrorExit(let e): (exit, isError) = (e, false)
        case .declaredPartUnreleased(let function, let kind, let handle, let location):
            // Every caller trusts the declaration, so the part leaks in each of them. No
            // resource: nothing here acquired it (the note would name the wrong call).
            return [Finding(rule: .missingRelease,
                            message: "\(function)() is declared to release \(kind) at '\(handle)', but no path through it does",
                            function: context.function.name, location: location,
                            path: [PathStep(location: location, message: "returns without releasing \(kind) at '\(handle)'")])]
        case .constructorPartUnreleased(let function, let handle, let part, let location):
            // Every process that exits leaks it: the undo is the one place that could release it.
            return [Finding(rule: .missingRelease,
                            message: "\(function)() frees '\(handle)' without releasing the \(part.kind) at \(part.text) that \(part.constructor)() puts in it",
                            function: context.function.name, location: location,
                            path: [PathStep(location: location, message: "returns with the \(part.kind) at \(part.text) still in '\(handle)'")])]
        case .ownedFieldCleared(let location, let text, let field, let replaced):
            // No exit shows it: the resource was someone else's acquisition, kept in the field.
            let verb = replaced ? "overwritten" : "cleared"
            var finding = Finding(
                rule: .missingRelease,
                message: "'\(text)' is \(verb) while it may hold \(field.kind) from \(field.acquiredBy)(), which nothing released first",
                function: context.function.name, location: location,
                resource: ResourceInfo(kind: field.kind.name, handle: text, acquiredBy: field.acquiredBy, acquiredAt: field.site),
                path: [PathStep(location: location, message: replaced ? "replaces '\(text)', and no copy of what it held is used after"
                                                                       : "clears '\(text)' without releasing what it holds")])
            finding.confidence = .medium
            return [finding]
        case .releasedOutOfOrder, .releasedTwice, .releasedUnacquired: return []
        }
        return exit.held.map { resource in
            var finding = Finding(
                rule: .missingRelease,
                message: Self.message(for: resource, where: isError ? "on this error path" : "before this return"),
                function: context.function.name,
                location: Self.location(of: resource, at: exit),
                resource: resource.info,
                path: exit.steps + [PathStep(
                    location: exit.location,
                    message: exit.returned.map { "returns '\($0.text)' with it still held" } ?? "returns with it still held")])
            // A lock held on return is wrong whatever the return means; another resource at
            // a success exit may still have escaped in a way ladder cannot see.
            if !isError && !context.pack.locks.contains(resource.kind) { finding.confidence = .medium }
            return finding
        }
    }

    /// Elements of a loop's acquisition say which are left (`elements 0..i-1 of bufs[]`).
    static func message(for resource: HeldResource, where place: String) -> String {
        guard let span = resource.elements, span.isKnown else {
            return "\(resource.kind) from \(resource.acquiredBy)() is not released \(place)"
        }
        let verb = span.lo == span.hi ? "is" : "are"
        return "\(span.phrase) from \(resource.acquiredBy)() \(verb) not released \(place)"
    }

    /// The last `goto` since the acquisition, if any: the leaking path's own rung.
    static func location(of resource: HeldResource, at exit: ExitSnapshot) -> SourceLocation {
        resource.lastGoto ?? exit.location
    }
}
