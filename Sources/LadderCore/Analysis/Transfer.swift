/// The effect of each statement, branch and return on a `PathState`.
struct Transfer {
    /// What calls do: the pack's declarations and the summaries of functions already analysed.
    var calls: CallSemantics { _read { yield parts.calls } }
    /// What was learnt about the function before any path (`FunctionPrescan`).
    var scan: FunctionPrescan { _read { yield parts.scan } }
    var parameters: Set<AccessPath> { _read { yield parts.parameters } }
    /// What a parameter switches on and off (`foo_set_power(st, on)`): kept, and released for the caller.
    var toggles: ToggleFunctions { parts.toggleScan.value }
    /// Callees that return holding a lock even on failure, whose contract this function keeps (`HeldThroughFailure`).
    var heldForCaller: [String: [HeldForCaller]] { _read { yield parts.heldForCaller } }
    /// Places a store may be undone in (`UndoneStore`), worked out at the first store that
    /// hands something on: most functions make none, and the scan reads every statement.
    var undoablePlaces: UndoneStorePlaces { parts.undoableScan.value }
    /// The flag bits the function tests (`BitFlags`).
    var bits: BitFlags { _read { yield parts.bits } }

    var pack: RulePack { _read { yield parts.calls.pack } }

    /// The function as analysed: identity calls seen through.
    var function: Function { _read { yield parts.scan.function } }

    /// Behind one reference: the walk and the checks pass the transfer around by value,
    /// and a copy of these retained every collection of the pack, the pre-scan and the
    /// function's IR.
    private let parts: Parts

    private final class Parts {
        let calls: CallSemantics
        let scan: FunctionPrescan
        let parameters: Set<AccessPath>
        let toggleScan: Memo<ToggleFunctions>
        let heldForCaller: [String: [HeldForCaller]]
        let undoableScan: Memo<UndoneStorePlaces>
        let bits: BitFlags

        init(function: Function, calls: CallSemantics) {
            scan = FunctionPrescan(function: function, calls: calls)
            self.calls = calls
            parameters = Set(function.parameters.map { AccessPath(variable: Variable($0.name, .parameter)) })
            let scanned = scan.function
            toggleScan = Memo { ToggleFunctions(function: scanned, calls: calls) }
            heldForCaller = Transfer.heldForCaller(scan.function, calls)
            undoableScan = Memo { UndoneStorePlaces(scanned) }
            bits = BitFlags(function: scan.function, calls: calls, returned: scan.returnedBitKeys)
        }
    }

    init(function: Function, calls: CallSemantics) {
        parts = Parts(function: function, calls: calls)
    }

    enum Outcome { case continues, pathEnds }

    // MARK: Statements

    func apply(_ statement: Statement, at site: FunctionPrescan.CallSite, to state: inout PathState,
               steps: inout [PathStep], events: inout [AnalysisEvent]) -> Outcome {
        switch statement {
        case .assign(let target, let value, let location):
            assign(target: target, value: value, at: location, in: &state)
            recordInFlag(target: target, value: value, in: &state)
            return .continues
        case .call(let call):
            return apply(call, at: site, to: &state, steps: &steps, events: &events)
        }
    }

