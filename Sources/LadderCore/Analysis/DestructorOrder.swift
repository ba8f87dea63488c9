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
///   first is fine. Nor is a state of the object (`states`: `pci_disable_msi()` before
///   `pci_release_regions()`, `pm_runtime_disable()` before `device_unregister()`).
/// - **Inside.** A lock whose handle lies inside an object (`&p->lock` inside `p`) depends
///   on that object, when the object's kind is a base kind and the pack does not say the
///   object needs the lock (xv6's `proc` slot `needs` its `p->lock`: freeing the slot first
///   is right).
///
/// Three more, for orders the pack writes down in other words:
/// - **Needs a part.** A resource whose pack entry `needs` another resource of the same call
///   at a handle inside its own (`allocproc`'s slot `{ret}` needs `&{ret}->lock`) needs that
///   part still held: `release(&p->lock)` before `freeproc(p)` frees the slot unlocked.
/// - **Enclosed.** What a pack enclosure encloses (`log-op` encloses `inode-ref`) is released
///   inside it, whatever the handles: `end_op()` before `iput(ip)` puts the inode outside any
///   transaction. Not when the path holds the enclosing kind again (a second `begin_op()`):
///   `orderAfterUnheld` asks `undone` for that.
/// - **Combined parts.** A `combines:` release lists its parts in the order they must run
///   (`iunlockput` is `iunlock` then `iput`; `clk_disable_unprepare` is `clk_disable` then
///   `clk_unprepare`): where the parts name the same handle, each part's kinds need the
///   later parts' kinds still held there.
///
/// What these cannot see: an enclosure that ended in another block, when nothing after it
/// names `log` (the record is dropped with the dead handle at the block's end); parts of a
/// combined call that name their handles by different arguments.
public struct ReleaseDependencies: Sendable {
    /// Dependent kind → the base kinds it needs at the same handle.
    let sameHandle: [ResourceKind: Set<ResourceKind>]
    /// Kinds that depend on nothing at their own handle.
    let bases: Set<ResourceKind>
    /// Object kinds whose pack entry says they need a lock kind (`proc` needs `spinlock`).
    let needsLock: Set<ResourceKind>
    let locks: Set<ResourceKind>
    /// Kind → the parts it needs, by kind and the steps from its handle to theirs
    /// (`proc` → `spinlock` at `->lock`, address taken).
    let parts: [ResourceKind: [Part]]
    /// Enclosed kind → the kinds enclosing it (`inode-ref` → `log-op`).
    let enclosedBy: [ResourceKind: Set<ResourceKind>]
    /// Kinds some relation says must outlive another: their releases are remembered.
    let dependedOn: Set<ResourceKind>
    /// Acquire call → the kinds it takes back besides its own: those its fix releases as
    /// parts of a combined call (`clk_prepare_enable`'s fix is `clk_disable_unprepare`, so
    /// it prepares the clock again too).
    let restores: [String: Set<ResourceKind>]

