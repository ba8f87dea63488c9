/// Per-element resources: an acquisition into `a[i]` inside a loop holds the elements
/// `lo..hi` of `a` (`ElementSpan`), not one summary resource per site.
///
/// - Acquiring at `i` adds element `i`; once it succeeds it joins the span of the earlier
///   iterations (`0..i-1` becomes `0..i`), and `i++` rewrites the bounds (`0..i-1` again),
///   so the loop's state repeats and the walk converges.
/// - Releasing `a[j]` where `j` is the span's lowest (or highest) element removes that end:
///   a forward cleanup `for (j = 0; j < i; j++)` moves `lo` up with `j`, a reverse one
///   (`while (--i >= 0)`, `for (i--; i >= 0; i--)`) moves `hi` down with `i`.
/// - A loop test ends what it bounds: `j >= i` leaves `j..i-1` empty, `i < 0` leaves
///   `0..i` empty; a test of a null element (`argv[i] != 0` failing) ends a span starting
///   there, since held elements are not null. What stays is a finding that names it.
/// - A release of the collection that names no end (a helper freeing the whole array,
///   `free_args(argv)`) releases every element, as before.
/// - An iteration that acquires nothing leaves a hole inside the span (`gaps`), and a
///   counter's value is followed through its steps while it stays near its start
///   (`counterValues`), so `vector++` ladders unwound by `msix[--vector]` and loops that
///   skip unused vectors end empty. An unwind that skips an element by the test the
///   acquiring loop skipped it by makes a hole too (`SkipTests`). What this cannot see: an
///   unwind that skips a held element of a span with holes by any other test.
/// - Releasing an element a dependent span still holds at the same index is early
///   (`orderElement`): `phy_exit(phys[i])` before `phy_power_off(phys[i])`.
extension Transfer {
    /// The elements an acquisition of `template` by `call` holds, if it names one element
    /// of many by a loop counter.
    func acquiredElements(_ template: PathTemplate, call: Call, in state: PathState) -> ElementSpan? {
        guard let slot = ElementIndex.slot(of: template, result: call.result, arguments: call.arguments),
              let index = ElementIndex.find(in: slot, counters: scan.elementCounters, aliases: scan.elementAliases) else { return nil }
        let at = index.bound
        // The first iteration knows the counter's value: the span starts at a constant,
        // which is what keeps later iterations' spans equal.
        // A counter value known only from its steps starts a span only when no older one of
        // this acquisition is held: a constant start would not join `0..i-1` (adjacency is
        // read off the bounds as written). Another acquisition's span over the collection
        // (`phy_init(phys[i])` before `phy_power_on(phys[i])`) never joins this one.
        let older = state.held.contains { $0.site == call.location && $0.elements?.collection == index.collection }
        let known = state.counterValues[index.counter]
        let value = state.fact(AccessPath(variable: index.counter)).exact ?? (older ? nil : known?.value)
        var lo = value.map { ElementBound.constant($0 &+ index.offset) } ?? at
        // The counter has climbed from a known start, its value since lost (iterations that
        // acquired nothing): what it holds from here on lies above the start, with holes.
        var gaps = false
        if value == nil, !older, let known, known.ascending {
            lo = .constant(known.start &+ index.offset)
            gaps = true
        }
        let cap = state.elementLimits[index.counter].map { $0.adding(index.offset) }
        var span = ElementSpan(lo: lo, hi: at, cap: cap, collection: index.collection,
                               isPointer: index.isSlot && template.single == .result, gaps: gaps)
        // Nothing of the collection is held: below `i` are holes only.
        span.heldOnlyAtHi = gaps
        return span
    }

    /// The settled element resources of the newest iteration join the older ones (one
    /// resource per site), so that a counter's step sees one span.
    func normalizeElements(in state: inout PathState) {
        while let i = state.held.firstIndex(where: {
            $0.elements != nil && $0.id & HeldResource.olderFlag == 0 && $0.pending == nil && $0.pendingTransfer == nil
        }) {
            retire(at: i, in: &state)
        }
    }

