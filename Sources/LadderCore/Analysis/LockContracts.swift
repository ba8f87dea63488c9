/// A lock a function returns holding by its shape alone (every non-error exit holds it under a
/// name the caller can say, or inside the returned object, or exactly when a `bool` says so),
/// not by the pack's word: a lock helper (`allocproc`, `ilock`, `demo_lock_acquire`) or a
/// success path that forgot its release. The shape cannot tell them apart; the callers can.
/// A helper's callers release what it returned holding; a forgotten release leaves callers
/// that go on as if the lock were dropped. So the contract stands only when some caller in
/// view releases the lock after the call, or when its callers may be out of view (exported
/// and unused here): then, for precision, it stands too. A function nothing in view calls
/// but whose address is taken (an ops table, xv6's `syscalls[]`) is a callback: whoever
/// calls it through the pointer consumes no contract, so its returns are judged
/// (`ContractSettlement`).
///
/// What it cannot see: a caller that passes the lock up without releasing it agrees only by
/// returning the object the lock is in (`bread` returning `bget`'s locked buffer); a wrapper
/// that returns holding a lock its parameters name is no agreement, so a helper reached
/// only through such wrappers is reported; a caller that hands the lock, or the object it lives in (not just another field of it), to a call ladder
/// cannot see into is taken to agree (that call may release it). The release (or lending, or
/// returning) counts only where it can run after the call, on some path: which path, failed
/// or not, is not asked here (`HandedToCaller` leaves that to the caller's own walk).
public struct HeldForCaller: Sendable, Hashable, Codable, Comparable {
    public var kind: ResourceKind
    /// The lock in the caller's terms: `&{0}->lock`, a global's path, `{ret}` for a locked
    /// object returned.
    public var lock: PathTemplate
    /// Held at the error returns too (`HeldThroughFailure`): callers that agree take it
    /// whatever the call returns.
    public var evenOnFailure: Bool
    /// Held at some non-error returns only, by a function that never drops it, of a kind no
    /// one keeps (`RulePack.neverKept`): a helper that takes the lock only when there is
    /// something to lock (`if (!d->bus) return;`), or a function whose only unlock was
    /// forgotten. Weaker than the every-return shape, so only a caller in view that releases
    /// it after the call (or returns the object it lives in) confirms it: no caller in view,
    /// or one that only lends the object to an unknown call, leaves the returns leaking
    /// (`ContractSettlement`).
    public var partial: Bool
    /// Not a lock: a resource a static helper leaves in its caller's objects at an error
    /// return (`HandedToCaller`). Only a caller's release agrees to it, never lending the
    /// object to an unknown call or returning it; and with no caller in view the helper's
    /// returns are judged as they always were.
    public var callersRelease: Bool
    /// Acquired straight into the caller's object by the function itself
    /// (`HeldResource.inCallerObject`), not by a helper it called: whether a failure leaves
    /// the half-built object for the caller to tear down is the callers' convention, so with
    /// no caller in view nothing is reported.
    public var inCallerObject: Bool

    public init(kind: ResourceKind, lock: PathTemplate, evenOnFailure: Bool = false, partial: Bool = false,
                callersRelease: Bool = false, inCallerObject: Bool = false) {
        self.kind = kind
        self.lock = lock
        self.evenOnFailure = evenOnFailure
        self.partial = partial
        self.callersRelease = callersRelease
        self.inCallerObject = inCallerObject
    }

    public static func < (a: HeldForCaller, b: HeldForCaller) -> Bool {
        (a.lock, a.kind, a.partial ? 1 : 0) < (b.lock, b.kind, b.partial ? 1 : 0)
    }
}

/// The leaks at a function's returns that are no leak if a caller agrees to the contract:
/// reported only once the callers are known (`ContractSettlement`).
public struct PendingContract: Sendable, Hashable, Codable {
    public var contract: HeldForCaller
    public var findings: [Finding]
    /// The function can fail without the lock (an error return does not hold it, or a call
    /// that can fail took it) and succeeds with it: the shape of an acquisition
    /// (`ContractSettlement`).
    public var failsWithout: Bool
    /// Another function of the file drops the held place, of a kind someone may keep, under
    /// the same name and never takes it (`EscapeAnalysis.keptForLater`): unconfirmed by
    /// callers, the contract is kept for that later call (a completion's put,
    /// `stop_streaming`), not leaked.
    public var keptForLater: Bool