    func apply(_ call: Call, at site: FunctionPrescan.CallSite, to state: inout PathState,
               steps: inout [PathStep], events: inout [AnalysisEvent]) -> Outcome {
        forgetUndoneStores(at: call, in: &state)
        guard let callee = call.callee else {
            if let result = call.result { forget(result.path, in: &state) }
            return .continues
        }
        checkLockPreconditions(callee, call: call, at: site, in: &state)
        // Another thread ran meanwhile: what the waiting loop tests may have changed.
        if let waited = scan.waitedOn[site] {
            for key in waited where state.facts[key] != nil { state.facts[key] = nil }
        }
        forgetPureReads(writtenBy: call, in: &state)
        forgetWrittenThroughAddress(call, in: &state)
        handFresh(to: call, in: &state)
        if let releases = calls.releases(callee) { applyReleases(releases, call: call, in: &state, events: &events) }
        if let walk = function.childWalks?.walk(call, pack: pack) { walkChildren(walk, call: call, in: &state, events: &events) }
        let transfers = calls.transfers(callee) ?? []
        // `retval = add_adapter(dev, retval, …)`: an argument that is the result's variable
        // names what it held before the call; the name goes with the old value below.
        let overwritten: [Set<Int>] = transfers.map { rule in
            guard let result = call.result, rule.argument < call.arguments.count,
                  call.arguments[rule.argument].path.object.mentions(result.path) else { return [] }
            return handedOnIDs(rule, call: call, state: state)
        }
        let vacant = calls.acquire(callee).map { vacantMembers($0, call: call, at: site, in: state) } ?? []
        // The result's old meaning goes before anything waits on its new value.
        if let result = call.result { forget(result.path, in: &state) }
        for (n, rule) in transfers.enumerated() {
            transfer(rule, call: call, also: overwritten[n], in: &state)
        }
        if pack.copies.contains(callee) { handOnCopiedParameters(call, in: &state) }
        awaitFailureReleases(callee, call: call, in: &state)
        if let operation = pack.bits[callee] { applyBitOperation(operation, call: call, in: &state) }
        if let result = call.result {
            let key = result.path
            if let predicate = pack.predicates[callee], predicate.argument < call.arguments.count {
                state.predicates[key] = PredicateLink(argument: call.arguments[predicate.argument].path, whenTrue: predicate.whenTrue)
            } else if pack.errorCodes.contains(callee), let first = call.arguments.first {
                state.predicates[key] = PredicateLink(argument: first.path, whenTrue: .negative, errorCode: true)
            }
            if let signs = pack.resultSigns[callee], scan.relevant.contains(key) {
                state.facts[key] = ValueFact(signs: signs, exact: nil)
            } else if let fact = ReturnedConstants.fact(of: callee, calls), scan.relevant.contains(key) {
                state.facts[key] = fact
            }
            // `branch = arch_static_branch(&k.key, 0)`: the result is the value the same call
            // had before on this path, and what a test of it finds is known of the call.
            if pack.pure.contains(callee), state.predicates[key] == nil {
                let name = Self.pureName(call)
                if let known = state.facts[name], scan.relevant.contains(key) { state.facts[key] = known }
                state.predicates[key] = PredicateLink(argument: name, whenTrue: .nonZero)
            }
            // `vector = pci_irq_vector(pdev, 0)` names what the same question names wherever
            // it is asked again: an unwind that reuses the local (`vector =
            // pci_irq_vector(pdev, 0); free_irq(vector, pf)`) frees the interrupt requested
            // under the first answer. Only for a local used as a handle, asked of constants and
            // of locals and parameters other than itself, as written: a field or a global may
            // change under a call in between (`pf->cur` bumped by a helper), and a name built
            // of other names' origins could grow without end round a loop.
            if pack.pure.contains(callee), case .variable(let v) = result.kind, v.storage == .local || v.storage == .temporary,
               scan.handleRoots.contains(key),
               call.arguments.allSatisfy({ argument in
                   argument.constantValue != nil
                       || (argument.variable.map { $0.storage != .global && $0 != v } ?? false)
               }) {
                state.origins[v] = Self.pureName(call)
            }
        }
        if let rule = calls.acquire(callee) {
            acquire(rule, call: call, site: scan.siteIDs[site] ?? 0, inLoop: scan.acquisitionsInLoops.contains(site), vacant: vacant,
                    in: &state, steps: &steps)
            if rule.fromSummary { takeReturnedBits(callee, call: call, in: &state) }
        }
        allocateFresh(call, site: scan.siteIDs[site] ?? 0, in: &state)
        takeHeldForCaller(callee, call: call, site: site, in: &state, steps: &steps)
        // `adapter = netdev_priv(netdev)` points into netdev: the same resource, another name.
        if pack.derives.contains(callee), let result = call.result, let first = call.arguments.first {
            for i in state.held.indices where state.held[i].handles.contains(first.path) {
                state.held[i].handles.append(result.path)
            }
            if case .variable(let v) = result.kind, v.storage == .local || v.storage == .temporary {
                state.origins[v] = AccessPath(.call(callee, [canonical(first.path, state)]))
            }
            deriveFresh(call, in: &state)
        }
        if let rule = pack.stores[callee], rule.value < call.arguments.count,
           let place = rule.at.path(result: call.result, arguments: call.arguments) {
            state.stored[canonical(place, state)] = call.arguments[rule.value].path
        }
        if let template = calls.returnedPlace(callee), let result = call.result,
           let target = template.path(result: nil, arguments: call.arguments) {
            alias(result, to: target, in: &state)
        }
        if call.isNoReturn || pack.noReturn.contains(callee) { return .pathEnds }
        return .continues
    }