    /// A variable that bounds a span gets a new value: `i++` shifts the bounds read from
    /// `i` (`0..i` is `0..i-1` after it); any other value leaves them at what `i` was.
    func assignElements(target: Expr, value: Expr, in state: inout PathState) {
        guard let v = target.path.variable else { return }
        let previous = counterValue(v, state)
        trackCounterValue(v, value: value, in: &state)
        // `j = i - 1` starting a reverse cleanup: bounds read from `i` are read from `j`
        // from here on (exact while neither changes; `j` is the one that will).
        if scan.elementCounters.contains(v), let origin = ElementIndex.bound(value), case .current(let w) = origin.base, w != v,
           state.held.contains(where: { $0.elements?.reads(w) == true }) {
            normalizeElements(in: &state)
            state.elementLimits = state.elementLimits.filter { $0.key != v && !$0.value.reads(v) }
            for i in state.held.indices {
                guard var span = state.held[i].elements, span.reads(w), !span.reads(v) else { continue }
                let rebase = { (bound: ElementBound?) -> ElementBound? in
                    guard let bound, bound.base == .current(w) else { return bound }
                    return ElementBound(.current(v), bound.offset &- origin.offset)
                }
                span.lo = rebase(span.lo)
                span.hi = rebase(span.hi)
                state.held[i].elements = span
            }
            return
        }
        guard state.held.contains(where: { $0.elements?.reads(v) == true }) || state.elementLimits.contains(where: {
                  $0.key == v || $0.value.reads(v)
              }) else { return }
        state.elementLimits = state.elementLimits.filter { $0.key != v && !$0.value.reads(v) }
        normalizeElements(in: &state)
        var step: Int64?
        if case .binary(let op, let a, let b) = value.kind, op == .add || op == .sub, a.variable == v, let c = b.constantValue {
            step = op == .add ? c : 0 &- c
        }
        for i in state.held.indices where state.held[i].elements?.reads(v) == true {
            if let step, step > 0, let span = state.held[i].elements, let hi = span.hi, hi == ElementBound(.current(v), -1),
               span.lo?.reads(v) != true, !state.held.contains(where: {
                   $0.elements?.collection == span.collection && $0.elements?.hi == ElementBound(.current(v), 0)
               }) {
                // The counter moves on from an index it acquired nothing at (`continue` past
                // an unused vector): a hole, kept inside the span so that the loop's state
                // still repeats and an unwind over every index still empties it.
                state.held[i].elements?.gaps = true
                state.held[i].elements?.hi = hi.adding(step)
                // The held element is no longer the upper end.
                state.held[i].elements?.heldOnlyAtHi = false
            }
            state.held[i].elements?.mapBounds { bound in
                guard bound.reads(v) else {
                    // An earlier value of `v` already stands in a bound: a second one would be confused with it.
                    if step == nil, bound.base == .earlier(v) { return nil }
                    return bound
                }
                if let step {
                    // A bound drifting away from its counter (an iteration that acquired
                    // nothing: `if (p->ofile[i]) filedup(…)`) is a gap in the span, which
                    // contiguous bounds cannot say: it becomes unknown, so loops still converge.
                    let shifted = bound.adding(0 &- step)
                    return abs(shifted.offset) > ElementBound.maximumDrift ? nil : shifted
                }
                // What `v` held, when the path knows it (`i = 4` before falling into the
                // count-down, after the loop left `i` at 4): a constant compares with the
                // counter's later values.
                return previous.map { .constant($0 &+ bound.offset) } ?? ElementBound(.earlier(v), bound.offset)
            }
            // A span with one end unknown is unknown.
            if let span = state.held[i].elements, span.lo == nil || span.hi == nil {
                state.held[i].elements?.lo = nil
                state.held[i].elements?.hi = nil
            }
        }
    }

