/// Resources a function acquires straight into an object its caller reaches
/// (`ring->buffer_info = vzalloc(…)`, `adapter->msix_entries = kcalloc(…)`) and leaves there
/// when it fails.
///
/// At a success return such a resource is the caller's (`EscapeAnalysis`: named through
/// memory the caller reaches). At an error return it is not simply handed on: a caller
/// that sees the failure usually unwinds only what *it* acquired, so what the failing
/// helper left in the struct leaks. Some drivers do leave it on purpose, for the caller's
/// failure path to free (`err = setup_ring(ring); if (err) goto err_free_ring;`). Only the
/// callers tell the two apart, so these leaks are held back as a contract
/// (`HeldForCaller.leftOnFailure`) that `ContractSettlement` settles with the other
/// shape-read contracts:
/// - a caller in view releases it after the call, lends the object to a call ladder cannot
///   see into, or returns the object: the helper's return is no leak;
/// - callers in view that do none of that: reported at the helper's error return;
/// - called only through a pointer (a `probe` in a driver table): nothing undoes it (remove
///   never runs after a failed probe), reported;
/// - nothing in view calls or names the function: its callers are out of view, silent.
///
/// Wrong (the caller frees nothing when the helper fails):
///
///     static int setup_ring(struct ring *r)
///     {
///         r->buffer_info = vzalloc(size);
///         if (!r->buffer_info)
///             return -ENOMEM;
///         r->desc = kcalloc(n, 4, GFP_KERNEL);
///         if (!r->desc)
///             return -ENOMEM;      // r->buffer_info leaks
///         return 0;
///     }
///
/// Right: `vfree(r->buffer_info); r->buffer_info = NULL;` before the second return, or a
/// caller that frees the ring on the helper's failure.
///
/// Limits: only an acquisition whose result is stored straight into the field; a local
/// stored there later (`buf = kmalloc(…); r->buf = buf;`) is still handed on by the store.
/// A resource named only through a local pointer with no origin in the caller's terms (a
/// struct on the stack, an object found in a global table) is not judged at error returns.
/// Whether a caller agrees is read anywhere in the caller, not on its failure branch.
extension Transfer {
    /// Whether an acquisition's result stored at `target` lands in a field of an object the
    /// function did not acquire: a parameter's, or one reached through a local pointer.
    func storedInCallerObject(_ target: Expr) -> Bool {
        let path = target.path
        guard !path.steps.isEmpty, let root = path.rootVariable else { return false }
        return root.storage == .parameter || root.storage == .local
    }

    /// The contract under which a caller can take over `resource` when this function fails:
    /// the resource in the caller's terms, or nil when the caller cannot name it.
    func leftInCallerContract(_ resource: HeldResource) -> HeldForCaller? {
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        for handle in resource.handles.sorted(by: { $0.description < $1.description }) {
            if let template = PathTemplate(abstracting: handle, parameters: parameters) {
                return HeldForCaller(kind: resource.kind, lock: template, leftOnFailure: true)
            }
        }
        return nil
    }
}
