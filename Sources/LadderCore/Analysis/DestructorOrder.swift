/// What must be released before what, as the rule pack implies it, for releases of things
/// the function never acquired: a destructor (`proc_freepagetable`, a driver's `remove`)
/// frees what its caller built, so no acquisition on the path ties the resources together.
///
/// Two relations, both read off the pack:
/// - **Same handle.** An acquisition whose resource is its argument `{N}` and that
///   `dependsOn: [N]` (a mapping of `pt` needs the table `pt`; a registration of `ndev`
///   needs the net_device `ndev`) makes that kind depend on the *base* kinds released at
///   the same handle: kinds that depend on nothing at their own handle (`pagetable`,
///   `netdev`, `clk`). Two dependent kinds at one handle (`clk-prepare`, `clk-enable`)
///   are not ordered by this: which needs which is not written down.
///   A counted reference (`countedReferences`: a lookup's `device-lookup-ref`) is no base:
///   the object lives on the reference its registration holds, so putting the lookup's
///   first is fine.
/// - **Inside.** A lock whose handle lies inside an object (`&p->lock` inside `p`) depends
///   on that object, when the object's kind is a base kind and the pack does not say the
///   object needs the lock (xv6's `proc` slot `needs` its `p->lock`: freeing the slot first
///   is right).
public struct ReleaseDependencies: Sendable {
    /// Dependent kind → the base kinds it needs at the same handle.
    let sameHandle: [ResourceKind: Set<ResourceKind>]
    /// Kinds that depend on nothing at their own handle.
    let bases: Set<ResourceKind>
    /// Object kinds whose pack entry says they need a lock kind (`proc` needs `spinlock`).
    let needsLock: Set<ResourceKind>
    let locks: Set<ResourceKind>

    public init(_ pack: RulePack) {
        var dependents: Set<ResourceKind> = []
        var needsLock: Set<ResourceKind> = []
        for rule in pack.acquires.values {
            for spec in rule.resources where !spec.independent {
                if case .argument(let i)? = spec.handle.single, rule.dependsOn.contains(i) { dependents.insert(spec.kind) }
            }
            for spec in rule.resources {
                for other in spec.needs where other < rule.resources.count && pack.locks.contains(rule.resources[other].kind) {
                    needsLock.insert(spec.kind)
                }
            }
        }
        // A lookup's reference is not what a registration at the same handle stands on.
        let bases = Set(pack.kinds.keys).subtracting(dependents).subtracting(pack.locks).subtracting(pack.countedReferences)
        sameHandle = Dictionary(uniqueKeysWithValues: dependents.map { ($0, bases) })
        self.bases = bases
        self.needsLock = needsLock
        locks = pack.locks
    }

    /// Whether something of kind `later` at `laterHandle` needs `earlier` at `earlierHandle`.
    func depends(_ later: ResourceKind, at laterHandle: AccessPath, on earlier: ResourceKind, at earlierHandle: AccessPath) -> Bool {
        if laterHandle == earlierHandle { return sameHandle[later]?.contains(earlier) == true }
        guard locks.contains(later), bases.contains(earlier), !needsLock.contains(earlier) else { return false }
        return Self.lies(laterHandle, inside: earlierHandle)
    }

    /// Whether a release of `kind` could be too early for something released after it.
    func isDependedOn(_ kind: ResourceKind) -> Bool { bases.contains(kind) }

    /// `&p->lock` lies inside what `p` points to; `&p->q->lock` inside what `p->q` points
    /// to; `&p->lock` does not lie inside `p->q`.
    static func lies(_ inner: AccessPath, inside object: AccessPath) -> Bool {
        guard inner.root == object.root, inner.steps.count > object.steps.count,
              Array(inner.steps.prefix(object.steps.count)) == object.steps,
              case .field(_, true) = inner.steps[object.steps.count] else { return false }
        return true
    }
}

extension Transfer {
    /// A release checked against the releases of things this path never held that ran
    /// before it: if what it releases depends on one of them, that one ran too early. A
    /// pair where both were held is the held resources' own order (`pendingOrders`).
    func orderAfterUnheld(kinds: [ResourceKind], key: AccessPath, handleText: String, taken: [HeldResource], call: Call,
                          releaser: String, in state: inout PathState, events: inout [AnalysisEvent]) {
        let dependencies = calls.dependencies
        // One call's rules from several packs are alternatives (`kfree` of an xv6 page or
        // a Linux kmem): once one of them released something held, the call is that release.
        if taken.isEmpty {
            if state.released.contains(where: { $0.site == call.location }) { return }
            if state.unheldReleases.contains(where: { $0.site == call.location }) { return }
        } else {
            state.unheldReleases.removeAll { $0.site == call.location }
        }
        let alternative = canonical(key, state)
        let names = alternative == key ? [key] : [key, alternative]
        // What this call releases: what it took from the held set, else the thing itself.
        var released: [HeldResource] = taken
        if taken.isEmpty {
            released = kinds.map { kind in
                HeldResource(id: -1, kind: kind, handles: names, handleText: handleText, acquiredBy: "", site: call.location,
                             fix: nil, dependsOn: [], contents: [], pending: nil, pendingTransfer: nil, lastGoto: nil, managed: false)
            }
        }
        let earlier = state.unheldReleases + (taken.isEmpty ? state.released : [])
        for record in earlier {
            // Held ones carry their acquisition's id; one resource is never ordered against itself.
            for resource in released where resource.id < 0 || resource.id != record.resource.id {
                guard resource.handles.contains(where: { later in
                    record.handles.contains { dependencies.depends(resource.kind, at: later, on: record.resource.kind, at: $0) }
                }) else { continue }
                let order = PendingOrder(released: record.resource, releaser: record.call, site: record.site, dependent: resource)
                events.append(.releasedOutOfOrder(order, dependentReleasedAt: call.location))
            }
        }
        guard taken.isEmpty else { return }
        for kind in kinds where dependencies.isDependedOn(kind) {
            let resource = HeldResource(id: -1, kind: kind, handles: names, handleText: handleText, acquiredBy: "",
                                        site: call.location, fix: nil, dependsOn: [], contents: [], pending: nil,
                                        pendingTransfer: nil, lastGoto: nil, managed: false)
            state.unheldReleases.removeAll { $0.resource.kind == kind && $0.handles == resource.handles }
            state.unheldReleases.append(ReleasedRecord(resource: resource, handles: resource.handles, call: releaser, site: call.location))
        }
    }
}