    /// The value of an element counter, while the path knows it: the facts forget a
    /// counter's value at its first step (so loops converge), but a ladder of requests
    /// without a loop (`vector++` after each, `free_irq(msix[--vector].vector, …)` at each
    /// label) needs it to see that its last release emptied the span, and a loop whose first
    /// iterations acquired nothing needs it to start the span at a constant. Forgotten past
    /// `maximumDrift`, so a loop makes at most that many states more.
    private func trackCounterValue(_ v: Variable, value: Expr, in state: inout PathState) {
        guard scan.elementCounters.contains(v) else { return }
        if let c = value.constantValue {
            state.counterValues[v] = CounterValue(value: c, start: c)
            return
        }
        guard case .binary(let op, let a, let b) = value.kind, op == .add || op == .sub, a.variable == v,
              let c = b.constantValue, var known = state.counterValues[v] else {
            state.counterValues[v] = nil
            return
        }
        let step = op == .add ? c : 0 &- c
        known.ascending = known.ascending && step > 0
        known.value = counterValue(v, state).map { $0 &+ step }.flatMap {
            abs($0 &- known.start) <= ElementBound.maximumDrift ? $0 : nil
        }
        state.counterValues[v] = known
    }

    /// What the path knows `v` holds.
    func counterValue(_ v: Variable, _ state: PathState) -> Int64? {
        state.fact(AccessPath(variable: v)).exact ?? state.counterValues[v]?.value
    }

    /// A release of `a[j]`: removes element `j` from the span it ends. Nil when the release
    /// names no end of a known span (the caller then releases every element, as for a
    /// helper that frees the whole array).
    func releaseElements(_ rule: ReleaseRule, key: AccessPath, call: Call, text: String, in state: inout PathState,
                         events: inout [AnalysisEvent]) -> Verdict? {
        guard let slot = ElementIndex.slot(of: rule.handle, result: call.result, arguments: call.arguments),
              let index = ElementIndex.find(in: slot, counters: scan.elementCounters, aliases: scan.elementAliases) else { return nil }
        normalizeElements(in: &state)
        let at = index.bound
        let exact = counterValue(index.counter, state).map { ElementBound.constant($0 &+ index.offset) }
        let matches = { (bound: ElementBound?) -> Bool in
            guard let bound else { return false }
            return bound == at || (exact != nil && bound == exact)
        }
        for i in state.held.indices {
            let resource = state.held[i]
            // The same collection as written names the same elements, also when one side
            // reads it through a local standing for the element (`ElementIndex.aliases`).
            guard rule.kinds.contains(resource.kind), resource.pending == nil, var span = resource.elements, span.isKnown,
                  resource.handles.contains(key) || span.collection == index.collection else { continue }
            if matches(span.lo) {
                // The loop test allows one element past the last held (`j <= i` after the
                // acquisition at `i` failed): that one was never acquired.
                // Only a limit read from a variable says so: a constant one (`i < NELEM(argv)`)
                // compared with a constant end (the counter's value was known) says nothing
                // of which acquisition failed.
                if let limit = state.elementLimits[index.counter], limit.base != .constant, let hi = span.hi,
                   let d = limit.adding(index.offset).difference(hi), d > 1, !(span.isPointer && rule.nullSafe), !rule.safeWhenAbsent {
                    events.append(.releasedUnacquired(call: call, handleText: text, reason: .acquisitionFailed(by: resource.acquiredBy)))
                    return .problem
                }
                span.lo = at.adding(1)
                keep(span, at: i, in: &state)
            } else if matches(span.hi) {
                keep(span.droppingHi(to: at.adding(-1)), at: i, in: &state)
            } else {
                continue
            }
            orderElement(resource, releasedBy: rule.call, at: call.location, matching: matches, in: &state, events: &events)
            return .released
        }
        return nil
    }