    /// `result` is `target` under another name (`dev = get_device(parent)`), or what was
    /// stored there on this path (`priv` after `platform_set_drvdata(pdev, priv)`):
    /// resources named by either are named by both, and fields reached through the result
    /// are the target's fields (its origin).
    func alias(_ result: Expr, to target: AccessPath, in state: inout PathState) {
        let value = throughStores(canonical(target, state), state) ?? target
        for i in state.held.indices {
            if state.held[i].handles.contains(value), !state.held[i].handles.contains(result.path) {
                state.held[i].handles.append(result.path)
            } else if state.held[i].handles.contains(result.path), !state.held[i].handles.contains(value) {
                state.held[i].handles.append(value)
            }
        }
        if case .variable(let v) = result.kind, v.storage == .local || v.storage == .temporary, !value.mentions(v) {
            state.origins[v] = canonical(value, state)
        } else {
            aliasInside(result.path, to: value, in: &state)
        }
    }

    /// `place` read back where a store on this path put a value: the longest stored prefix
    /// of it, rebased on what was stored (`pdev->dev.driver_data->clk` is `priv->clk`).
    func throughStores(_ place: AccessPath, _ state: PathState) -> AccessPath? {
        guard !state.stored.isEmpty else { return nil }
        for length in stride(from: place.steps.count, through: 0, by: -1) {
            let prefix = AccessPath(place.root, Array(place.steps.prefix(length)))
            if let value = state.stored[prefix], value != prefix {
                return value.appending(Array(place.steps.dropFirst(length)))
            }
        }
        return nil
    }

    /// What a pure call's result is named by: the call over its arguments.
    static func pureName(_ call: Call) -> AccessPath {
        AccessPath(.call(call.callee ?? "", call.arguments.map(\.path)))
    }

    /// Whether a canonical name reaches the caller's data: rooted at a parameter, or at a
    /// derived name of one (`netdev_priv(dev)`).
    func expressesParameter(_ name: AccessPath) -> Bool {
        switch name.root {
        case .variable: parameters.contains(name.rootPath)
        case .call(let callee, _): pack.derives.contains(callee)
        case .constant, .named, .anyElement, .operation: false
        }
    }

    /// A predicate's answer kept through negations (`__ret_warn_on = !!(IS_ERR(clk))`, as
    /// `WARN_ON(IS_ERR(clk))` expands): an even number keeps its sense, an odd one turns it.
    /// Not an error code's link, which only an exact value answers.
    func negatedLink(_ value: Expr, in state: PathState) -> PredicateLink? {
        let (inner, negations) = value.underNegations
        guard negations > 0, var link = state.predicates[inner.path], !link.errorCode else { return nil }
        if negations % 2 == 1 { link.whenTrue = SignSet.always.subtracting(link.whenTrue) }
        return link
    }

