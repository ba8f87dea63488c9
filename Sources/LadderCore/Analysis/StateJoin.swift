/// The join of two path states, for the fallback pass: what may be true after either.
/// Resources held on either side may be held; facts survive only where both sides agree
/// on a key (signs unite, an exact value only if both have it); names (origins, stored
/// places, predicates) survive only where both sides give the same one.
///
/// A resource held on one side only, where one of its names has a value on that side that
/// the other side rules out (`a` non-null here, null there), is held *if* that name has
/// that value: `if (flags & 1) { a = kalloc(); … }` followed by `if (a) kfree(a)` then
/// loses nothing by the join.
///
/// Monotone and bounded by the function's own acquisition sites and paths, so iterating it
/// over a CFG reaches a fixed point.
extension PathState {
    func joined(with other: PathState) -> PathState {
        var result = self
        for i in result.held.indices where !other.held.contains(where: { $0.id == result.held[i].id }) {
            result.held[i] = result.held[i].heldIf(self, not: other)
        }
        for resource in other.held {
            if let i = result.held.firstIndex(where: { $0.id == resource.id }) {
                result.held[i] = result.held[i].joined(with: resource)
            } else {
                result.held.append(resource.heldIf(other, not: self))
            }
        }
        // One record per resource and release site: a record only says that a release ran
        // there (for a second release to be told apart), whichever side's variant of the
        // resource it carries.
        result.released = union(released, other.released, by: { ReleaseSite(resource: $0.resource.id, site: $0.site) })
        result.failed = union(failed, other.failed)
        result.pendingOrders = union(pendingOrders, other.pendingOrders)
        result.pendingUnacquired = union(pendingUnacquired, other.pendingUnacquired)
        result.parameterReleases.formUnion(other.parameterReleases)
        result.handedOn.formUnion(other.handedOn)
        // Given back only where both sides would give it back.
        result.undoneStores = undoneStores.filter { other.undoneStores.contains($0) }
        result.facts = [:]
        for (key, mine) in facts {
            guard let theirs = other.facts[key] else { continue }
            var joined = ValueFact(signs: mine.signs.union(theirs.signs), exact: mine.exact == theirs.exact ? mine.exact : nil)
            joined.assumed = mine.assumed || theirs.assumed
            result.facts[key] = joined
        }
        // Zero-filled memory stays known where both sides agree on it (`BitFlags`).
        result.fresh = fresh.filter { other.fresh[$0.key] == $0.value }
        result.freshNames = freshNames.filter { other.freshNames[$0.key] == $0.value }
        result.unchecked = unchecked || other.unchecked
        result.predicates = predicates.filter { other.predicates[$0.key] == $0.value }
        result.origins = origins.filter { other.origins[$0.key] == $0.value }
        result.stored = stored.filter { other.stored[$0.key] == $0.value }
        result.elementLimits = elementLimits.filter { other.elementLimits[$0.key] == $0.value }
        result.counterValues = counterValues.filter { other.counterValues[$0.key] == $0.value }
        return result
    }

    /// `a`, then what of `b` is not in it, in order. Looked up in a set: records carry whole
    /// resources, and a join of states with thousands of them (`altera_execute`, the STAPL
    /// interpreter, over the path budget) spent minutes comparing each against each.
    private func union<T: Hashable>(_ a: [T], _ b: [T]) -> [T] {
        union(a, b, by: { $0 })
    }

    private func union<T, Key: Hashable>(_ a: [T], _ b: [T], by key: (T) -> Key) -> [T] {
        guard !a.isEmpty, !b.isEmpty else { return a.isEmpty ? b : a }
        let inA = Set(a.map(key))
        return a + b.filter { !inA.contains(key($0)) }
    }

    private struct ReleaseSite: Hashable {
        var resource: Int
        var site: SourceLocation
    }
}

extension PathState {
    /// The exact join the path walk uses: `self` holds one resource more than `other`, one
    /// of its names has a value here that `other` rules out (non-null here, null there),
    /// and everything else is equal. Then one state holding the resource *if* that name
    /// has that value stands for both, and nothing is lost: `if (opt) { a = kalloc(); … }`
    /// no longer doubles the paths after it. Nil when the two are not of that shape.
    func heldIfJoin(_ other: PathState) -> PathState? {
        guard held.count == other.held.count + 1,
              let extra = held.firstIndex(where: { r in !other.held.contains { $0.id == r.id } }),
              held[extra].pending == nil, held[extra].pendingTransfer == nil else { return nil }
        for handle in held[extra].handles {
            guard let here = facts[handle], let there = other.facts[handle], here.signs.isDisjoint(with: there.signs) else { continue }
            var mine = self, theirs = other
            mine.held.remove(at: extra)
            mine.facts[handle] = nil
            theirs.facts[handle] = nil
            guard mine == theirs else { return nil }
            var joined = self
            joined.held[extra].pending = HeldResource.Outcome(variable: handle, success: here.signs, joined: true)
            joined.facts[handle] = ValueFact(signs: here.signs.union(there.signs), exact: nil)
            return joined
        }
        return nil
    }
}

extension HeldResource {
    /// Held in `mine` and not in `theirs`: conditional on a name whose value tells the two apart.
    func heldIf(_ mine: PathState, not theirs: PathState) -> HeldResource {
        guard pending == nil else { return self }
        for handle in handles {
            guard let here = mine.facts[handle], let there = theirs.facts[handle],
                  here.signs.isDisjoint(with: there.signs) else { continue }
            var conditional = self
            conditional.pending = Outcome(variable: handle, success: here.signs, joined: true)
            return conditional
        }
        return self
    }

    /// The same acquisition reached two ways: any name either side knows it by. An outcome
    /// still pending on one side stays pending, so a later null test can still drop it.
    func joined(with other: HeldResource) -> HeldResource {
        var result = self
        for handle in other.handles where !result.handles.contains(handle) { result.handles.append(handle) }
        result.dependsOn.formUnion(other.dependsOn)
        for content in other.contents where !result.contents.contains(where: { $0.id == content.id }) {
            result.contents.append(content)
        }
        if pending != other.pending { result.pending = pending ?? other.pending }
        if pendingTransfer != other.pendingTransfer { result.pendingTransfer = pendingTransfer ?? other.pendingTransfer }
        if releasedOnFailure != other.releasedOnFailure { result.releasedOnFailure = releasedOnFailure ?? other.releasedOnFailure }
        if range != other.range { result.range = nil }
        if elements != other.elements { result.elements = ElementSpan.joined(elements, other.elements) }
        result.callerOwned = callerOwned || other.callerOwned
        return result
    }
}

extension PathState {
    /// Drops the records of releases and failures no later release can name (`live`: the
    /// names read from a block on): they only tell a second release apart, and there is none.
    /// The path walk and the fallback pass both prune with it at each block.
    mutating func forgetUnnamedRecords(live: LiveKeys) {
        if released.contains(where: { !$0.handles.contains(where: live.contains) }) {
            released.removeAll { !$0.handles.contains(where: live.contains) }
        }
        if failed.contains(where: { !$0.handles.contains(where: live.contains) }) {
            failed.removeAll { !$0.handles.contains(where: live.contains) }
        }
    }
}
