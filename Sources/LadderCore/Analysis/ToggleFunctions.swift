/// Switch functions: a parameter chooses between taking a resource and dropping it
/// (`foo_set_power(st, true)` takes a runtime-PM reference, `foo_set_power(st, false)` puts
/// the one an earlier call took; an `enum` state in a `switch` whose ACTIVE case enables a
/// clock and whose INACTIVE case disables it). Walked one path at a time such a function
/// looks like two bugs: the on-arm returns success holding what it took, and the off-arm
/// drops what this path never took. Both are its contract: the caller pairs the two calls.
///
/// The rule: a resource (kind and name) is switched when
/// - it lives on an object the function was given, not one it made: the acquisition names
///   one of its arguments (`{0}`, not `{ret}`), and that argument is not the result of an
///   acquisition in the same function;
/// - the function acquires it at one call and releases it at another;
/// - every path to the acquisition and every path to the release passes an outcome of a
///   test of a selector (`SwitchSelectors`): the caller's choice (a parameter, or a local
///   computed from parameters) or the state of an object it handed over (`state->enabled`,
///   `pwm->state.enabled`, `ios->power_mode`). The two need not exclude each other: a pwm
///   `apply` that enables the clock when the PWM was off and disables it when the new state
///   is off balances off-to-off, keeps it off-to-on, and drops on-to-off what an earlier
///   call took.
/// A release guarded by a state flag (`FlagGuards`: `if (host->vqmmc_on) { disable;
/// host->vqmmc_on = false; }`) is switched too, without an acquisition on a selected arm.
///
/// What follows (`Escape`, `Release`): a success return holding a switched resource is no
/// leak, and a release of one this path does not hold is the caller's, not a wrong rung.
/// Error returns are judged as before: an on-arm that takes the reference and then fails
/// must still drop it, and so must a return that may pass on a later step's error
/// (`ret = step(); … return ret;`, a value that may be 0 or an error).
///
/// What it cannot see: only equality tests and truth tests of a selector are read
/// (`if (mode > 2)` is no switch); a parameter the function assigns from anything but
/// constants and the caller's choices is no selector (its value at the test is not the
/// caller's); a hardware read (`status = readl(…)`) and a call
/// whose body the unit does not hold (`pwm_is_enabled(pwm)`, a header inline the front end
/// skips) select nothing. Calls of the switch are not paired in the caller: a caller that
/// turns it on and never off is not told so. Precision over recall: a state-selected
/// function that takes a resource on one arm and returns success holding it by mistake is
/// not reported at that return.
struct ToggleFunctions: Sendable {
    /// The switched resources: kind and the name the acquisition gives it.
    private let switched: Set<Switched>

    private struct Switched: Hashable {
        var kind: ResourceKind
        var handle: AccessPath
    }

    /// Whether a release of `kinds` at `handle` drops a switched resource.
    func switches(_ kinds: [ResourceKind], _ handle: AccessPath) -> Bool {
        !switched.isEmpty && kinds.contains { switched.contains(Switched(kind: $0, handle: handle)) }
    }

    /// The release calls guarded by a flag the object keeps (`FlagGuards.guarded`), by kind,
    /// name and site.
    private let flagged: Set<FlaggedRelease>

    private struct FlaggedRelease: Hashable {
        var kind: ResourceKind
        var handle: AccessPath
        var site: SourceLocation?
    }

    /// Whether the release of `kinds` at `handle` at `site` runs only where the object's own
    /// flag says the handle is held (`if (adapter->have_msi) pci_disable_msi(…)`): the flag,
    /// not this path's failed acquisition, says what an earlier call left (ixgb's `ixgb_up`).
    /// Another, unguarded release of the handle is not.
    func flagGuards(_ kinds: [ResourceKind], _ handle: AccessPath, at site: SourceLocation) -> Bool {
        !flagged.isEmpty && kinds.contains { flagged.contains(FlaggedRelease(kind: $0, handle: handle, site: site)) }
    }

    /// Blocks of releases (no lock's) on the clear side of a flag the function sets
    /// (`FlagGuards.clearSide`): not the entry state's, whatever follows.
    private let clearSide: Set<BlockID>

    /// Whether a release in `block` runs where the function's own flag says the handle is
    /// not held: no retake makes it a release of the entry state (`HeldOnEntry`).
    func releasesOnClearSide(_ block: BlockID) -> Bool { clearSide.contains(block) }

    /// Whether holding `resource` at a success return is the switch's contract.
    func keeps(_ resource: HeldResource) -> Bool {
        !switched.isEmpty && resource.handles.contains { switched.contains(Switched(kind: resource.kind, handle: $0)) }
    }

    /// Whether holding `resource` at a return of `value` is the switch's contract. A return
    /// that may pass on a later step's error (`ret = write(…); return ret;` after the on-arm's
    /// enable: the value may be 0 or negative) is not: a caller told the switch failed does
    /// not turn it off. The acquisition's own result (`return clk_prepare_enable(c)`, its
    /// outcome still pending and returned by one of its names) says whether anything was
    /// taken, so that return keeps it. An outcome still pending under another name (a flag
    /// recording it, `st->on = !ret`) says nothing about a later step's `ret`.
    func keeps(_ resource: HeldResource, returning value: ValueFact?, named returned: AccessPath?,
               errors: SignSet?) -> Bool {
        guard keeps(resource) else { return false }
        guard let value, let errors else { return true }
        if let pending = resource.pending, let returned, pending.success(testedAs: returned) != nil { return true }
        return value.signs.isDisjoint(with: errors)
    }