    /// `key` with its root variable replaced by where that variable's value came from.
    func canonical(_ key: AccessPath, _ state: PathState) -> AccessPath {
        guard !state.origins.isEmpty, let root = key.rootVariable, let origin = state.origins[root] else { return key }
        return key.rebased(on: origin)
    }

    /// One call, one root cause: of the problems its rules find (`iunlockput` drops a lock
    /// and a reference), report the one about the object, listed last. Rules merged from
    /// several packs are alternatives (xv6's and Linux's `kfree`): a release is a problem
    /// only if it is one under every pack.
    func applyReleases(_ releases: [ReleaseRule], call: Call, in state: inout PathState, events: inout [AnalysisEvent]) {
        var problems: [AnalysisEvent] = []
        var fine = false
        for rule in releases {
            var found: [AnalysisEvent] = []
            let verdict = release(rule, call: call, in: &state, events: &found)
            for event in found {
                if case .releasedOutOfOrder = event { events.append(event) } else { problems.append(event) }
            }
            if verdict == .released || verdict == .accepted { fine = true }
        }
        let alternatives = Set(releases.map(\.pack)).count > 1
        if let last = problems.last, !(alternatives && fine) { events.append(last) }
    }

    /// A variable gets a new value: facts about it and names that used it go stale.
    /// Array elements are a collection: storing into one does not change what the others are.
    func forget(_ key: AccessPath, in state: inout PathState) {
        guard !key.isCollection else { return }
        if let v = key.variable, state.freshNames[v] != nil { state.freshNames[v] = nil }
        let stale: (AccessPath) -> Bool = { $0.mentions(key) }
        // Each part is rewritten only when something in it is stale: this runs at every
        // assignment, and rewriting copies.
        if state.facts.keys.contains(where: stale) { state.facts = state.facts.filter { !stale($0.key) } }
        if state.predicates.contains(where: { stale($0.key) || stale($0.value.argument) }) {
            state.predicates = state.predicates.filter { !stale($0.key) && !stale($0.value.argument) }
        }
        if state.handedOn.contains(where: stale) { state.handedOn = state.handedOn.filter { !stale($0) } }
        if state.freedHolders.contains(where: stale) { state.freedHolders = state.freedHolders.filter { !stale($0) } }
        if !state.parameterHandOffs.isEmpty { forgetParameterHandOffOutcomes(stale, in: &state) }
        if !state.undoneStores.isEmpty { forgetUndoneStoreNames(stale, in: &state) }
        if state.origins.contains(where: { stale(AccessPath(variable: $0.key)) || stale($0.value) }) {
            state.origins = state.origins.filter { !stale(AccessPath(variable: $0.key)) && !stale($0.value) }
        }
        if state.stored.contains(where: { stale($0.key) || stale($0.value) }) {
            state.stored = state.stored.filter { !stale($0.key) && !stale($0.value) }
        }
        for i in state.held.indices {
            let resource = state.held[i]
            if resource.handles.contains(where: stale) { state.held[i].handles.removeAll(where: stale) }
            // A range measured from a variable that changes is no longer known.
            if let range = resource.range, range.reads(key) { state.held[i].range = nil }
            // An outcome that was never checked before its variable changed: assume success.
            if let pending = resource.pending, stale(pending.variable) {
                // The flag that recorded it (FlagOutcomes) still tells.
                state.held[i].pending = pending.alias.flatMap { alias in
                    stale(alias.variable) ? nil : HeldResource.Outcome(variable: alias.variable, success: alias.success)
                }
            } else if let alias = resource.pending?.alias, stale(alias.variable) {
                state.held[i].pending?.alias = nil
            }
            if let outcome = resource.pendingTransfer?.outcome, stale(outcome.variable) {
                state.held[i].pendingTransfer?.outcome = nil
            }
            // A helper's result overwritten before any test: its failure can no longer be told.
            if let undo = resource.releasedOnFailure, stale(undo.result) { state.held[i].releasedOnFailure = nil }
        }
        if state.released.contains(where: { $0.handles.contains(where: stale) }) {
            for i in state.released.indices where state.released[i].handles.contains(where: stale) {
                state.released[i].handles.removeAll(where: stale)
            }
            state.released.removeAll { $0.handles.isEmpty }
        }
        if state.unheldReleases.contains(where: { $0.handles.contains(where: stale) }) {
            for i in state.unheldReleases.indices where state.unheldReleases[i].handles.contains(where: stale) {
                state.unheldReleases[i].handles.removeAll(where: stale)
            }
            state.unheldReleases.removeAll { $0.handles.isEmpty }
        }
        if state.failed.contains(where: { $0.handles.contains(where: stale) }) {
            for i in state.failed.indices where state.failed[i].handles.contains(where: stale) {
                state.failed[i].handles.removeAll(where: stale)
            }
            state.failed.removeAll { $0.handles.isEmpty }
        }
    }

