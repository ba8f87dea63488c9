/// `release-order`: a release runs while something that depends on it, or that it
/// encloses, is still held.
///
/// Why it matters: `uvmfree(pt, 0)` before `uvmunmap(pt, TRAMPOLINE, 1, 0)` frees the
/// table the unmap is about to walk; `kfree(priv)` before `free_irq(irq, priv)` leaves an
/// interrupt handler pointing at freed memory; `end_op()` before `iput(ip)` puts an inode
/// outside the transaction that must contain it.
///
/// Wrong:                                  Right:
///     uvmfree(pt, 0);                         uvmunmap(pt, TRAMPOLINE, 1, 0);
///     uvmunmap(pt, TRAMPOLINE, 1, 0);         uvmfree(pt, 0);
///
/// Reported at the release that runs too early, once the dependent's own release shows
/// that both are there (if the dependent is never released, that is `missing-release`).
///
/// Destructors too: in a function that acquired nothing (`proc_freepagetable`, a driver's
/// `remove`), `uvmfree(pt, sz)` before `uvmunmap(pt, TRAMPOLINE, 1, 0)`, `free_netdev(ndev)`
/// before `unregister_netdev(ndev)` and `kfree(priv)` before `mutex_unlock(&priv->lock)`
/// are reported the same way (`ReleaseDependencies`), and so are the orders the pack states
/// in other words: `release(&p->lock)` before `freeproc(p)` (the slot `needs` its lock),
/// `end_op()` before `iput(ip)` (the transaction encloses inode references), `iput(ip)`
/// before `iunlock(ip)` (`iunlockput` combines them in that order).
///
/// Limits: dependencies come from the rule pack's `dependsOn` arguments, derived handles
/// (`&p->lock` from `p`), takeovers (`mappages` takes the page), enclosures, `needs` and
/// the part order of `combines`; order between independent resources is never reported.
/// Between releases of things the function never acquired, only those relations order
/// them; takeovers made elsewhere (the trapframe page `freeproc` frees is mapped by
/// `proc_pagetable`) are not seen, nor an enclosure ended in an earlier block when nothing
/// after it names the enclosing resource.
extension RuleID {
    public static let releaseOrder = RuleID("release-order")
}

public struct ReleaseOrder: Check {
    public static let rule = RuleSpec(
        id: .releaseOrder,
        severity: .error,
        summary: "a release while a resource that depends on it is still held",
        explanation: RuleExplanation(
            details: "Resources must be released in reverse order of acquisition along their dependencies: a mapping before its page table, an irq before the data its handler uses, every inode reference before the end of the log transaction that encloses it.",
            wrong: """
                err_irq:
                  kfree(priv);
                  free_irq(irq, priv);
                """,
            right: """
                err_irq:
                  free_irq(irq, priv);
                  kfree(priv);
                """),
        tags: ["correctness", "memory-safety"],
        check: ReleaseOrder(), fix: ReleaseOrderFix())

    public init() {}

    public func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] {
        guard case .releasedOutOfOrder(let order, let later) = event else { return [] }
        let released = order.released
        let dependent = order.dependent
        var steps = context.steps
        // A dependent this function never acquired (a destructor's) is named by its handle.
        let named = dependent.acquiredBy.isEmpty ? "\(dependent.kind) '\(dependent.handleText)'" : "\(dependent.kind) from \(dependent.acquiredBy)()"
        steps.append(PathStep(location: later, message: "\(named) is released only here"))
        return [Finding(
            rule: .releaseOrder,
            message: "\(released.kind) '\(released.handleText)' released by \(order.releaser)() while \(named) still depends on it",
            function: context.function.name,
            location: order.site,
            // Something never acquired here has no acquisition to name.
            resource: released.acquiredBy.isEmpty ? nil : released.info,
            path: steps)]
    }
}