    struct Part: Sendable, Hashable {
        let kind: ResourceKind
        let steps: [AccessPath.Step]
    }

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
        // A lookup's reference is not what a registration at the same handle stands on, nor
        // is a state of the object (`states`: runtime PM's count and enable, MSI vectors).
        let bases = Set(pack.kinds.keys).subtracting(dependents).subtracting(pack.locks).subtracting(pack.countedReferences)
            .subtracting(pack.states)
        var sameHandle = Dictionary(uniqueKeysWithValues: dependents.map { ($0, bases) })
        var dependedOn = bases
        // A part the pack says a resource needs, at a handle inside the resource's own.
        var parts: [ResourceKind: Set<Part>] = [:]
        for rule in pack.acquires.values {
            for spec in rule.resources {
                for other in spec.needs where other < rule.resources.count {
                    let needed = rule.resources[other]
                    guard needed.handle.root == spec.handle.root, needed.handle.steps.count > spec.handle.steps.count,
                          needed.handle.steps.starts(with: spec.handle.steps) else { continue }
                    parts[spec.kind, default: []].insert(Part(kind: needed.kind, steps: Array(needed.handle.steps.dropFirst(spec.handle.steps.count))))
                    dependedOn.insert(needed.kind)
                }
            }
        }
        var enclosedBy: [ResourceKind: Set<ResourceKind>] = [:]
        for enclosure in pack.enclosures {
            for inner in enclosure.inner { enclosedBy[inner, default: []].insert(enclosure.outer) }
            dependedOn.insert(enclosure.outer)
        }
        // A combined release's parts, in the order they run: each part's kinds need every
        // later part's kinds at the same handle.
        for parts in pack.combines.values {
            let rules = parts.map { pack.releases[$0] ?? [] }
            for (i, earlier) in rules.enumerated() {
                for later in rules.dropFirst(i + 1) {
                    for first in earlier {
                        for second in later where first.handle == second.handle {
                            for kind in first.kinds {
                                for needed in second.kinds where needed != kind {
                                    sameHandle[kind, default: []].insert(needed)
                                    dependedOn.insert(needed)
                                }
                            }
                        }
                    }
                }
            }
        }
        var restores: [String: Set<ResourceKind>] = [:]
        for rule in pack.acquires.values {
            for spec in rule.resources {
                guard let fix = spec.fix.flatMap({ ReleaseCall($0.text) }), let combined = pack.combines[fix.callee] else { continue }
                let kinds = combined.flatMap { pack.releases[$0] ?? [] }.flatMap(\.kinds).filter { $0 != spec.kind }
                restores[rule.call, default: []].formUnion(kinds)
            }
        }
        self.restores = restores
        self.sameHandle = sameHandle
        self.bases = bases
        self.needsLock = needsLock
        locks = pack.locks
        self.parts = parts.mapValues { Array($0) }
        self.enclosedBy = enclosedBy
        self.dependedOn = dependedOn
    }

    /// Whether something of kind `later` at `laterHandle` needs `earlier` at `earlierHandle`.
    func depends(_ later: ResourceKind, at laterHandle: AccessPath, on earlier: ResourceKind, at earlierHandle: AccessPath) -> Bool {
        if enclosedBy[later]?.contains(earlier) == true { return true }
        if parts[later]?.contains(where: { $0.kind == earlier && laterHandle.appending($0.steps) == earlierHandle }) == true {
            return true
        }
        if laterHandle == earlierHandle { return sameHandle[later]?.contains(earlier) == true }
        guard locks.contains(later), bases.contains(earlier), !needsLock.contains(earlier) else { return false }
        return Self.lies(laterHandle, inside: earlierHandle)
    }

    /// Whether a release of `kind` could be too early for something released after it.
    func isDependedOn(_ kind: ResourceKind) -> Bool { dependedOn.contains(kind) }

    /// Whether an earlier release of `record` no longer stands on this path: the kind is held
    /// again under one of its names (a second `begin_op()` before the `iput`).
    /// An acquisition that takes back the kind as a part (`clk_prepare_enable` prepares the
    /// clock a `clk_disable_unprepare` unprepared) undoes it too.
    func undone(_ record: ReleasedRecord, held: [HeldResource]) -> Bool {
        held.contains { resource in
            (resource.kind == record.resource.kind || restores[resource.acquiredBy]?.contains(record.resource.kind) == true)
                && resource.handles.contains(where: record.handles.contains)
        }
    }

    /// `&p->lock` and `&p->q.lock` lie inside what `p` points to; `&p->q->lock` inside what
    /// `p->q` points to, not inside `p`: freeing `p` frees no lock another object holds
    /// (`kfree(cl)` under `cl->dev->cl_list_lock`). `&p->lock` does not lie inside `p->q`.
    static func lies(_ inner: AccessPath, inside object: AccessPath) -> Bool {
        guard inner.root == object.root, inner.steps.count > object.steps.count,
              Array(inner.steps.prefix(object.steps.count)) == object.steps,
              case .field(_, true) = inner.steps[object.steps.count] else { return false }
        return inner.steps.dropFirst(object.steps.count + 1).allSatisfy { step in
            switch step {
            case .field(_, let arrow): !arrow
            case .element, .addressOf: true
            case .deref, .container: false
            }
        }
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
        // What this call takes was held until now: a drop before its acquisition is undone.
        for record in earlier where !dependencies.undone(record, held: state.held + taken) {
            // One element of many, named through a helper's summary (`&chip->slot[*].pdev`,
            // the helper picking the index): which element either call released is not
            // known, and a helper that unregisters one slot per call releases both kinds
            // of each. Unordered rather than guessed.
            if key.isCollection, record.handles.contains(where: \.isCollection),
               pack.releases[releaser] == nil || pack.releases[record.call] == nil { continue }
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