    /// The names a local given `value` gives a resource the value names. The object around a
    /// held place (`rdev = dev_to_rdev(dev)`, `container_of(dev, …, dev)`) names it first as
    /// the member it is (`&rdev->dev`), so a helper returning the object is summarised as
    /// handing back `&{ret}->dev`, what its callers put, not `{ret}`; the local itself stays a
    /// name too, as for any value flowing from the place.
    func aliases(_ key: AccessPath, _ place: AccessPath, of resource: HeldResource, value: Expr) -> [AccessPath] {
        guard case .containerOf(let inner, let member) = value.kind, resource.handles.contains(inner.path.object) else {
            return [key, place]
        }
        let fields = member.split(separator: ".").map(String.init)
        let inside = fields.enumerated().map { AccessPath.Step.field($0.element, arrow: $0.offset == 0) } + [.addressOf]
        return [key.appending(inside), key, place]
    }

    func assign(target: Expr, value: Expr, at location: SourceLocation, in state: inout PathState) {
        undoStore(into: target, in: &state)
        assignElements(target: target, value: value, in: &state)
        let parameter = pointerParameter(value)
        let wasHandedOn = parameter.map { state.parameterHandOffs.contains(ParameterHandOff(parameter: $0, outcome: nil)) } ?? true
        handOnParameter(storedInto: target, value: value, in: &state)
        var lent: [HeldResource] = []
        defer {
            // Remembered when this store is what handed the parameter (or these resources) on.
            let handedNow = !wasHandedOn && parameter.map { state.parameterHandOffs.contains(ParameterHandOff(parameter: $0, outcome: nil)) } == true
            // Stored again while handed on already: taking one store back gives nothing back.
            if let parameter, wasHandedOn { forgetUndoneStores(ofParameter: parameter, in: &state) }
            if handedNow || !lent.isEmpty {
                rememberStore(into: target, parameter: handedNow ? parameter : nil, resources: lent, in: &state)
            }
        }
        let key = target.path
        let valueKey = value.path
        let fact: ValueFact = value.constantValue.map(ValueFact.constant) ?? state.facts[valueKey] ?? evaluate(value, in: state) ?? .unknown
        // Bits of a tested word are decided against the facts before the store. Only then is
        // the state kept: a copy held across the writes below would make each of them copy
        // the whole state.
        let before = bits.masks[key] != nil ? state : nil
        let link = state.predicates[valueKey] ?? negatedLink(value, in: state)
        // The resources the value names, before the target's old meaning is dropped.
        let flowing = value.valueVariables.map(AccessPath.init(variable:))
        let named = state.held.indices.filter { i in
            state.held[i].handles.contains(valueKey) || flowing.contains { state.held[i].handles.contains($0) }
        }
        let ids = named.map { state.held[$0].id }
        let place = canonical(key, state)
        let source = canonical(valueKey, state)
        // A resource whose every name this constant overwrites is lost (`bw_data = NULL;`).
        let losing: [(id: Int, names: [AccessPath])] = value.constantValue == nil ? [] : state.held.compactMap { resource in
            guard resource.id & HeldResource.olderFlag == 0, resource.elements == nil, !resource.handles.isEmpty,
                  resource.handles.allSatisfy({ $0.mentions(key) }) else { return nil }
            return (resource.id, resource.handles)
        }
        forget(key, in: &state)
        for lost in losing {
            // Reported where it was lost, and released there by the fix, not at a later exit.
            if let i = state.held.firstIndex(where: { $0.id == lost.id }), state.held[i].handles.isEmpty {
                state.held[i].lostNames = lost.names
                state.held[i].lastGoto = location
            }
        }
        forgetPureReads(storedInto: key, in: &state)
        movePendingOutcome(to: target, from: value, in: &state)   // `flag = !ret` (FlagOutcomes)
        copyPendingOutcome(to: target, from: value, in: &state)   // `err = __r` (FlagOutcomes)
        if fact != .unknown, scan.relevant.contains(key) { state.facts[key] = fact }
        if let link { state.predicates[key] = link }
        if !bits.isEmpty {
            if let before {
                storeBits(target: target, value: value, before: before, in: &state)
            } else {
                markWritten(key, in: &state)
            }
            copyFresh(target: target, value: value, in: &state)
        }
        switch (target.kind, value.kind) {
        case (.variable(let v), .member), (.variable(let v), .deref), (.variable(let v), .variable), (.variable(let v), .addressOf),
             (.variable(let v), .containerOf):
            // pdev = tp->pci_dev, seg = first, led_cdev = &fled->led_cdev; never
            // `b = b->next`, whose name would grow each iteration.
            if scan.handleRoots.contains(key), expressesParameter(source), !valueKey.mentions(key), source != key {
                state.origins[v] = source
            } else if case .containerOf(let inner, _) = value.kind, !valueKey.mentions(key), source != key,
                      state.held.contains(where: { $0.handles.contains(inner.path) }) {
                // `nvmem = to_nvmem_device(dev)` of a device this path holds: `&nvmem->dev`
                // is `dev` again (`AccessPath` folds `&container_of(dev, …, dev)->dev`).
                state.origins[v] = source
            } else if case .addressOf = value.kind, !valueKey.mentions(key), source != key,
                      !valueKey.isCollection, scan.elementAliases[v] == nil,
                      insideHeldObject(valueKey, state) || insideHeldObject(source, state) {
                // `hw = &adapter->hw` inside the private struct being built: a store through
                // `hw` stores into that object (`staysLocal`). Not an element's address
                // (`r = &priv->rings[i]`): element tracking names those (`ElementIndex.aliases`).
                state.origins[v] = source
            }
        case (.member, .variable), (.deref, .variable):
            if place != valueKey { state.stored[place] = valueKey }   // tp->pci_dev = pdev, ad->irq = irq
        case (.member, .addressOf), (.deref, .addressOf):
            recordAddressAlias(target: target, value: value, place: place, in: &state)   // priv->dev = &pdev->dev
        default: break
        }
        // The address of a member (`pf->adev = &aux->dev`) hands on the object it is inside
        // when stored where it outlives the call: whoever keeps it gets the object back
        // with `container_of` (a device's release callback frees it that way).
        let embeds = { (resource: HeldResource) in
            valueKey.isAddressOf && valueKey.steps.count > 1 && resource.handles.contains(valueKey.rootPath)
        }
        guard !ids.isEmpty || state.held.contains(where: embeds) else { return }
        if staysLocal(target, state: state) {
            for i in state.held.indices where ids.contains(state.held[i].id) {
                // In a fixed order: a set's order changes from run to run (Swift seeds its
                // hashing per process), and two states that differ only in the order of a
                // resource's names are two states to the walk.
                for name in aliases(key, place, of: state.held[i], value: value) where !state.held[i].handles.contains(name) {
                    state.held[i].handles.append(name)
                }
            }
        } else if !namesCallersObject(valueKey) && !namesCallersObject(source) {
            // A pointer to the caller's own object, stored anywhere, hands none of its state
            // on (`dma->dev = &pdev->dev` after `pm_runtime_enable(&pdev->dev)`).
            // Stored somewhere that outlives the call: no longer the caller's to release.
            // A lock is not an object: storing its handle does not hand the lock on. Nor does
            // storing a device a managed enable made managing (`pcim_enable_device(pdev)`, then
            // `hw->pdev = pdev`): the driver core still undoes what is taken on it later.
            let handedOn = state.held.filter {
                (ids.contains($0.id) || embeds($0)) && !pack.locks.contains($0.kind)
                    && !($0.managed && calls.acquire($0.acquiredBy)?.manages.isEmpty == false)
            }
            state.held.removeAll { r in handedOn.contains { $0.id == r.id } }
            lent = handedOn
            // Releasing it later is the function taking it back (`adapter->rx_ring = old; kfree(rxdr)`),
            // under the place it went too (`priv->input = input; … input_free_device(priv->input)`).
            for resource in handedOn { state.handedOn.formUnion(resource.handles) }
            if !handedOn.isEmpty { state.handedOn.insert(place) }
        }
    }

