/// What the path analysis observed that a check may turn into a finding. The engine
/// classifies; each check in `Checks/` decides what to report and how to say it.
public enum AnalysisEvent: Sendable {
    /// `dependent` was released after `order.released`, which it depends on.
    case releasedOutOfOrder(PendingOrder, dependentReleasedAt: SourceLocation)
    /// A release of something already released on this path (or managed by the framework).
    case releasedTwice(first: ReleasedRecord?, resource: HeldResource, call: Call, site: SourceLocation)
    /// A release of something this path does not hold.
    case releasedUnacquired(call: Call, handleText: String, reason: UnacquiredReason)
    /// An error exit, with what is still held.
    case errorExit(ExitSnapshot)
    /// Any other return, with what is held there and did not escape (`EscapeAnalysis`).
    case nonErrorExit(ExitSnapshot)
    /// A declared release whose own body releases a declared part on no path
    /// (`DeclaredReleaseBody`), reported at its last exit.
    case declaredPartUnreleased(function: String, kind: ResourceKind, handleText: String, location: SourceLocation)
    /// A field the unit keeps acquisitions in, cleared while what it held may not have been
    /// released (`ClearedOwners`).
    /// `replaced`: overwritten with another value after the old one was saved in a local.
    /// A constructor's undo that releases, on no path, a part the constructor puts at a fixed
    /// address into the object (`ConstructorParts`), reported at its last return.
    case constructorPartUnreleased(function: String, handleText: String, part: ConstructorPart, location: SourceLocation)
    case ownedFieldCleared(location: SourceLocation, fieldText: String, field: OwnedField, replaced: Bool)
}

public enum UnacquiredReason: Sendable, Hashable {
    /// Its acquisition failed on this path.
    case acquisitionFailed(by: String)
    /// The handle is null here and the release is not null-safe.
    case nullHandle
    /// This function acquires it, but not before this point on this path (a wrong rung).
    case notYetAcquired
    /// A release that also frees what a resource took over, when that was never this
    /// function's to free (`uvmunmap(pt, TRAMPOLINE, 1, 1)` frees the trampoline page).
    case notOwned(mappedBy: String)
    /// The call is to a function that expects the lock held on entry (it releases it, or
    /// asserts it), and nothing holds it here.
    case calleeExpectsHeld(ExpectedBy)
    /// A lock released by a static function that nothing in the file calls or takes the
    /// address of: no caller can be holding it.
    case noCallerHolds(function: String)
}

/// The state at one `return`.
public struct ExitSnapshot: Sendable {
    public var location: SourceLocation
    public var held: [HeldResource]
    /// Releases on this path of resources something still held depends on:
    /// where a fix must go instead of at the exit.
    public var pendingOrders: [PendingOrder]
    public var returned: Expr?
    public var steps: [PathStep]
    /// Held here but not reported (taken to have escaped at a success return): what a fix
    /// may release with a leak under the same handle, never alone.
    public var alongside: [HeldResource] = []
}

/// Everything a check needs besides the event.
public struct CheckContext: Sendable {
    public var function: Function
    public var pack: RulePack
    public var steps: [PathStep]
    /// The file's text for a fix builder, read once per file by the driver (`FixSources`).
    public var sources = FixSources()
    /// Findings the analysis already keeps, by identity, at their confidence, and the most
    /// confidence it gives what this event finds: a finding it would throw away as a
    /// duplicate needs no fix, and placing a fix is most of what a finding costs
    /// (`ReleasePlacement` walks the function for each).
    public var kept: [String: Confidence] = [:]
    public var ceiling = Confidence.high

    /// Whether the analysis would keep this finding, so that its fix is worth placing.
    public func keeps(_ finding: Finding) -> Bool {
        guard let best = kept[finding.identity] else { return true }
        return min(finding.confidence, ceiling) > best
    }
}