    public init(contract: HeldForCaller, findings: [Finding], failsWithout: Bool = false, keptForLater: Bool = false) {
        self.contract = contract
        self.findings = findings
        self.failsWithout = failsWithout
        self.keptForLater = keptForLater
    }
}

/// One caller's call to a function with a pending contract, and whether the caller agrees:
/// it releases the lock (by the pack, a summary's release or a partner's expectation) or
/// lends it to a call ladder cannot see into.
public struct ContractUse: Sendable, Hashable, Codable, Comparable {
    public var callee: String
    public var contract: HeldForCaller
    public var agrees: Bool
    /// Agrees by releasing the kind under another name than the call's (what a function put
    /// into its caller's object, `HeldForCaller.inCallerObject`, torn down by a cleanup that
    /// walks the caller's own structures): the contract stands, but the caller does not walk
    /// the call as taking it, for it could not name it.
    public var byKindOnly = false
    /// The call, and the lock as the caller names it there (`host->h_clk` for `{0}->h_clk`):
    /// where a caller that disagrees with a contract the others keep is told so
    /// (`ContractSettlement`).
    public var site: SourceLocation?
    public var handle: String?
    /// The release can run after a test of the call's result, right after the call, that
    /// shows it failed (probe's `if (ret) goto release_clk;`). A caller that releases only
    /// after the callee succeeded, or whose test of it is not found, says nothing of what a
    /// failure leaves (`DisagreeingCallers`).
    public var releasesAfterFailure = false
    /// The caller unwinds other elements of what the call was given (`for (i--; i >= 0; i--)
    /// free_ring(rings[i])`) and misses the one the call failed on: it took the cleanup on,
    /// so it neither hands the contract on nor passes the failure to its callers.
    public var unwindsOthers = false

    public init(callee: String, contract: HeldForCaller, agrees: Bool, byKindOnly: Bool = false,
                site: SourceLocation? = nil, handle: String? = nil) {
        self.callee = callee
        self.contract = contract
        self.agrees = agrees
        self.byKindOnly = byKindOnly
        self.site = site
        self.handle = handle
    }

    public static func < (a: ContractUse, b: ContractUse) -> Bool {
        func key(_ u: ContractUse) -> (String, String, Int, Int, String, Int) {
            (u.callee, u.site?.file ?? "", u.site?.line ?? 0, u.site?.column ?? 0, u.handle ?? "",
             (u.agrees ? 4 : 0) + (u.byKindOnly ? 2 : 0) + (u.releasesAfterFailure ? 1 : 0))
        }
        if key(a) != key(b) { return key(a) < key(b) }
        return a.contract < b.contract
    }