    /// A call given a variable's own address (`of_property_read_u32(np, "n", &nr)`) may write
    /// it: what the path knew of the variable is gone. Not a pure call's (`static_branch_unlikely(&key)`
    /// reads), nor one the pack declares (`__free_kfree(&p)` releases what `p` holds, as the
    /// pack says), nor one given a member's address (`spin_lock(&p->lock)` writes the lock,
    /// not `p`). A declared acquisition does write the out-parameter it fills
    /// (`request_firmware(&fw, …)`, handle `*{0}`): `fw = NULL` before it says nothing after.
    func forgetWrittenThroughAddress(_ call: Call, in state: inout PathState) {
        var written = call.arguments.indices.map { $0 }
        if let callee = call.callee, pack.pure.contains(callee) || pack.borrows.contains(callee) || calls.declares(callee) {
            written = (calls.acquire(callee)?.resources ?? []).compactMap(\.handle.outParameter).filter { $0 < call.arguments.count }
            if written.isEmpty { return }
        }
        for index in written {
            let path = call.arguments[index].path
            guard path.steps == [.addressOf], let v = path.rootVariable else { continue }
            let root = AccessPath(variable: v)
            if state.facts.keys.contains(where: { $0.mentions(root) }) {
                state.facts = state.facts.filter { !$0.key.mentions(root) }
            }
        }
    }

