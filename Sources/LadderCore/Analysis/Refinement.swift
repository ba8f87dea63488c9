extension Transfer {
    /// Narrows the state to one edge of a branch. Returns false when the edge cannot be
    /// taken (the condition contradicts what is known), which prunes the path.
    func refine(_ state: inout PathState, condition: Expr, truth: Bool, location: SourceLocation,
                steps: inout [PathStep], sawFailure: inout Bool) -> Bool {
        guard refineElements(&state, condition: condition, truth: truth, location: location, steps: &steps, sawFailure: &sawFailure) else { return false }
        guard let (key, op, constant) = Self.constraint(condition), !key.isCollection else { return true }
        let effective = truth ? op : (op.negated ?? op)
        guard narrow(&state, key: key, op: effective, constant: constant, location: location, steps: &steps, sawFailure: &sawFailure) else {
            return false
        }
        // `i < n` where the path knows `i` (0, before the loop's first step): a test of `n`.
        // (The condition's own operator: `constraint` may have turned the sides around.)
        if case .binary(let written, let a, let b) = condition.kind, written.isComparison, a.constantValue == nil, b.constantValue == nil {
            let holds = truth ? written : (written.negated ?? written)
            // Only a local's value: a field's may have changed under a call that had its object.
            let facts = state.facts
            let known = { (e: Expr) -> Int64? in e.path.variable?.storage == .local ? facts[e.path]?.exact : nil }
            if let v = known(a), !b.path.isCollection {
                return narrow(&state, key: b.path, op: holds.swapped, constant: v, location: location, steps: &steps, sawFailure: &sawFailure)
            }
            if let v = known(b), !a.path.isCollection {
                return narrow(&state, key: a.path, op: holds, constant: v, location: location, steps: &steps, sawFailure: &sawFailure)
            }
        }
        return true
    }

    /// What a value's type alone says: an unsigned parameter is never negative.
    func typeFact(_ key: AccessPath) -> ValueFact? {
        guard let v = key.variable, v.storage == .parameter,
              function.parameters.contains(where: { $0.name == v.name && $0.type.shape == .unsignedInteger }) else { return nil }
        return ValueFact(signs: .nonNegative, exact: nil)
    }

    func narrow(_ state: inout PathState, key: AccessPath, op: BinaryOperator, constant c: Int64, location: SourceLocation,
                steps: inout [PathStep], sawFailure: inout Bool) -> Bool {
        // A constant below zero compared with an unsigned value is an unsigned one read as
        // signed (`idx == -1`, `size == ~0UL`): signs say nothing of that test.
        if c < 0, typeFact(key) != nil { return true }
        let known = state.facts[key] ?? defaultFact(key, in: state) ?? typeFact(key) ?? .unknown
        var fact: ValueFact
        if let narrowed = Self.restrict(known, op, c) {
            fact = narrowed
        } else if known.assumed, let narrowed = Self.restrict(.unknown, op, c) {
            // The fact was only assumed (a flag bit of zeroed memory after a call that may
            // have set it): the path goes on, needing that call to have changed it.
            fact = narrowed
            if !state.unchecked {
                state.unchecked = true
                steps.append(PathStep(location: location, message: Self.assumptionNote))
            }
        } else {
            return false
        }
        if scan.relevant.contains(key) { state.facts[key] = fact }
        markHelperFailure(of: key, fact, in: &state, location: location, steps: &steps)
        if let link = state.predicates[key] {
            // The predicate's answer is known: so is something about its argument.
            let answer: SignSet? = link.errorCode ? (fact.exact.map { $0 < 0 } == true ? link.whenTrue : nil)
                : fact.signs.isSubset(of: .nonZero) ? link.whenTrue
                : fact.signs == .zero ? SignSet.always.subtracting(link.whenTrue) : nil
            if let answer {
                var argument = state.fact(link.argument)
                argument.signs.formIntersection(answer)
                if argument.signs.isEmpty { return false }
                if let exact = argument.exact, !answer.contains(SignSet(of: exact)) { return false }
                if scan.relevant.contains(link.argument) { state.facts[link.argument] = argument }
                // An error pointer is a failure whatever made it. Only a void function's
                // exits read this for nothing but that (`ErrorExits` infers error values
                // of the others from it): a void init that returns after one kept nothing.
                if function.returnType.shape == .void, argument.signs.isSubset(of: .negative) { sawFailure = true }
                if argument.signs == .zero { droppedAsNoEffect(query: link.argument, in: &state, location: location, steps: &steps) }
                settleOutcomes(of: link.argument, in: &state, location: location, steps: &steps, sawFailure: &sawFailure)
                // A pointer predicate (`IS_ERR_OR_NULL(chan)`) that leaves no valid pointer:
                // what its success allowed of that is NULL, nothing to release.
                if !argument.signs.contains(.positive), !link.argument.isCollection {
                    heldUnderNull(link.argument, in: &state, location: location, steps: &steps, settlingPending: true)
                }
            }
        }
        settleOutcomes(of: key, in: &state, location: location, steps: &steps, sawFailure: &sawFailure)
        if fact.signs == .zero { heldUnderNull(key, in: &state, location: location, steps: &steps) }
        return true
    }

    /// A handle tested and found NULL names nothing to release: `if (host->tx)` after
    /// `dma_request_chan()`, whose success only rules out an ERR_PTR, takes its false edge
    /// only where no channel is held. Only for an acquisition whose success admits NULL
    /// (`HeldResource.mayBeNull`): after one that rules NULL out (xv6's `filealloc()`), a
    /// NULL edge is a path the analysis lost a fact on (a store through another pointer
    /// parameter), not one where nothing is held. Taken as an acquisition with no effect (releasing
    /// NULL is a no-op in the kernel's release functions). Not a lock, and not one still
    /// waiting on its outcome (that test settles it), unless a pointer predicate leaves it
    /// nothing valid (`IS_ERR_OR_NULL(chan)` true after a success that only ruled out an
    /// ERR_PTR: `settlingPending`).
    func heldUnderNull(_ key: AccessPath, in state: inout PathState, location: SourceLocation, steps: inout [PathStep],
                       settlingPending: Bool = false) {
        for i in state.held.indices where state.held[i].mayBeNull && state.held[i].handles.contains(key)
            && (state.held[i].pending == nil || settlingPending) && !state.held[i].managed && !pack.locks.contains(state.held[i].kind) {
            state.held[i].pending = nil
            steps.append(PathStep(location: location, message: "'\(key.description)' is NULL here: \(state.held[i].acquiredBy)() gave nothing to release"))
            state.held[i].managed = true
            state.held[i].releasableByHand = true
        }
    }

    /// The note on a path that contradicts an assumed fact; its findings are `medium`.
    static let assumptionNote = "taken only if a call before this changed the flag it tests (assumed unchanged)"

    /// `fact` narrowed by `value op c` holding, or nil when it cannot hold. Signs, an exact
    /// value, values ruled out, and bounds (`type < PCH_SPT` taken twice agrees with
    /// itself) are kept together, each narrowing the others.
    static func restrict(_ known: ValueFact, _ op: BinaryOperator, _ c: Int64) -> ValueFact? {
        var fact = known
        if let exact = fact.exact { return ConstantFolding.apply(op, exact, c) == 1 ? fact : nil }
        fact.signs.formIntersection(signs(satisfying: op, c))
        var lo = fact.lower ?? .min, hi = fact.upper ?? .max
        switch op {
        case .lt: if c == .min { return nil } else { hi = min(hi, c - 1) }
        case .le: hi = min(hi, c)
        case .gt: if c == .max { return nil } else { lo = max(lo, c + 1) }
        case .ge: lo = max(lo, c)
        case .eq:
            if fact.excluded.contains(c) { return nil }
            lo = max(lo, c)
            hi = min(hi, c)
        case .ne:
            if lo == c, lo < .max { lo += 1 }
            if hi == c, hi > .min { hi -= 1 }
            if c != 0, !fact.excluded.contains(c) {
                fact.excluded.append(c)
                fact.excluded.sort()
            }
        default: break
        }
        // Signs and bounds say the same thing two ways: each narrows the other.
        if !fact.signs.contains(.negative) { lo = max(lo, fact.signs.contains(.zero) ? 0 : 1) }
        if !fact.signs.contains(.positive) { hi = min(hi, fact.signs.contains(.zero) ? 0 : -1) }
        if lo > 0 { fact.signs.formIntersection(.positive) } else if lo == 0 { fact.signs.formIntersection(.nonNegative) }
        if hi < 0 { fact.signs.formIntersection(.negative) } else if hi == 0 { fact.signs.formIntersection([.negative, .zero]) }
        if fact.signs.isEmpty || lo > hi { return nil }
        if lo == hi {
            if fact.excluded.contains(lo) { return nil }
            return .constant(lo)
        }
        fact.excluded.removeAll { $0 < lo || $0 > hi }
        // Bounds only as far as they say more than the signs do, so facts that agree merge.
        fact.lower = lo > 1 || lo < 0 ? (lo == .min ? nil : lo) : nil
        fact.upper = hi < -1 || hi > 0 ? (hi == .max ? nil : hi) : nil
        fact.assumed = false
        return fact
    }

    /// `pm_runtime_enable(dev); if (!pm_runtime_enabled(dev)) …`: the query that shows the
    /// acquisition took effect says it did not (runtime PM compiled out, the enable a
    /// stub), so on this edge there is nothing to undo, and undoing it anyway (the disable,
    /// a stub too) is harmless. That is what a managed resource releasable by hand is: never
    /// leaked, released by hand without complaint. Not a failure: nothing failed, so no
    /// `FailedRecord` and no error seen.
    func droppedAsNoEffect(query: AccessPath, in state: inout PathState, location: SourceLocation, steps: inout [PathStep]) {
        for i in state.held.indices where state.held[i].shownBy == query && !state.held[i].managed {
            steps.append(PathStep(location: location, message: "\(query.description) is false: \(state.held[i].acquiredBy)() took no effect"))
            state.held[i].managed = true
            state.held[i].releasableByHand = true
            state.held[i].shownBy = nil
        }
    }

    /// Acquisitions and transfers that waited on `key` learn whether they happened.
    func settleOutcomes(of key: AccessPath, in state: inout PathState, location: SourceLocation,
                        steps: inout [PathStep], sawFailure: inout Bool) {
        let signs = state.fact(key).signs
        var i = 0
        while i < state.held.count {
            let resource = state.held[i]
            if let undo = resource.releasedOnFailure, undo.result == key {
                if signs.isDisjoint(with: undo.success) {
                    steps.append(PathStep(location: location, message: "\(undo.by)() fails and releases '\(resource.handleText)'"))
                    state.held.remove(at: i)
                    continue
                }
                if signs.isSubset(of: undo.success) { state.held[i].releasedOnFailure = nil }
            }
            if let pending = resource.pending, pending.variable == key, pending.joined {
                if signs.isDisjoint(with: pending.success) {
                    state.held.remove(at: i)
                    continue
                }
                if signs.isSubset(of: pending.success) { state.held[i].pending = nil }
            } else if let pending = resource.pending,
                      let success = pending.success(testedAs: key) ?? (Self.isCopy(key, of: pending.variable, in: resource) ? pending.success : nil) {
                if signs.isDisjoint(with: success) {
                    recordOtherName(of: pending, testedAs: key, succeeded: false, in: &state)
                    fillOutParameter(of: resource, succeeded: false, in: &state)
                    state.held.remove(at: i)
                    // Whatever it was to take over stays with the caller.
                    for j in state.held.indices where state.held[j].pendingTransfer?.into == resource.id {
                        state.held[j].pendingTransfer = nil
                    }
                    let failure = FailedRecord(kind: resource.kind, handles: resource.handles, acquiredBy: resource.acquiredBy)
                    if !state.failed.contains(failure) { state.failed.append(failure) }
                    if !steps.contains(where: { $0.location == location && $0.message == "\(resource.acquiredBy)() fails" }) {
                        steps.append(PathStep(location: location, message: "\(resource.acquiredBy)() fails"))
                    }
                    sawFailure = true
                    continue
                }
                if signs.isSubset(of: success) {
                    recordOtherName(of: pending, testedAs: key, succeeded: true, in: &state)
                    fillOutParameter(of: resource, succeeded: true, in: &state)
                    // The flag still decides the unwind (sdhci's `if (host->…_to_disable)`
                    // under `unreg:`, after `ret` was reused): the outcome waits on its
                    // second name, whose test settles it as this one did.
                    state.held[i].pending = pending.alias.flatMap { alias in
                        alias.variable == key ? nil : HeldResource.Outcome(variable: alias.variable, success: alias.success)
                    }
                    if !steps.contains(where: { $0.location == resource.site && $0.message == "\(resource.acquiredBy)() succeeds" }) {
                        steps.append(PathStep(location: resource.site, message: "\(resource.acquiredBy)() succeeds"))
                    }
                }
            }
            if let transfer = resource.pendingTransfer, let outcome = transfer.outcome, outcome.variable == key {
                if signs.isDisjoint(with: outcome.success) {
                    state.held[i].pendingTransfer = nil
                } else if signs.isSubset(of: outcome.success) {
                    state.held[i].pendingTransfer?.outcome = nil
                }
            }
            i += 1
        }
        if signs.isDisjoint(with: .nonNegative), state.held.allSatisfy({ $0.pending?.variable != key }) {
            // A checked call reported an error (for error-value inference).
            sawFailure = sawFailure || key.variable?.storage == .temporary
        }
        settleParameterHandOffs(of: key, signs: signs, in: &state)
        settleTransfers(in: &state)
    }

    /// What an acquisition into an out-parameter left there once its outcome is known:
    /// `request_firmware(&fw, …)` sets `fw` on success and leaves it NULL on failure, so
    /// a shared exit's `if (fw) release_firmware(fw);` releases on the one and skips on the
    /// other.
    func fillOutParameter(of resource: HeldResource, succeeded: Bool, in state: inout PathState) {
        guard let taken = resource.takenAs, let v = taken.variable, v.storage == .local, scan.relevant.contains(taken),
              calls.acquire(resource.acquiredBy)?.resources.contains(where: { $0.kind == resource.kind && $0.handle.outParameter != nil }) == true
        else { return }
        state.facts[taken] = succeeded ? ValueFact(signs: .positive, exact: nil) : .constant(0)
    }

    /// An outcome with two names (`ret` and the flag `host->on = !ret`, FlagOutcomes): once
    /// one name's test settles it, the other name's value is known too, so the unwind's
    /// test of the flag follows what `if (ret)` decided.
    func recordOtherName(of pending: HeldResource.Outcome, testedAs key: AccessPath, succeeded: Bool, in state: inout PathState) {
        guard let alias = pending.alias else { return }
        let (other, success) = key == alias.variable ? (pending.variable, pending.success) : (alias.variable, alias.success)
        guard scan.relevant.contains(other) else { return }
        var fact = state.fact(other)
        let signs = fact.signs.intersection(succeeded ? success : SignSet.always.subtracting(success))
        guard !signs.isEmpty else { return }
        fact.signs = signs
        state.facts[other] = fact
    }

    /// `dst = buf; if (!dst)`: a test of another name of an acquisition's own result is a
    /// test of the result. Only where the result itself is the handle (`{ret}`): other
    /// names of a resource need not carry the value its success depends on.
    static func isCopy(_ key: AccessPath, of result: AccessPath, in resource: HeldResource) -> Bool {
        resource.handles.contains(result) && resource.handles.contains(key) && key.variable != nil
    }

    /// `x op constant` from a branch condition, if it has that shape. Two values compared
    /// (`wdt_stop != wdt_start`) are their difference against 0, in one operand order, so
    /// the same comparison tested again, either way round, reads the same fact; it is
    /// forgotten when either operand is assigned. Whether a call changed a global operand
    /// in between cannot be seen: the analysis assumes it did not.
    static func constraint(_ condition: Expr) -> (AccessPath, BinaryOperator, Int64)? {
        switch condition.kind {
        case .binary(let op, let lhs, let rhs) where op.isComparison:
            if let c = rhs.constantValue, lhs.constantValue == nil { return (lhs.path, op, c) }
            if let c = lhs.constantValue, rhs.constantValue == nil { return (rhs.path, op.swapped, c) }
            guard lhs.constantValue == nil, rhs.constantValue == nil, lhs.path != rhs.path,
                  !lhs.path.isCollection, !rhs.path.isCollection else { return nil }
            return lhs.path < rhs.path
                ? (AccessPath(.operation("-", [lhs.path, rhs.path])), op, 0)
                : (AccessPath(.operation("-", [rhs.path, lhs.path])), op.swapped, 0)
        case .unary(.logicalNot, let inner):
            // `!!x` (the kernel's `likely`/`unlikely` normalise with it) tests `x` itself.
            if case .unary(.logicalNot, let twice) = inner.kind { return constraint(twice) }
            return (inner.path, .eq, 0)
        case .constant:
            return nil
        default:
            return (condition.path, .ne, 0)
        }
    }

    /// The signs a value can have when `value op c` holds.
    static func signs(satisfying op: BinaryOperator, _ c: Int64) -> SignSet {
        switch (op, c.signum()) {
        case (.eq, _): SignSet(of: c)
        case (.ne, 0): .nonZero
        case (.ne, _): .always
        case (.lt, 0): .negative
        case (.lt, 1): .always
        case (.lt, _): .negative
        case (.le, 0): [.negative, .zero]
        case (.le, 1): .always
        case (.le, _): .negative
        case (.gt, 0): .positive
        case (.gt, 1): .positive
        case (.gt, _): .always
        case (.ge, 0): .nonNegative
        case (.ge, 1): .positive
        case (.ge, _): .always
        default: .always
        }
    }

    /// A test showing a helper failed (its `int` result negative, never zero) marks what it
    /// left for this function to undo (`HeldResource.leftByHelper`).
    func markHelperFailure(of key: AccessPath, _ fact: ValueFact, in state: inout PathState, location: SourceLocation,
                           steps: inout [PathStep]) {
        guard pack.convention.signedFailure(fact.signs) else { return }
        for i in state.held.indices where state.held[i].leftByHelper?.result == key && state.held[i].leftByHelper?.failed == false {
            state.held[i].leftByHelper?.failed = true
            steps.append(PathStep(location: location, message: "\(state.held[i].acquiredBy)() fails and leaves '\(state.held[i].handleText)' for this function to release"))
        }
    }
}