    /// The calls `function` makes to functions that return holding a lock by their shape
    /// alone (`FunctionSummary.returnsHolding`), each with the caller's verdict. Calls to
    /// itself are no caller's view.
    static func made(by function: Function, calls: CallSemantics) -> [ContractUse] {
        // The contracts a call's callee returns holding (none for a call of the function itself).
        // Captures the two it reads, not `calls` and `function` whole: a closure's copy of
        // those retains every table they hold, once per function walked.
        let summaries = calls.summaries, own = function.name
        let contracts = { (callee: String) -> [HeldForCaller]? in
            guard callee != own, let held = summaries[callee]?.returnsHolding, !held.isEmpty else { return nil }
            return held
        }
        // Most functions call no helper with a contract: nothing to agree with or not.
        let callsContract = function.blocks.contains { block in
            block.statements.contains { if case .call(let call) = $0, let callee = call.callee { contracts(callee) != nil } else { false } }
        }
        guard callsContract else { return [] }
        var drops: [(kinds: [ResourceKind], path: AccessPath, at: Position)] = []
        // The variables picking an element in each release call's arguments, by position.
        var dropIndices: [Position: Set<Variable>] = [:]
        var takes: [(kind: ResourceKind, path: AccessPath, at: Position)] = []
        var lent: [(path: AccessPath, at: Position)] = []
        // Acquisitions that make later ones on their handle managed (`pcim_enable_device(pdev)`
        // manages `pdev`'s vectors and regions).
        var managed: [(kinds: [ResourceKind], path: AccessPath, at: Position)] = []
        // Places a pack store also gives a local's value (`spi_set_ctldata(spi, slv)`: `slv`
        // is `spi->controller_state` too), for a release the caller makes under that name.
        var storedAs: [Variable: [AccessPath]] = [:]
        var actions: [(kinds: [ResourceKind], path: AccessPath, at: Position)] = []
        var uses: [(callee: String, call: Call, at: Position, contracts: [HeldForCaller])] = []
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee else { continue }
                let at = Position(block: block.id, statement: index)
                if let held = contracts(callee) { uses.append((callee, call, at, held)) }
                if let rules = calls.releases(callee), !rules.isEmpty {
                    for rule in rules {
                        if let path = rule.handle.path(result: call.result, arguments: call.arguments) { drops.append((rule.kinds, path, at)) }
                    }
                    dropIndices[at] = Set(call.arguments.flatMap(\.indexVariables))
                }
                // A managed action registered here (`devm_add_action_or_reset(dev, release_dma,
                // ctlr)`) releases what its function releases of its data, when probe fails
                // later and at unbind.
                for transfer in calls.pack.transfers[callee] ?? [] {
                    guard let action = transfer.action, action < call.arguments.count, transfer.argument < call.arguments.count,
                          case .variable(let fn) = call.arguments[action].kind, fn.storage == .global else { continue }
                    for rule in calls.summaries[fn.name]?.releases ?? [] {
                        if let path = rule.handle.path(result: nil, arguments: [call.arguments[transfer.argument]]) {
                            actions.append((rule.kinds, path, at))
                        }
                    }
                }
                let acquisition = calls.acquire(callee)
                for spec in acquisition?.resources ?? [] {
                    guard let path = spec.handle.path(result: call.result, arguments: call.arguments) else { continue }
                    takes.append((spec.kind, path, at))
                    if let manages = acquisition?.manages, !manages.isEmpty { managed.append((manages, path, at)) }
                }
                if let store = calls.pack.stores[callee], store.value < call.arguments.count,
                   let local = call.arguments[store.value].variable, let place = store.at.path(result: call.result, arguments: call.arguments) {
                    storedAs[local, default: []].append(place)
                }
                for expectation in calls.expectations(callee) where expectation.how == .releases {
                    if let path = expectation.lock.path(result: nil, arguments: call.arguments) {
                        drops.append((expectation.kinds, path, at))
                    }
                }
                // A call given the object (`p`, `&p->lock`) may release its lock; one given
                // only another field of it (`copyout(p->pagetable, …)`) cannot reach it.
                if calls.isOpaque(callee) {
                    for argument in call.arguments { lent.append((argument.path, at)) }
                }
            }
        }
        // A caller returning the object the lock lives in passes the contract on (`bread`
        // returning `bget`'s locked buffer): its own callers are the ones to release it.
        var returned: [(root: AccessPath, at: Position)] = []
        for block in function.blocks {
            // The object itself, not a field's value read from it (`return q->depth`).
            if case .return(let value?, _) = block.terminator {
                let at = Position(block: block.id, statement: block.statements.count)
                returned += Set(value.carriedVariables).sorted { $0.name < $1.name }.map { (AccessPath(variable: $0), at) }
            }
        }
        // Only what runs after the call can take over what the call left held: an unlock
        // before it (`iunlock(ip); iput(ip);`) released something else.
        var following: [BlockID: Set<BlockID>] = [:]
        func follows(_ use: Position, _ other: Position) -> Bool {
            if other.block == use.block && other.statement > use.statement { return true }
            if following[use.block] == nil {
                following[use.block] = function.reachableBlocks(from: function.blocks[use.block].terminator.successors)
            }
            return following[use.block]!.contains(other.block)
        }
        // A release after the call agrees only on a path where the caller did not take the
        // lock again first: xv6's `exit()` calls `fileclose()`, then `begin_op()` and
        // `end_op()` of its own, which end its own operation, not one `fileclose` left open.
        // Blocks that store into each local or parameter: an element's index moved.
        var writes: [Variable: Set<BlockID>] = [:]
        for block in function.blocks {
            for case .assign(let target, _, _) in block.statements {
                if case .variable(let v) = target.kind { writes[v, default: []].insert(block.id) }
            }
        }
        // Whether every path from `from` to a return passes `to`.
        func onEveryPath(from: Position, to: Position) -> Bool {
            if from.block == to.block { return to.statement > from.statement }
            return function.firstReachable(from: function.blocks[from.block].terminator.successors,
                                           following: { block, _ in block != to.block },
                                           where: { block in
                                               guard block != to.block else { return false }
                                               if case .return = function.blocks[block].terminator { return true }
                                               return false
                                           }) == nil
        }
        func releasedAfter(_ use: Position, _ kind: ResourceKind, _ lock: AccessPath, partial: Bool,
                           indices: Set<Variable> = [], anyName: Bool = false) -> Bool {
            var names: Set<AccessPath> = [lock]
            if let root = lock.rootVariable {
                for place in storedAs[root] ?? [] { names.insert(place.appending(lock.steps)) }
            }
            let matches = { (path: AccessPath) in anyName || names.contains(path) }
            // A release of the element the call was given, by the same index variable, after
            // that index moved, is one of another element: an unwind over those set up before
            // the failing one (`for (i--; i >= 0; i--) free_ring(adapter->tx_ring[i])`, igc's
            // `igc_setup_all_tx_resources`) leaves the failing one to the helper.
            let moved = indices.reduce(into: Set<BlockID>()) { $0.formUnion(writes[$1] ?? []) }
            if !moved.isEmpty {
                let later = drops.filter { $0.kinds.contains(kind) && matches($0.path) && follows(use, $0.at) }
                let reachedUnmoved = later.contains { drop in
                    // A release that picks no element by the moved index (`free_all(vsi)`
                    // walking every ring) is not one of another element.
                    if dropIndices[drop.at, default: []].isDisjoint(with: indices) { return true }
                    if drop.at.block == use.block { return !moved.contains(use.block) }
                    return !moved.contains(drop.at.block) && function.firstReachable(
                        from: function.blocks[use.block].terminator.successors,
                        following: { from, _ in !moved.contains(from) },
                        where: { $0 == drop.at.block }) != nil
                }
                guard reachedUnmoved || moved.contains(use.block) else { return false }
            }
            var events: [(at: Position, drop: Bool)] = drops.filter { $0.kinds.contains(kind) && matches($0.path) }.map { ($0.at, true) }
            events += takes.filter { $0.kind == kind && names.contains($0.path) }.map { ($0.at, false) }
            guard events.contains(where: \.drop) else { return false }
            // The first event at or after `statement` in `block`: whether it is a release, or nil.
            func first(in block: BlockID, from statement: Int) -> Bool? {
                events.filter { $0.at.block == block && $0.at.statement >= statement }.min { $0.at.statement < $1.at.statement }?.drop
            }
            // For a partial contract (the shape of a forgotten unlock), one the caller holds
            // itself at the call, a nestable one (xv6's `sys_open` calls `fileclose()` inside
            // its own `begin_op()`), is released next by the caller for itself. Not for a
            // full one: `sleep(chan, lk)` drops and retakes the lock its caller holds.
            func eventBetween(_ block: BlockID, _ from: Int, _ to: Int) -> Bool {
                events.contains { $0.at.block == block && $0.at.statement >= from && $0.at.statement < to }
            }
            for take in events where !take.drop && partial {
                if take.at.block == use.block && take.at.statement < use.statement {
                    if !eventBetween(use.block, take.at.statement + 1, use.statement) { return false }
                    continue
                }
                guard first(in: take.at.block, from: take.at.statement + 1) == nil else { continue }
                let reaches = function.firstReachable(from: function.blocks[take.at.block].terminator.successors,
                                                      following: { from, _ in first(in: from, from: 0) == nil },
                                                      where: { $0 == use.block && !eventBetween($0, 0, use.statement) }) != nil
                if reaches { return false }
            }
            if let drop = first(in: use.block, from: use.statement + 1) { return drop }
            return function.firstReachable(from: function.blocks[use.block].terminator.successors,
                                           following: { from, _ in first(in: from, from: 0) == nil },
                                           where: { first(in: $0, from: 0) == true }) != nil
        }
        var found: Set<ContractUse> = []
        for use in uses {
            for contract in use.contracts {
                guard let lock = contract.lock.path(result: use.call.result, arguments: use.call.arguments) else { continue }
                // What a helper leaves in its caller's objects on failure is undone by the
                // framework when the caller made that kind managed on the handle before the
                // call (`pcim_enable_device(pdev)`, then a helper's `pci_alloc_irq_vectors(pdev…)`).
                let managedHere = contract.callersRelease
                    && managed.contains { $0.kinds.contains(contract.kind) && $0.path == lock && follows($0.at, use.at) }
                let indices = contract.callersRelease ? Set(use.call.arguments.flatMap(\.indexVariables)) : []
                let byName = managedHere || releasedAfter(use.at, contract.kind, lock, partial: contract.partial, indices: indices)
                // What the callee put into the caller's object may be torn down by a cleanup
                // that finds it through the caller's own structures (`i40e_vsi_free_rx_resources(vsi)`
                // after `i40e_setup_rx_descriptors(vsi->rx_rings[i])`): any release of the kind
                // after the call, other than one after the element's index moved, agrees.
                let byKind = !byName && contract.inCallerObject
                    && releasedAfter(use.at, contract.kind, lock, partial: false, indices: indices, anyName: true)
                // A caller that goes on after the helper failed and registers an action that
                // undoes what it left (spi-ingenic's optional DMA: warn, then
                // `devm_add_action_or_reset(dev, release_dma, ctlr)`) agrees: the registration
                // must be on every path from the call, the helper's failure included (a probe
                // that returns on failure and registers after success does not).
                let byAction = contract.callersRelease && actions.contains { registered in
                    registered.kinds.contains(contract.kind) && registered.path == lock
                        && follows(use.at, registered.at) && onEveryPath(from: use.at, to: registered.at)
                }
                let released = byName || byKind || byAction
                // A global is no argument an unknown call needs to reach it: only a lock that
                // is passed, or lives in an object that is, may be released there. What a
                // helper leaves in its caller's objects on failure (`HandedToCaller`) needs
                // the release itself: a caller hands its private struct to some unknown call
                // in nearly every function.
                let handedOff = !contract.callersRelease && lock.rootVariable?.storage != .global
                    && lent.contains { lock.mentions($0.path) && follows(use.at, $0.at) }
                let passedOn = !contract.callersRelease && lock.rootVariable?.storage != .global
                    && returned.contains { $0.root == lock.rootPath && follows(use.at, $0.at) }
                // A static caller that releases nothing of what a helper acquired straight
                // into an object its own caller passed in (`i40e_vsi_setup_rx_resources(vsi)`
                // looping over `i40e_setup_rx_descriptors(vsi->rx_rings[i])` and returning
                // the first failure) hands the contract on: it takes what the helper left, and
                // its own callers, all in view, say whose it is (`HandedToCaller`). Only for
                // the caller's-object convention: what a helper enabled or mapped under a
                // parameter's name (`msdc_ungate_clock`) stays the helper's to report when no
                // caller up the chain undoes it.
                // A caller with an unwind of its own for other elements (`for (i--; i >= 0; i--)
                // free_ring(rings[i])`, igc's `igc_setup_all_tx_resources`) is no pass-through:
                // it took the cleanup on and missed the failing element.
                let unwindsOthers = !indices.isEmpty && releasedAfter(use.at, contract.kind, lock, partial: false)
                let handsOn = contract.callersRelease && contract.inCallerObject && !released && !unwindsOthers
                    && function.isStatic && lock.rootVariable?.storage == .parameter
                // A partial contract is too weak a shape to be confirmed by a call that may
                // release: only a release the caller itself makes, or passing the object up.
                let agrees = released || passedOn || (handedOff && !contract.partial) || handsOn
                var made = ContractUse(callee: use.callee, contract: contract, agrees: agrees, byKindOnly: agrees && !byName && byKind,
                                       site: use.call.location, handle: lock.description)
                made.unwindsOthers = contract.callersRelease && !released && unwindsOthers
                if contract.callersRelease, released {
                    made.releasesAfterFailure = managedHere || byAction
                        || DisagreeingCallers.releases(after: use.call, at: use.at, in: function, convention: calls.pack.convention,
                                                       releases: drops.filter { $0.kinds.contains(contract.kind) && (contract.inCallerObject || $0.path == lock) }.map(\.at))
                }
                found.insert(made)
            }
        }
        return found.sorted()
    }
}