    /// The value of `!x` when `x` is known on this path (`disable_dev = !%1` after
    /// `%1 = test_and_set_bit(…)` found the bit clear): a truth value propagates through
    /// locals. Only operators with a bounded result (`!`, `x & K`): a counter stepped
    /// with `+` would give each loop iteration a new state. An assumed operand makes an
    /// assumed result.
    func evaluate(_ value: Expr, in state: PathState) -> ValueFact? {
        func known(_ e: Expr) -> ValueFact? { e.constantValue.map(ValueFact.constant) ?? state.facts[e.path] }
        switch value.kind {
        case .unary(.logicalNot, let inner):
            guard let operand = known(inner) else { return nil }
            var result: ValueFact
            if let v = operand.exact {
                result = .constant(v == 0 ? 1 : 0)
            } else if operand.signs.isDisjoint(with: .zero) {
                result = .constant(0)
            } else if operand.signs == .zero {
                result = .constant(1)
            } else {
                return nil
            }
            result.assumed = operand.assumed
            return result
        case .binary(.bitAnd, let a, let b) where b.constantValue != nil:
            guard let x = known(a), let u = x.exact, let k = b.constantValue else { return nil }
            var result = ValueFact.constant(u & k)
            result.assumed = x.assumed
            return result
        // A count stepped up from zero or more is positive, and one stepped down from a
        // positive count is zero or more (`enabled++` … `while (enabled) { …; enabled--; }`).
        // Signs only: exact values would grow without end around a loop.
        case .binary(.add, let a, let b) where (b.constantValue ?? 0) > 0:
            guard let x = known(a), !x.signs.isEmpty, x.signs.isSubset(of: .nonNegative) else { return nil }
            var result = ValueFact(signs: .positive, exact: nil)
            result.assumed = x.assumed
            return result
        case .binary(.sub, let a, let b) where b.constantValue == 1:
            guard let x = known(a), x.signs == .positive else { return nil }
            var result = ValueFact(signs: .nonNegative, exact: nil)
            result.assumed = x.assumed
            return result
        default:
            return nil
        }
    }