    /// One element of a span released: an element of a dependent span still held at the
    /// same index makes it early (`phy_exit(phys[i])` while `phys[i]` is still powered), a
    /// `release-order` finding once the dependent's element is released after it. A
    /// dependent element released here confirms those waiting on it. Only the dependent
    /// span's ends are compared: an element inside it is one the unwind has not reached.
    func orderElement(_ resource: HeldResource, releasedBy releaser: String, at site: SourceLocation,
                      matching matches: (ElementBound?) -> Bool, in state: inout PathState, events: inout [AnalysisEvent]) {
        let base = resource.id & ~HeldResource.olderFlag
        for dependent in state.held where dependent.id != resource.id
            && (dependent.dependsOn.contains(base) || dependent.dependsOn.contains(base | HeldResource.olderFlag)) {
            // One still waiting for its test (an enable whose result is never read) holds
            // elements the element releases do not follow.
            guard dependent.pending == nil, let span = dependent.elements, span.isKnown, matches(span.lo) || matches(span.hi),
                  !state.pendingOrders.contains(where: { $0.released.id == resource.id && $0.dependent.id == dependent.id })
            else { continue }
            state.pendingOrders.append(PendingOrder(released: resource, releaser: releaser, site: site, dependent: dependent))
        }
        confirmOrders(releasing: resource, at: site, in: &state, events: &events)
    }

    /// Resources held under one constant index of the collection a loop releases: groups
    /// created one by one (`&fan[0]`, `&fan[1]`, as the chip's pins allow) and removed by
    /// `for (i = 0; i < NFAN; i++) sysfs_remove_group(kobj, &fan[i])`, which reaches each;
    /// or by a helper's summary that releases the whole collection (`remove_files(dev)`
    /// looping over `&fan[i]`). Otherwise only where the index is a counter (a local
    /// stepped by a constant): `&fan[n]` with `n` a parameter names one element, which one
    /// unknown. Indices below the counter's value here are not reached (`for (i = 1; …)`
    /// leaves `&fan[0]` to a release of its own). The loop's upper bound is not read: a
    /// loop that stops short of a created index is taken to reach it, a miss rather than
    /// a false leak. Managed resources are the framework's to release, never the loop's.
    func constantElements(releasedBy rule: ReleaseRule, key: AccessPath, call: Call, in state: PathState) -> [HeldResource] {
        guard key.steps.contains(.element(nil)) else { return [] }
        var from: Int64? = nil
        if !rule.fromSummary {
            guard let slot = ElementIndex.slot(of: rule.handle, result: call.result, arguments: call.arguments),
                  let index = ElementIndex.find(in: slot, counters: scan.elementCounters, aliases: scan.elementAliases)
            else { return [] }
            from = counterValue(index.counter, state).map { $0 &+ index.offset }
        }
        return state.held.filter { resource in
            rule.kinds.contains(resource.kind) && resource.elements == nil && resource.pending == nil
                && !(resource.managed && !resource.releasableByHand) && !resource.handles.contains(key)
                && resource.handles.contains { Self.isConstantElement($0, of: key, from: from) }
        }
    }

    /// `path` is `collection` with each of the collection's any-element steps, at least one,
    /// at a constant index (`&fan[2]` of `&fan[*]`), none below `from`.
    static func isConstantElement(_ path: AccessPath, of collection: AccessPath, from: Int64? = nil) -> Bool {
        guard path.root == collection.root, path.steps.count == collection.steps.count else { return false }
        var constant = false
        for (step, general) in zip(path.steps, collection.steps) where step != general {
            guard case .element(let k?) = step, case .element(nil) = general, k >= from ?? k else { return false }
            constant = true
        }
        return constant
    }

    /// What is left of the span of `state.held[i]` after one of its ends went: removed when
    /// nothing is (`nil`, or empty once the path's known values are put in).
    func keep(_ span: ElementSpan?, at i: Int, in state: inout PathState) {
        if let span, !span.isEmpty(resolving: { valued($0, state) }) {
            state.held[i].elements = span
        } else {
            state.held.remove(at: i)
        }
    }