    init(function: Function, calls: CallSemantics) {
        // The acquisitions and releases of objects the function was given.
        var made: Set<Variable> = []
        var acquired: [(kind: ResourceKind, handle: AccessPath, block: BlockID, index: Int)] = []
        var released: [(kinds: [ResourceKind], handle: AccessPath, block: BlockID, location: SourceLocation)] = []
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee else { continue }
                if let rule = calls.acquire(callee) {
                    if let result = call.result?.rootVariable { made.insert(result) }
                    for spec in rule.resources {
                        guard case .argument = spec.handle.root,
                              let handle = spec.handle.path(result: call.result, arguments: call.arguments) else { continue }
                        acquired.append((spec.kind, handle, block.id, index))
                    }
                }
                for rule in calls.releases(callee) ?? [] {
                    guard let handle = rule.handle.path(result: call.result, arguments: call.arguments) else { continue }
                    released.append((rule.kinds, handle, block.id, call.location))
                }
            }
        }
        acquired.removeAll { $0.handle.rootVariable.map(made.contains) ?? false }
        // Most functions release nothing: reading selectors walks every local, so only a
        // function with a release pays for it (a generated body of 1,500 ternaries must not).
        guard !released.isEmpty else {
            switched = []
            flagged = []
            clearSide = []
            return
        }
        let selectors = SwitchSelectors(function, calls: calls)
        let flaggable = released.filter { !$0.kinds.contains(where: calls.pack.locks.contains) }
            .map { FlagGuards.Release(kinds: $0.kinds, handle: $0.handle, block: $0.block, location: $0.location) }
        let acquisitions = acquired.map { FlagGuards.Acquisition(kind: $0.kind, handle: $0.handle, block: $0.block, index: $0.index) }
        clearSide = FlagGuards.clearSide(function, selectors: selectors, releases: flaggable, acquisitions: acquisitions)
        var found: Set<Switched> = []
        let pairs = acquired.flatMap { a in
            released.filter { $0.handle == a.handle && $0.kinds.contains(a.kind) }.map { (a, $0) }
        }
        if !pairs.isEmpty {
            var tests = SwitchTests(function, selectors)
            for (acquire, release) in pairs where tests.bothSelected(acquire.block, release.block) {
                found.insert(Switched(kind: acquire.kind, handle: acquire.handle))
            }
        }
        let guarded = FlagGuards.guarded(
            function, selectors: selectors,
            // A lock is not held across calls: a flag beside one (`w->running` set under the
            // mutex) records the device's state, not the lock's.
            releases: flaggable, acquisitions: acquisitions)
        var flagged: Set<FlaggedRelease> = []
        for release in guarded {
            for kind in release.kinds {
                found.insert(Switched(kind: kind, handle: release.handle))
                flagged.insert(FlaggedRelease(kind: kind, handle: release.handle, site: release.location))
            }
        }
        self.flagged = flagged
        switched = found
    }
}

/// The outcomes of tests of a selector (`SwitchSelectors`) that every path to a block passes.
private struct SwitchTests {
    /// One outcome of one test: the selector is, or is not, one value.
    struct Outcome: Hashable {
        var selector: AccessPath
        var equals: Bool
        var value: Int64
    }

    private let cuts: EdgeCuts
    /// Each edge out of a test of a selector: the block it leaves, the block it enters, and
    /// what holds on it.
    private let edges: [(from: BlockID, to: BlockID, outcome: Outcome)]
    private var dominating: [BlockID: [Outcome]] = [:]

    init(_ function: Function, _ selectors: SwitchSelectors) {
        cuts = EdgeCuts(function: function)
        var edges: [(from: BlockID, to: BlockID, outcome: Outcome)] = []
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator, then != otherwise,
                  let test = selectors.read(condition) else { continue }
            edges.append((block.id, then, Outcome(selector: test.selector, equals: test.equalWhenTrue, value: test.value)))
            edges.append((block.id, otherwise, Outcome(selector: test.selector, equals: !test.equalWhenTrue, value: test.value)))
        }
        self.edges = edges
    }

    /// Whether every path to `a` and every path to `b` passes an outcome of a selector's
    /// test: which of them runs is the caller's choice or its object's state.
    mutating func bothSelected(_ a: BlockID, _ b: BlockID) -> Bool {
        !outcomes(reaching: a).isEmpty && !outcomes(reaching: b).isEmpty
    }

    /// The outcomes every path from the entry to `block` passes: the edges without which
    /// it cannot be reached.
    private mutating func outcomes(reaching block: BlockID) -> [Outcome] {
        if let known = dominating[block] { return known }
        var found: [Outcome] = []
        for edge in edges where !cuts.reachable(block, without: (edge.from, edge.to)) {
            found.append(edge.outcome)
        }
        dominating[block] = found
        return found
    }
}