    /// Whether a store puts the resource into an object the caller passed in (`r->info`,
    /// `adapter->msix_entries`, `*pp->buf`): the caller's once the function succeeds, so a
    /// success return lets it go (`EscapeAnalysis.reachingCaller`), but a caller told of a
    /// failure takes nothing, so an error return must have undone it first, unless its
    /// callers in view undo it (`HandedToCaller`). The parameter variable itself
    /// is no object of the caller's (`dev = other`), and an out-parameter is the caller's
    /// variable (`staysLocal`).
    func inCallerObject(_ target: Expr) -> Bool {
        guard let root = target.rootVariable, root.storage == .parameter else { return false }
        switch target.kind {
        case .variable: return false
        case .deref(let inner) where inner.variable != nil: return false   // `*f0 = filealloc()`
        default: return true
        }
    }

    /// Whether `path` names memory inside an object this path holds: rooted at one of its
    /// names, or at a `derives` accessor of one (`netdev_priv(netdev)`).
    func insideHeldObject(_ path: AccessPath, _ state: PathState) -> Bool {
        let root = path.rootPath
        if case .call(let callee, let arguments) = path.root, pack.derives.contains(callee), let first = arguments.first {
            return state.held.contains { $0.handles.contains(first) || $0.handles.contains(root) }
        }
        guard path.rootVariable != nil else { return false }
        return state.held.contains { $0.handles.contains(root) }
    }

    /// Whether a store keeps the resource within this function's reach: a local, a
    /// temporary, or a field of something the function itself holds.
    func staysLocal(_ target: Expr, state: PathState) -> Bool {
        guard let root = target.rootVariable else { return false }
        switch root.storage {
        case .temporary: return true
        case .local:
            switch target.kind {
            case .variable: return true
            case .index(let base, _) where base.variable != nil: return true
            default:
                // A field of a local pointer escapes unless the pointer is itself a held
                // resource (`priv->buf = kmalloc(…)` stays with `priv`), or points inside one
                // (`hw->back = adapter` with `hw = &adapter->hw`: a pointer back to the
                // object, stored in the object, hands nothing on).
                return state.held.contains { $0.handles.contains(AccessPath(variable: root)) }
                    || insideHeldObject(canonical(target.path, state), state)
            }
        case .parameter:
            // An out-parameter (`*f0 = filealloc()`) reaches the caller only on success: on
            // an error exit the function must still release it.
            if case .deref(let inner) = target.kind, inner.variable != nil { return true }
            return false
        case .global:
            // A module's init keeps what it stores in its globals for the module's `__exit`,
            // which runs only if the init succeeds: until a success return, the global is one
            // more name for what the init must undo when it fails (`ixgbe_wq =
            // create_singlethread_workqueue(…)`, then `pci_register_driver()` failing).
            return function.initSection == true
        }
    }
}