    /// A release of one element by a constant index (`led[RED]`, RED = 0, in a ladder of
    /// labels after a loop that registered `led[i]`): the end of a span that is that index
    /// once the path's known values are put in. Nil when no held span has it at an end.
    func releaseConstantElement(_ rule: ReleaseRule, key: AccessPath, in state: inout PathState) -> Verdict? {
        guard let position = key.steps.lastIndex(where: { if case .element(_?) = $0 { true } else { false } }),
              case .element(let c?) = key.steps[position], state.held.contains(where: { $0.elements != nil }) else { return nil }
        var steps = key.steps
        steps[position] = .element(nil)
        let general = AccessPath(key.root, steps)
        normalizeElements(in: &state)
        for i in state.held.indices {
            let resource = state.held[i]
            guard rule.kinds.contains(resource.kind), resource.pending == nil, resource.handles.contains(general),
                  var span = resource.elements, let lo = span.lo, let hi = span.hi else { continue }
            let at = ElementBound.constant(c)
            if valued(lo, state) == at {
                span.lo = at.adding(1)
                keep(span, at: i, in: &state)
            } else if valued(hi, state) == at {
                keep(span.droppingHi(to: at.adding(-1)), at: i, in: &state)
            } else {
                continue
            }
            return .released
        }
        return nil
    }

