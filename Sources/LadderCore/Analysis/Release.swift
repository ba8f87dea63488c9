extension Transfer {
    /// A release call: finds what it gives back, checks the order against what is still
    /// held, and classifies releases of things not held.
    /// What one rule made of a release call: the combination of rules from several packs
    /// decides whether a problem is reported (see `Transfer.apply`).
    enum Verdict {
        case released, accepted, problem, unrelated
    }

    @discardableResult
    func release(_ rule: ReleaseRule, call: Call, in state: inout PathState, events: inout [AnalysisEvent]) -> Verdict {
        guard let filled = rule.handle.path(result: call.result, arguments: call.arguments) else { return .unrelated }
        // A count of nothing releases nothing (`dma_unmap_sg(dev, sg, 0, dir)`): only where
        // nothing of the kind is held under the name. One that is was mapped with that count,
        // and a mapping of no entries fails, which the acquisition does not model.
        if let count = rule.noOpWhenZero, count < call.arguments.count, isZero(call.arguments[count], state),
           !state.held.contains(where: { rule.kinds.contains($0.kind) && $0.handles.contains(filled) }) {
            return .accepted
        }
        if rule.members != nil || rule.safeWhenAbsentWithout != nil,
           let listing = function.listedMembers?.first(where: { $0.object == filled }) {
            return releaseWithMembers(rule, listing: listing, call: call, in: &state, events: &events)
        }
        if rule.children { return releaseChildren(rule, key: filled, call: call, in: &state, events: &events) }
        var verdict = Verdict.unrelated
        let written = scan.collective(filled)
        // A helper's summary names places canonically (`netdev_priv(dev)->pci_dev`).
        let alternative = canonical(written, state)
        var key = state.held.contains(where: { $0.handles.contains(written) }) || alternative == written ? written : alternative
        // A place read back where this path stored a value (`platform_get_drvdata(pdev)`
        // after `platform_set_drvdata(pdev, priv)`) names what was stored.
        if !state.held.contains(where: { $0.handles.contains(key) }), let stored = throughStores(alternative, state),
           state.held.contains(where: { $0.handles.contains(stored) }) {
            key = stored
        }
        // A local the body gives one value, read back from where it was stored or named
        // itself (`sensor->dev = dev` with `dev = &client->dev`, then
        // `pm_runtime_disable(sensor->dev)` of what `pm_runtime_enable(&client->dev)` took).
        if !state.held.contains(where: { $0.handles.contains(key) }) {
            for name in [alternative, throughStores(alternative, state)].compactMap({ $0 }) {
                let value = SummaryDerivation.resolved(name, scan.singleValues)
                if value != name, state.held.contains(where: { $0.handles.contains(value) }) {
                    key = value
                    break
                }
            }
        }
        let text = rule.handle.text(result: call.result, arguments: call.arguments) ?? key.description
        let freesContents: Bool
        switch rule.freesContents {
        case .always: freesContents = true
        case .never: freesContents = false
        case .whenArgumentNonZero(let i):
            freesContents = i < call.arguments.count ? (constantOrFact(call.arguments[i], state) != 0) : true
        }

        let range = rule.range?.resolve(known(call.arguments, state))
        let inRange: (HeldResource) -> Bool = { resource in
            guard let range, let held = resource.range else { return true }
            return range.overlaps(held)
        }
        var taken: [HeldResource] = []
        if !rule.bulk, !key.isCollection, let verdict = releaseConstantElement(rule, key: key, in: &state) {
            return verdict
        }
        if !rule.bulk, key.isCollection,
           let verdict = releaseElements(rule, key: key, call: call, text: text, in: &state, events: &events) {
            return verdict
        }
        if rule.bulk || key.isCollection {
            taken = state.held.filter { rule.kinds.contains($0.kind) && $0.handles.contains(key) && inRange($0) }
            if !rule.bulk { taken += constantElements(releasedBy: rule, key: key, call: call, in: state) }
            let same = state.held.filter { $0.handles.contains(key) && rule.kinds.contains($0.kind) }
            if taken.isEmpty, let range, !range.isEmpty {
                if let lo = range.absoluteStart, !same.contains(where: { $0.range == nil }),
                   rule.kinds.contains(where: { scan.acquirable.contains(AcquirableHandle(kind: $0, handle: key, start: lo)) }) {
                    // Unmapping an address this function maps only later: a wrong rung.
                    events.append(.releasedUnacquired(call: call, handleText: text, reason: .notYetAcquired))
                    verdict = .problem
                } else if !same.isEmpty, same.allSatisfy({ $0.range.map(range.isDisjoint) ?? false }),
                          range.lo?.base != nil {
                    // What this path mapped is provably elsewhere (`va`, not `va + PGSIZE`).
                    events.append(.releasedUnacquired(call: call, handleText: text, reason: .notYetAcquired))
                    verdict = .problem
                }
            }
        } else if let i = state.heldIndex(kind: rule.kinds, handle: key) {
            taken = [state.held[i]]
        }
        if let field = rule.elementField {
            let fields = state.held.filter { resource in
                rule.kinds.contains(resource.kind) && !taken.contains(where: { $0.id == resource.id })
                    && resource.handles.contains { Self.isField(field, ofAnElementOf: key, $0) || Self.isField(field, ofAnElementOf: written, $0) }
            }
            taken += fields
        }
        let also = state.held.filter { rule.alsoReleases.contains($0.kind) && $0.handles.contains(key) && inRange($0) }
        for extra in also where !taken.contains(where: { $0.id == extra.id }) { taken.append(extra) }

        if taken.contains(where: { rule.kinds.contains($0.kind) }) == false && !rule.bulk {
            if let inside = releaseFromHolder(rule, key: key, call: call, in: &state) {
                taken.append(inside)
            } else {
                verdict = classifyNotHeld(rule, key: key, written: written, text: text, call: call, state: &state, events: &events)
            }
        }
        let takenIDs = Set(taken.map(\.id))
        for resource in taken where resource.managed && !resource.releasableByHand {
            events.append(.releasedTwice(first: nil, resource: resource, call: call, site: call.location))
            verdict = .problem
        }
        state.held.removeAll { takenIDs.contains($0.id) }
        for resource in taken { dropAgain(resource, key: key, text: text, call: call, in: &state) }
        noteFreedHolder(key, taken: taken, in: &state)

        for resource in taken where !resource.managed || resource.releasableByHand {
            // Anything still held that depends on it makes this release early. Not elements
            // of a span released here for a release naming no end of it: which of the
            // dependent's elements went with which is left to `orderElement`.
            for dependent in state.held where dependent.dependsOn.contains(resource.id)
                && !(resource.elements != nil && dependent.elements != nil)
                && !state.pendingOrders.contains(where: { $0.released.id == resource.id && $0.dependent.id == dependent.id }) {
                state.pendingOrders.append(PendingOrder(released: resource, releaser: rule.call, site: call.location, dependent: dependent))
            }
            confirmOrders(releasing: resource, at: call.location, in: &state, events: &events)
            record(ReleasedRecord(resource: resource, handles: resource.handles, call: rule.call, site: call.location), in: &state)
            if freesContents, let borrowed = resource.borrowed {
                events.append(.releasedUnacquired(call: call, handleText: borrowed, reason: .notOwned(mappedBy: resource.acquiredBy)))
                verdict = .problem
            }
            if freesContents {
                let left = leftToCallback(resource)
                for content in resource.contents {
                    if left.contains(content.id) {
                        var kept = content
                        kept.managed = true
                        kept.releasableByHand = true
                        state.held.append(kept)
                    } else {
                        record(ReleasedRecord(resource: content, handles: content.handles, call: rule.call, site: call.location), in: &state)
                    }
                }
            } else {
                state.held.append(contentsOf: resource.contents)
            }
        }
        if verdict == .unrelated && !taken.isEmpty { verdict = .released }
        if verdict != .problem {
            orderAfterUnheld(kinds: rule.kinds, key: key, handleText: text, taken: taken, call: call, releaser: rule.call, in: &state, events: &events)
        }
        return verdict
    }

    /// `handle` is `array[k].field` for some index `k` (`pd->clks[i].clk` of `pd->clks`).
    /// Not when the array itself is one of many (`pmu->dom[j].clks`): which outer element the
    /// call names is unknown, and every domain's clocks would go with one domain's put.
    static func isField(_ field: String, ofAnElementOf array: AccessPath, _ handle: AccessPath) -> Bool {
        guard !array.isCollection else { return false }
        let n = array.steps.count
        guard handle.root == array.root, handle.steps.count == n + 2, handle.steps.starts(with: array.steps),
              case .element = handle.steps[n] else { return false }
        return handle.steps[n + 1] == .field(field, arrow: false)
    }

    /// A release of an object that lists members released with it (`ListedMembers`): each
    /// member as a release of its own that is a no-op when the member is not there, then the
    /// object itself, which, once a member went, may have been no more than the list
    /// (`sysfs_remove_group()` of an unnamed group whose files were created one by one), and
    /// which is a no-op when absent anyway if its initialiser says so (`quietWhenAbsent`).
    private func releaseWithMembers(_ rule: ReleaseRule, listing: MemberListing, call: Call, in state: inout PathState,
                                    events: inout [AnalysisEvent]) -> Verdict {
        var itself = rule
        itself.members = nil
        itself.safeWhenAbsentWithout = nil
        if listing.quietWhenAbsent { itself.safeWhenAbsent = true }
        var anyMember = false
        for member in listing.members {
            var one = itself
            one.handle = PathTemplate(.path(member))
            one.safeWhenAbsent = true
            if release(one, call: call, in: &state, events: &events) == .released { anyMember = true }
        }
        if anyMember { itself.safeWhenAbsent = true }
        let verdict = release(itself, call: call, in: &state, events: &events)
        return anyMember && verdict != .problem ? .released : verdict
    }

    /// Freeing an object this path allocated, when nothing else still held goes by its name,
    /// ends every pointer stored in it: what is named only through it can no longer be
    /// reached by the caller or anyone else. Not a lock's or a counted reference's release
    /// (the object lives on), nor one that leaves another resource under the same name
    /// (`unregister_netdev(ndev)` before `free_netdev(ndev)`).
    /// Known limit: with no `goto` behind the leak, the fix goes before the return, after the
    /// holder's release, where its name reads freed memory.
    func noteFreedHolder(_ key: AccessPath, taken: [HeldResource], in state: inout PathState) {
        guard key.steps.isEmpty, key.rootVariable != nil,
              taken.contains(where: { !$0.managed && !pack.locks.contains($0.kind) && !pack.countedReferences.contains($0.kind) }),
              !state.held.contains(where: { $0.handles.contains(key) }),
              state.held.contains(where: { $0.handles.contains { !$0.steps.isEmpty && $0.rootPath == key } }) else { return }
        state.freedHolders.insert(key)
    }

    /// A walk over `key`'s children that releases each (`ChildWalks`): every held resource of
    /// the rule's kinds goes, with what it holds, whatever its name; none is no problem (a
    /// teardown walks whatever children there are). The caller's place is recorded for the
    /// summary, so a helper that walks releases its callers' children too.
    private func releaseChildren(_ rule: ReleaseRule, key: AccessPath, call: Call, in state: inout PathState,
                                 events: inout [AnalysisEvent]) -> Verdict {
        recordParameterRelease(rule, key: canonical(key, state), in: &state)
        let taken = state.held.filter { rule.kinds.contains($0.kind) && !$0.managed }
        guard !taken.isEmpty else { return .accepted }
        let ids = Set(taken.map(\.id))
        state.held.removeAll { ids.contains($0.id) }
        // Not an order to confirm: the walk finds whatever children are registered, and an
        // earlier release it would confirm is most often one loop iteration's own device
        // (`platform_device_put(pdev)` after its add failed), whose id the children added by
        // earlier iterations share.
        state.pendingOrders.removeAll { ids.contains($0.dependent.id) }
        for resource in taken {
            record(ReleasedRecord(resource: resource, handles: resource.handles, call: rule.call, site: call.location), in: &state)
            for content in resource.contents {
                record(ReleasedRecord(resource: content, handles: content.handles, call: rule.call, site: call.location), in: &state)
            }
        }
        return .released
    }

    /// Only the latest release of each resource matters; keeping one per id lets loops converge.
    func record(_ released: ReleasedRecord, in state: inout PathState) {
        state.released.removeAll { $0.resource.id == released.resource.id }
        var compact = released
        compact.resource.contents = []
        compact.resource.lastGoto = nil
        state.released.append(compact)
    }

    /// Releasing what a still-held resource took over (`kfree(mem)` while `mem` is mapped).
    func releaseFromHolder(_ rule: ReleaseRule, key: AccessPath, call: Call, in state: inout PathState) -> HeldResource? {
        for h in state.held.indices {
            guard let c = state.held[h].contents.firstIndex(where: { rule.kinds.contains($0.kind) && $0.handles.contains(key) }) else { continue }
            let holder = state.held[h]
            let content = state.held[h].contents.remove(at: c)
            // What an object a device took held is the driver's to free before the put as
            // well as after it (`ContainerOwnership`); the object itself is not.
            if !leftToCallback(holder).contains(content.id) {
                state.pendingOrders.append(PendingOrder(released: content, releaser: rule.call, site: call.location, dependent: holder))
            }
            // Remember it inside the holder as already released, so that the holder's own
            // release does not count it a second time.
            return content
        }
        return nil
    }

    /// A release of something the path does not hold: a second release, a release after
    /// a failed acquisition, of null, or of something acquired only on other paths.
    /// `key` is the handle's canonical name when nothing is held under the name `written`
    /// in the call (`dev->driver_data->clk` for `pc->clk` after `pc = dev_get_drvdata(dev)`).
    func classifyNotHeld(_ rule: ReleaseRule, key: AccessPath, written: AccessPath, text: String, call: Call,
                         state: inout PathState, events: inout [AnalysisEvent]) -> Verdict {
        recordParameterRelease(rule, key: key, in: &state)
        // A release that is a no-op when nothing is there (`safeWhenAbsent`) reports none of
        // the problems below; what else the function does (a retake recorded as the
        // caller's, a summary's release) still happens.
        func report(_ event: AnalysisEvent) -> Verdict {
            if rule.safeWhenAbsent { return .accepted }
            events.append(event)
            return .problem
        }
        // Elements of a collection are released one by one in loops; which one is unknown.
        // What hangs off an object handed on went with it (`transfer`): releasing it is taking
        // it back too (`put_device(&gdev->dev)` after `gdev` was linked in and unlinked again).
        if key.isCollection || state.handedOn.contains(key) || state.handedOn.contains(key.rootPath) || rule.fromSummary {
            return .accepted
        }
        if let first = state.released.last(where: { rule.kinds.contains($0.resource.kind) && $0.handles.contains(key) }) {
            // The same call again (a loop) on a nesting kind (`RulePack.nesting`) counts down
            // enables the path cannot count (`while (n--) clk_disable(clk)`), and so does any
            // release after one that dropped what stood for a loop's uncounted enables
            // (`HeldResource.counted`). Known limit: a loop that disables one enable twice is
            // not reported.
            if first.resource.counted || (first.site == call.location && pack.nesting.contains(first.resource.kind)) {
                return .accepted
            }
            return report(.releasedTwice(first: first, resource: first.resource, call: call, site: call.location))
        }
        let fact = state.fact(key)
        // `&p->dev` of a null `p` is what APIs such as pci_get_device(…, from) accept as "none".
        let isNull = fact.signs == .zero || (key.isAddressOf && state.fact(key.rootPath).signs == .zero)
        if isNull && rule.nullSafe { return .accepted }
        if rule.errorSafe && fact.signs.isSubset(of: [.negative, .zero]) { return .accepted }
        if let failed = state.failed.last(where: { rule.kinds.contains($0.kind) && $0.handles.contains(key) }) {
            // An error pointer left in the handle by the failed call is skipped
            // (`__free(kfree)` after a failed kmalloc); a failed `clk_prepare_enable(clk)`
            // leaves a valid clock that must not be disabled.
            if rule.errorSafe && calls.acquire(failed.acquiredBy)?.resources.contains(where: { $0.handle.root == .result }) == true {
                return .accepted
            }
            // A lookup that found nothing left NULL in the handle, whichever copy the test
            // read (`of_fwnode_handle(child)` tests its own): a release that takes NULL
            // (`of_node_put`) does nothing to it.
            if rule.nullSafe, let acquired = calls.acquire(failed.acquiredBy), acquired.success == .positive,
               acquired.resources.contains(where: { $0.handle.single == .result }) {
                return .accepted
            }
            if rule.safeAfterFailure { return .accepted }
            // The object's flag says whether an earlier call holds it (`if (adapter->have_msi)`,
            // set after a success): this path's failed try does not decide.
            if toggles.flagGuards(rule.kinds, key, at: call.location) { return .accepted }
            return report(.releasedUnacquired(call: call, handleText: text, reason: .acquisitionFailed(by: failed.acquiredBy)))
        }
        let ours = !parameters.contains(key) && rule.kinds.contains { scan.acquirable.contains(AcquirableHandle(kind: $0, handle: key, start: nil)) }
            // The other arm of a switch (`set_power(st, false)`) drops what the caller took.
            && !toggles.switches(rule.kinds, key)
        // Null only matters for a handle this function acquires (`ip = 0` after iunlockput);
        // a value merely tested for null by a sanity check proves nothing.
        if isNull && ours {
            return report(.releasedUnacquired(call: call, handleText: text, reason: .nullHandle))
        }
        // A parameter itself may be the caller's lock, held on entry (`sleep` drops and retakes `lk`).
        let lock = rule.kinds.allSatisfy(pack.locks.contains)
        // The caller's lock, if it can name it: its callers in view are checked for it.
        if lock { expectReleased(rule, key: key, text: text, call: call, in: &state) }
        // Taken again further on: the entry state's, dropped for a while (`HeldOnEntry`). The
        // retake is evidence enough that the handle is the function's to judge, even where
        // `acquirable` doubts it (`flags = spin_lock_irqsave(…)` into a parameter).
        // The retake names the handle as written there (`clk_prepare_enable(pc->clk)`), which
        // the canonical name read here does not match when the local came through an
        // accessor (`pc = dev_get_drvdata(dev)`): a retake under the written name counts too.
        // Either name is the caller's own (`callerTemplate` canonicalises both alike).
        if !parameters.contains(key) && !toggles.switches(rule.kinds, key),
           releaseHeldOnEntry(rule, key: key, text: text, call: call, in: &state)
            || (written != key && !parameters.contains(written)
                && releaseHeldOnEntry(rule, key: written, text: text, call: call, in: &state)) {
            state.parameterReleases = state.parameterReleases.filter { !($0.key == key && rule.kinds.contains($0.kind)) }
            return .accepted
        }
        if ours {
            if lock {
                // A lock released before it is taken may be the caller's, dropped and retaken
                // (`spin_unlock_irq(&ehci->lock); …; spin_lock_irq(&ehci->lock)`): only a
                // path that returns without retaking it shows a wrong rung.
                let pending = PendingUnacquired(call: call, handleText: text, key: key, kinds: rule.kinds)
                if !state.pendingUnacquired.contains(pending) { state.pendingUnacquired.append(pending) }
                return .accepted
            }
            return report(.releasedUnacquired(call: call, handleText: text, reason: .notYetAcquired))
        }
        return .unrelated
    }

    /// A release of the caller's resource (rooted at a parameter, or, in a static function,
    /// a file-scope object its callers name alike): what a summary records.
    func recordParameterRelease(_ rule: ReleaseRule, key: AccessPath, in state: inout PathState) {
        // `pdev = tp->pci_dev; tp = netdev_priv(dev)`: releasing `pdev` releases the caller's
        // `netdev_priv(dev)->pci_dev`.
        let name = canonical(key, state)
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        // `sysfs_remove_group(&dev->kobj, &fan_group)` in a static `remove_files(dev)`
        // helper: the group is a file-scope object, which every caller in the file names as
        // the helper does. Not for an exported helper: a caller in another file may have a
        // static object of the same name. (A static local is lowered like a file-scope
        // object of its name, so one sharing a global's name is taken for it: rare.)
        let global = function.isStatic && name.rootVariable?.storage == .global ? PathTemplate(.path(name)) : nil
        guard let template = PathTemplate(abstracting: name, parameters: parameters) ?? global else { return }
        // Every kind the call drops: `put_device()` drops a lookup's reference as well as a
        // device reference, and a helper that puts its parameter releases whichever its
        // caller holds (`__nvmem_device_put()` after `__nvmem_device_get()`).
        for kind in rule.kinds {
            state.parameterReleases.insert(ParameterRelease(call: rule.call, kind: kind, template: template, key: key,
                                                            children: rule.children))
        }
    }

    /// Releasing `resource` after something it depends on was released earlier on this
    /// path turns that earlier release into a `release-order` finding.
    func confirmOrders(releasing resource: HeldResource, at site: SourceLocation, in state: inout PathState, events: inout [AnalysisEvent]) {
        let confirmed = state.pendingOrders.filter { $0.dependent.id == resource.id }
        guard !confirmed.isEmpty else { return }
        state.pendingOrders.removeAll { $0.dependent.id == resource.id }
        for order in confirmed { events.append(.releasedOutOfOrder(order, dependentReleasedAt: site)) }
    }

    /// Arguments with the values this path knows substituted (`sz` is 0 here).
    func known(_ arguments: [Expr], _ state: PathState) -> [Expr] {
        arguments.map { argument in
            guard argument.constantValue == nil, let v = state.fact(argument.path).exact else { return argument }
            return Expr(.constant(v), text: argument.text)
        }
    }

    func constantOrFact(_ e: Expr, _ state: PathState) -> Int64? {
        e.constantValue ?? state.fact(e.path).exact
    }

    /// Whether the path knows `e` is 0: a constant, or a fact about a local or a parameter
    /// (not a field or a global, which a call in between may have filled in).
    func isZero(_ e: Expr, _ state: PathState) -> Bool {
        if let c = e.constantValue { return c == 0 }
        guard let v = e.variable, v.storage != .global else { return false }
        let fact = state.fact(e.path)
        return fact.exact == 0 || fact.signs == .zero
    }
}
