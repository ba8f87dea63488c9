/// A helper that undoes its caller's resource on each of its error returns and keeps it on
/// success: iavf's `iavf_acquire_msix_vectors(adapter, …)` frees `adapter->msix_entries`
/// (and clears it) when it fails, and leaves it in place for the adapter when it succeeds.
/// Its caller, which allocated the array just before, may return the helper's failure as it
/// is: nothing is left to free, and freeing again would free twice. Read as "releases
/// nothing" (a release must happen on every return to count, `Analyzer.derive`), the caller
/// was told it leaks the array, and the contract it then left for its own callers
/// (`HandedToCaller`) made a second false finding one level up.
///
/// The rule: a release of something the caller names (a parameter's object) made at every
/// error return of a function with at least one success return, and at none of its success
/// returns, is recorded with the function's sense of success. At a call, a resource the
/// caller holds under that name then waits on the call's result
/// (`HeldResource.releasedOnFailure`): a test showing the call failed finds it gone, one
/// showing success finds it still held.
///
/// Limits: only resources the caller holds at the call; a helper's release of what its
/// caller only passed on from further up (a parameter of the caller too) is not carried a
/// level up, so `piix4_add_adapters_sb800`, whose `piix4_add_adapter()` releases the region
/// on failure, still looks like it leaves the region to `piix4_probe`. A result that is
/// never tested leaves the resource held.
public struct FailureRelease: Sendable, Hashable, Codable {
    public var rule: ReleaseRule
    /// The signs of the function's result that mean success.
    public var success: SignSet

    public init(rule: ReleaseRule, success: SignSet) {
        self.rule = rule
        self.success = success
    }
}

extension Transfer {
    /// A call to a helper that releases what the caller holds only when it fails: the
    /// resource waits on the call's result.
    func awaitFailureReleases(_ callee: String, call: Call, in state: inout PathState) {
        let rules = calls.releasesOnFailure(callee)
        guard !rules.isEmpty, let result = call.result?.path else { return }
        for release in rules {
            guard let written = release.rule.handle.path(result: nil, arguments: call.arguments) else { continue }
            let key = scan.collective(written)
            let alternative = canonical(key, state)
            guard let i = state.held.firstIndex(where: { resource in
                release.rule.kinds.contains(resource.kind)
                    && (resource.handles.contains(key) || resource.handles.contains(alternative))
            }) else { continue }
            state.held[i].releasedOnFailure = HeldResource.ReleasedOnFailure(result: result, success: release.success, by: callee)
        }
    }
}