    /// What a branch says about elements: a loop test bounds a counter (and so the spans
    /// read from it); a test of an element settles its acquisition, and a null element
    /// ends a span starting there.
    /// False when the path's known counter values rule this edge out (`i-- > 0` failing
    /// while `i` is known to be 3).
    func refineElements(_ state: inout PathState, condition: Expr, truth: Bool, location: SourceLocation,
                        steps: inout [PathStep], sawFailure: inout Bool) -> Bool {
        guard state.held.contains(where: { $0.elements != nil }) || !scan.elementCounters.isEmpty else { return true }
        normalizeElements(in: &state)
        if state.held.contains(where: { $0.elements != nil }), let (element, sites) = scan.skipTests.skipped(at: location, truth: truth) {
            dropSkipped(element, acquiredAt: sites, in: &state)
        }
        // A bare test (`while (i--)`) compares with 0.
        var comparison: (BinaryOperator, Expr, Expr)?
        switch condition.kind {
        case .binary(let op, let lhs, let rhs) where op.isComparison: comparison = (op, lhs, rhs)
        case .unary(.logicalNot, let inner): comparison = (.eq, inner, Expr(.constant(0), text: "0"))
        default: comparison = (.ne, condition, Expr(.constant(0), text: "0"))
        }
        // A test right after the counter's step may have seen the value before it.
        let stepped = scan.steppedTests[location]
        let before = { (bound: ElementBound) -> ElementBound in
            guard let stepped, bound.base == .current(stepped.counter) else { return bound }
            return bound.adding(0 &- stepped.step)
        }
        if let (op, lhs, rhs) = comparison, let l0 = ElementIndex.bound(lhs), let r0 = ElementIndex.bound(rhs) {
            let effective = truth ? op : (op.negated ?? op)
            // Ruled out only when it is under both readings of a stepped test, or under the
            // one its text says it has.
            let readings: [(ElementBound, ElementBound)] = switch stepped?.seesOld {
            case true?: [(before(l0), before(r0))]
            case false?: [(l0, r0)]
            case nil: [(l0, r0), (before(l0), before(r0))]
            }
            let outcomes = readings.map { a, b -> Int64? in
                let x = valued(a, state), y = valued(b, state)
                guard x.base == .constant, y.base == .constant else { return nil }
                return ConstantFolding.apply(effective, x.offset, y.offset)
            }
            if outcomes.allSatisfy({ $0 == 0 }) { return false }
        }
        // Facts are read as of the value before the step (the reading that reports less), unless
        // the test is known to see the value after it (`--i`, or a step of its own).
        let factReading = stepped?.seesOld == false ? { (bound: ElementBound) in bound } : before
        if let (op, lhs, rhs) = comparison,
           let l = ElementIndex.bound(lhs).map(factReading), let r = ElementIndex.bound(rhs).map(factReading) {
            let effective = truth ? op : (op.negated ?? op)
            // As `x <= y + c` facts, each way round.
            let facts: [(ElementBound, ElementBound)]
            switch effective {
            case .lt: facts = [(l, r.adding(-1))]
            case .le: facts = [(l, r)]
            case .gt: facts = [(r, l.adding(-1))]
            case .ge: facts = [(r, l)]
            case .eq: facts = [(l, r), (r, l)]
            default: facts = []
            }
            if effective == .eq {
                // `while (v)` failing: the counter's value is known from here on.
                for (x, y) in [(l, r), (r, l)] {
                    guard case .current(let v) = x.base, y.base == .constant, scan.elementCounters.contains(v) else { continue }
                    let value = y.offset &- x.offset
                    state.counterValues[v] = CounterValue(value: value, start: value, ascending: false)
                }
            }
            for (x, limit) in facts { bound(x, atMost: limit, in: &state) }
        }
        guard state.held.contains(where: { $0.elements != nil }),
              let (key, op, constant) = Self.constraint(condition) else { return true }
        var signs = Self.signs(satisfying: truth ? op : (op.negated ?? op), constant)
        var tested = key
        var operand: Expr? = Self.operand(of: condition)
        if !key.isCollection, let v = key.variable, let element = scan.elementAliases[v], element.path.isCollection,
           scan.elementAliasTests.contains(location), !state.held.contains(where: { $0.pending?.variable == key }) {
            // A local standing for the element (`urb = pool[j]; if (!urb) continue;`, see
            // `ElementIndex.aliases`) is tested as the element where its block gave it the
            // element (`elementAliasTests`), unless it is an acquisition's own result still
            // waiting for its test.
            tested = element.path
            operand = element
        } else if !key.isCollection {
            // `dma_mapping_error(dev, addrs[i])`: the predicate's answer is about the element.
            guard let link = state.predicates[key], link.argument.isCollection, !link.errorCode else { return true }
            if signs.isSubset(of: .nonZero) { signs = link.whenTrue }
            else if signs == .zero { signs = SignSet.always.subtracting(link.whenTrue) }
            else { return true }
            tested = link.argument
            operand = nil
        }
        var i = 0
        while i < state.held.count {
            let resource = state.held[i]
            guard resource.elements != nil else { i += 1; continue }
            if let pending = resource.pending, pending.variable == tested {
                // No fact about a collection's element says what the call can return; a
                // pointer tested non-null is taken as acquired (`if (!bufs[i])`), as
                // allocators fail with null, not with an error pointer.
                var signs = signs
                if let possible = pack.resultSigns[resource.acquiredBy] { signs.formIntersection(possible) }
                if !signs.contains(.zero), !pending.success.contains(.zero), !signs.isDisjoint(with: pending.success) {
                    signs = pending.success
                }
                if signs.isDisjoint(with: pending.success) {
                    state.held.remove(at: i)
                    let message = "\(resource.acquiredBy)() fails"
                    if !steps.contains(where: { $0.location == location && $0.message == message }) {
                        steps.append(PathStep(location: location, message: message))
                    }
                    sawFailure = true
                    continue
                }
                if signs.isSubset(of: pending.success) {
                    state.held[i].pending = nil
                    let message = "\(resource.acquiredBy)() succeeds"
                    if !steps.contains(where: { $0.location == resource.site && $0.message == message }) {
                        steps.append(PathStep(location: resource.site, message: message))
                    }
                }
            } else if signs == .zero, var span = resource.elements, span.isKnown,
                      resource.handles.contains(tested) || Self.inside(tested, resource.handles)
                        || Self.behind(tested, resource.handles), resource.pending == nil,
                      let operand, let index = ElementIndex.find(in: operand, counters: scan.elementCounters, aliases: scan.elementAliases) {
                let exact = counterValue(index.counter, state).map { ElementBound.constant($0 &+ index.offset) }
                let atLo = [index.bound, exact].contains(span.lo), atHi = [index.bound, exact].contains(span.hi)
                // What an element points to (`urbs[i]->transfer_buffer`) goes with the element:
                // no element there, nothing behind it.
                if span.isPointer && resource.handles.contains(tested) || Self.behind(tested, resource.handles), atLo || atHi {
                    // Held elements are not null: a null one at an end means the span is empty
                    // (or this edge cannot be taken).
                    state.held.remove(at: i)
                    continue
                }
                if atLo, !span.isPointer, scan.sentinelExits[location] == truth {
                    // The loop stops at the table's first unused entry, the lowest this
                    // path still holds: none from there on was created (`SentinelLoops`).
                    state.held.remove(at: i)
                    continue
                }
                if atLo || atHi {
                    // The element itself is the handle (`regulator_enable(vref[i])`): a null
                    // one was skipped, not acquired (`if (!vref[i]) continue;`), and the
                    // unwind skips it too. That end is a hole. So is one whose field the
                    // unwind tests (`if (tca->leds[i].led_cdev.name) led_classdev_unregister(…)`):
                    // the driver's own word that a null one was never set up (leds-tca6507).
                    span.gaps = true
                    var left: ElementSpan? = span
                    if atHi { left = span.droppingHi(to: index.bound.adding(-1)) } else { left?.lo = index.bound.adding(1) }
                    let count = state.held.count
                    keep(left, at: i, in: &state)
                    if state.held.count < count { continue }
                }
            }
            i += 1
        }
        return true
    }

    /// The unwind skips an element the way the acquiring loop skipped it (`SkipTests`): not
    /// held, a hole at that end of the spans the skipped acquisitions made.
    func dropSkipped(_ element: ElementBound, acquiredAt sites: Set<SourceLocation>, in state: inout PathState) {
        guard case .current(let counter) = element.base else { return }
        let exact = counterValue(counter, state).map { ElementBound.constant($0 &+ element.offset) }
        var i = 0
        while i < state.held.count {
            let resource = state.held[i]
            guard sites.contains(resource.site), resource.pending == nil, var span = resource.elements, span.isKnown else {
                i += 1
                continue
            }
            let atLo = [element, exact].contains(span.lo), atHi = [element, exact].contains(span.hi)
            guard atLo || atHi else {
                i += 1
                continue
            }
            span.gaps = true
            var left: ElementSpan? = span
            if atHi { left = span.droppingHi(to: element.adding(-1)) } else { left?.lo = element.adding(1) }
            let count = state.held.count
            keep(left, at: i, in: &state)
            if state.held.count == count { i += 1 }
        }
    }

    /// A handle reached through the tested pointer (`urbs[*]->transfer_buffer` behind
    /// `urbs[*]`): a null pointer has nothing behind it.
    static func behind(_ tested: AccessPath, _ handles: [AccessPath]) -> Bool {
        handles.contains { handle in
            guard handle.root == tested.root, handle.steps.count > tested.steps.count,
                  handle.steps.starts(with: tested.steps) else { return false }
            switch handle.steps[tested.steps.count] {
            case .field(_, arrow: true), .deref: return true
            default: return false
            }
        }
    }

    /// Whether `tested` is a field inside the object a handle names (`leds[*].cdev.name`
    /// inside `&leds[*].cdev`).
    static func inside(_ tested: AccessPath, _ handles: [AccessPath]) -> Bool {
        handles.contains { handle in
            let base = handle.isAddressOf ? Array(handle.steps.dropLast()) : handle.steps
            return handle.root == tested.root && tested.steps.count > base.count && tested.steps.starts(with: base)
                && !tested.steps.dropFirst(base.count).contains(.addressOf)
        }
    }

    /// A bound with the variable's value put in when the path knows it (`j` is 0 on the
    /// first test of `j < i`).
    func resolved(_ bound: ElementBound, _ state: PathState) -> ElementBound {
        guard case .current(let v) = bound.base, let exact = state.fact(AccessPath(variable: v)).exact else { return bound }
        return .constant(exact &+ bound.offset)
    }

    /// A bound with every value the path knows put in, the counters' followed steps too:
    /// only to decide whether a span is empty (rewriting a bound with it would break the
    /// adjacency of symbolic bounds that loops rely on).
    func valued(_ bound: ElementBound, _ state: PathState) -> ElementBound {
        guard case .current(let v) = bound.base, let exact = counterValue(v, state) else { return bound }
        return .constant(exact &+ bound.offset)
    }

    /// The value a condition tests (`a[i]` in `a[i] == 0`, `!a[i]`, `a[i]`).
    static func operand(of condition: Expr) -> Expr? {
        switch condition.kind {
        case .binary(let op, let lhs, let rhs) where op.isComparison:
            return rhs.constantValue != nil ? lhs : lhs.constantValue != nil ? rhs : nil
        case .unary(.logicalNot, let inner): return inner
        default: return condition
        }
    }

    /// `x <= limit` holds on this edge. A counter on the left gets `limit` as its bound for
    /// later acquisitions; spans whose `hi` is read from it, or whose `lo` is read from the
    /// variable on the right, may be left empty. Each side is also read with the value the
    /// path knows for its variable (`j` is 0 on the first test of `j < i`).
    func bound(_ x: ElementBound, atMost limit: ElementBound, in state: inout PathState) {
        if case .current(let v) = x.base, scan.elementCounters.contains(v), limit.base != x.base {
            state.elementLimits[v] = limit.adding(1 &- x.offset)
        }
        let xValue = resolved(x, state)
        let limitValue = resolved(limit, state)
        var i = 0
        while i < state.held.count {
            guard var span = state.held[i].elements, let lo = span.lo, let hi = span.hi else { i += 1; continue }
            if case .current = x.base, hi.base == x.base, limitValue.base == .constant {
                // hi = v + k, and v <= limit - x.offset: a constant end, kept only when it
                // settles the span (an exit of a reverse loop), not inside a loop still counting.
                let candidate = limitValue.adding(hi.offset &- x.offset)
                if let d = lo.difference(candidate), d >= 0 { span.hi = candidate }
            }
            if case .current = limit.base, lo.base == limit.base {
                // lo = w + k, and w >= x - limit.offset: the exit of a forward loop.
                let candidate = xValue.adding(lo.offset &- limit.offset)
                if candidate.difference(hi) != nil || (span.cap.flatMap { candidate.difference($0) } ?? -1) >= 0 {
                    span.lo = candidate
                }
            }
            if case .current = x.base, let cap = span.cap, cap.base == x.base, limitValue.base == .constant {
                // cap = v + k with v <= limit: no held index reaches limit + k; `j < n`
                // failing on its first test (n <= 0) leaves nothing acquired under `i < n`.
                let capAtMost = limitValue.adding(cap.offset &- x.offset)
                if let d = lo.difference(capAtMost), d >= 0 { span.cap = capAtMost }
            }
            // An array index a counter reached is never negative: `while (v) { v--; … }`
            // leaves `v-1..v-1` at `v == 0` when the span began after the value was lost.
            if span.isEmpty(resolving: { valued($0, state) })
                || span.hi.map({ valued($0, state) }).map({ $0.base == .constant && $0.offset < 0 }) == true {
                state.held.remove(at: i)
                continue
            }
            state.held[i].elements = span
            i += 1
        }
    }

}


