/// Analyses a translation unit bottom-up over its call graph, so that a function's
/// callees are summarised (as acquires or releases) before it is analysed.
public struct Analyzer: Sendable {
    public let pack: RulePack
    public let budget: Int
    /// Read off the pack once per analyser, not per unit: deriving it re-parses every fix
    /// template, which cost a third of a small file's analysis.
    let dependencies: ReleaseDependencies
    let names: PackNames

    public init(pack: RulePack, budget: Int = 40_000) {
        self.pack = pack
        self.budget = budget
        dependencies = ReleaseDependencies(pack)
        names = PackNames(pack)
    }

    public struct Result: Sendable {
        public var findings: [Finding]
        public var errors: [ProcessingError]
        /// Path states explored per function, for `--stats`.
        public var costs: [FunctionCost] = []
        /// What each of the unit's functions does to its caller's resources.
        public var summaries = SummaryTable()
        /// Functions with more paths than the budget, covered by the fallback pass.
        public var pathInsensitive: [FunctionCost] = []
        /// Per function: leaks at its returns held back until its callers are known
        /// (`HeldForCaller`), and its calls to functions with such contracts. `analyse`
        /// settles them among the unit's own functions when it is given the whole unit; a
        /// driver that sees more callers settles them over all of them. Both by
        /// `ContractSettlement`.
        public var heldForCallers: [String: [PendingContract]] = [:]
        public var contractUses: [String: [ContractUse]] = [:]
    }

    /// `known` holds summaries from elsewhere (other translation units); the unit's own
    /// functions are summarised as they are analysed, callees first, and win over `known`.
    /// When `unit` is not the whole file (a driver walking one function at a time), what
    /// only the whole file shows: `callers`, which functions have no caller in view, and
    /// `bodies`, the functions the file defines. `sources`: the file's text as read once for
    /// the fixes of all its functions (else each fix reads it from disk). `annotated`: the
    /// functions already carry what only their whole unit shows (`TranslationUnit.annotated`,
    /// done where the unit was parsed); annotating a part again would read a unit of one as
    /// the whole, where evidence the rest of the file holds against an owned field is missing.
    public func analyse(_ unit: TranslationUnit, known: SummaryTable = SummaryTable(), callers: CallersInView? = nil,
                        bodies: Set<String>? = nil, sources: FixSources = FixSources(), annotated: Bool = false) -> Result {
        let unit = annotated ? unit : unit.annotated(for: pack)
        var summaries = known
        var result = Result(findings: [], errors: [])
        let wholeUnit = callers == nil
        let callers = callers ?? CallersInView(unit)
        let bodies = bodies ?? Set(unit.functions.map(\.name))
        let order = Self.calleesFirst(unit.functions)
        for written in order {
            let calls = CallSemantics(pack: pack, summaries: summaries, dependencies: dependencies, names: names, bodies: bodies)
            let function = BoundCallbacks.devirtualised(written, calls: calls)
            var analysis = FunctionAnalysis(function: function, calls: calls, budget: budget)
            analysis.sources = sources
            let analysed = analysis.run()
            result.findings += analysed.findings
            if callers.hasNoCaller(function.name) {
                result.findings += Self.releasesNobodyHolds(function, analysed, analysis)
            }
            let bodyEvents = DeclaredReleaseBody.unreleasedParts(function, analysed, calls: calls)
                + DeclaredRetakeBody.undroppedLock(function, calls: calls) + ClearedOwners.events(function, calls: calls, analysed: analysed)
                + ConstructorParts.events(function, calls: calls)
            for event in bodyEvents {
                result.findings += analysis.inspect(event, steps: [])
            }
            if let error = analysed.error { result.errors.append(error) }
            if analysed.pathInsensitive {
                result.pathInsensitive.append(FunctionCost(function: function.name, location: function.location, states: analysed.states))
            }
            if analysed.states > 0 {
                result.costs.append(FunctionCost(function: function.name, location: function.location, states: analysed.states))
            }
            // Over the path budget, the exits walked are some of the function's, and what it
            // acquires or releases on the others is unknown: its callers must not read a
            // partial summary as the whole story.
            let partial = analysed.pathInsensitive || analysed.error != nil
            var summary = partial ? FunctionSummary.top : SummaryDerivation.derive(function, analysed, calls: calls)
            if !partial {
                summary.returnsHolding = analysed.heldForCallers.map(\.contract)
                summary.returnsOnly = ReturnedConstants.values(function)
            }
            summaries.record(summary, for: function.name)
            result.summaries.record(summary, for: function.name)
            if !analysed.heldForCallers.isEmpty { result.heldForCallers[function.name] = analysed.heldForCallers }
            let uses = ContractUse.made(by: function, calls: calls)
            if !uses.isEmpty { result.contractUses[function.name] = uses }
        }
        // Boot code in one unit: only static functions, since another file may call the
        // others (taken as reached from outside, as an address taken is).
        if wholeUnit && !pack.boot.isEmpty {
            var callers: [String: Set<String>] = [:]
            for function in unit.functions {
                for callee in CalleeNames.of(function) { callers[callee, default: []].insert(function.name) }
            }
            let exported = Set(unit.functions.filter { !$0.isStatic && !pack.boot.contains($0.name) }.map(\.name))
            let boot = BootReach.functions(entries: pack.boot, defined: bodies, callers: callers,
                                           addressTaken: (unit.addressTaken ?? []).union(exported))
            result.findings = BootReach.droppingUnchecked(result.findings, inBoot: boot.contains)
        }
        // The callers in view are the unit's functions. A driver handing over part of a unit
        // (`callers` given) sees more callers than the part shows and settles over all of them.
        if wholeUnit {
            let called = ContractSettlement.calledByName(in: unit)
            let statics = Set(unit.functions.filter(\.isStatic).map(\.name))
            let actions = ManagedActions(order.map { ($0.name, result.summaries[$0.name] ?? FunctionSummary(), CalleeNames.of($0)) })
            for function in order {
                guard let pending = result.heldForCallers[function.name] else { continue }
                let uses = result.contractUses.sorted { $0.key < $1.key }.flatMap { caller, uses in
                    uses.filter { $0.callee == function.name }.map { (caller: caller, use: $0) }
                }
                let callers = ContractSettlement.Callers(calledInView: called.contains(function.name),
                                                         addressTaken: unit.addressTaken?.contains(function.name) == true)
                let partners = order.filter { $0.name != function.name }.flatMap { result.summaries[$0.name]?.releases ?? [] }
                result.findings += ContractSettlement.findings(pending, of: function.name, callers: callers, uses: uses,
                                                               partners: partners, actions: actions,
                                                               passesOn: { statics.contains($0) && called.contains($0) })
            }
        }
        return result
    }

    /// A static function with no caller in view that releases a lock it never took: no
    /// caller holds it. One finding per release, unless the walk already reported it there.
    static func releasesNobodyHolds(_ function: Function, _ analysed: FunctionAnalysis.Result,
                                    _ analysis: FunctionAnalysis) -> [Finding] {
        var found: [Finding] = []
        // Only locks: a clock or supply a function gates (`HeldOnEntry`) is as often on by the
        // device's state (runtime PM) as by a caller.
        for expected in CallersInView.unheldReleases(analysed) where expected.expectation.kinds.allSatisfy(analysis.pack.locks.contains) {
            let already = (analysed.findings + found).contains {
                $0.rule == .releaseUnacquired && $0.location == expected.call.location
            }
            guard !already else { continue }
            let event = AnalysisEvent.releasedUnacquired(call: expected.call, handleText: expected.handleText,
                                                         reason: .noCallerHolds(function: function.name))
            found += analysis.inspect(event, steps: [])
        }
        return found
    }

    /// Depth-first post-order over calls between the unit's own functions; cycles are
    /// cut where they close. Public so that a driver analysing one function at a time
    /// (to reuse the rest) follows the very order `analyse` does.
    public static func calleesFirst(_ functions: [Function]) -> [Function] {
        guard functions.count > 1 else { return functions }
        let byName = Dictionary(functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var order: [Function] = []
        var state: [String: Bool] = [:]  // false: in progress, true: done
        func visit(_ f: Function) {
            guard state[f.name] == nil else { return }
            state[f.name] = false
            for block in f.blocks {
                for case .call(let call) in block.statements {
                    if let callee = call.callee, let g = byName[callee] { visit(g) }
                }
            }
            // A function it stores for a helper to call (`BoundCallbacks`) is followed like a callee.
            for binding in f.callbackBindings ?? [] {
                if let g = byName[binding.function] { visit(g) }
            }
            state[f.name] = true
            order.append(f)
        }
        functions.forEach(visit)
        return order
    }
}

/// Works out a function's `FunctionSummary` from the paths its analysis walked.
enum SummaryDerivation {
    static func derive(_ function: Function, _ result: FunctionAnalysis.Result, calls: CallSemantics) -> FunctionSummary {
        var summary = FunctionSummary()
        let name = function.name
        let pack = calls.pack
        guard !calls.declares(name) else { return summary }
        summary.registersActions = RegisteredAction.found(in: function, calls: calls)
        summary.returnsPlace = accessedPlace(function) ?? placeReturnedOnSuccess(function, calls: calls)
        summary.transfers = storedParameters(function).map { TransferRule(call: name, argument: $0) }
        summary.writes = FlagWriteDerivation.derive(function, calls: calls)
        summary.callsThrough = BoundCallbacks.callsThrough(function, calls: calls)
        guard !result.exits.isEmpty else { return summary }
        summary.expects = expectations(result)
        let success = result.exits.filter { !result.errorExits.isError($0) }
        if let exit = success.first(where: { !$0.returned.isEmpty }), let value = exit.snapshot.returned {
            let key = value.path
            var specs: [ResourceSpec] = []
            for resource in exit.returned {
                guard let handle = resource.handles.first(where: { $0 == key || $0.rootPath == key }) else { continue }
                let template = PathTemplate(handle: handle, returned: key)
                let fix = resource.fix.map { HandleTemplate(replacingName(resource.handleText, in: $0, with: template.description)) }
                var spec = ResourceSpec(kind: resource.kind, handle: template, independent: handle != key, fix: fix)
                // What hangs off the object goes with it.
                spec.storedForCaller = exit.returnedAlsoStored
                specs.append(spec)
            }
            if !specs.isEmpty {
                summary.acquire = AcquireRule(call: name, resources: specs, success: successSigns(function, pack: pack, result))
                summary.acquire?.fromSummary = true
                // A devm_ wrapper: what it returns, it also gave the device to release.
                summary.acquire?.managed = handsToDevres(function, returned: key, pack: pack)
                let acquiring = success.filter { !$0.returned.isEmpty && $0.snapshot.returned?.path == key }
                summary.returnsBits = ReturnedBits.derive(acquiring, returned: key)
            }
        }
        if summary.acquire == nil, let kept = keptInCallerObject(function, result, success: success, calls: calls) {
            summary.acquire = kept
        }
        // A release the function undoes before returning (`sleep` drops and retakes `lk`) is no release.
        func net(_ exit: FunctionAnalysis.ExitRecord) -> Set<ParameterRelease> {
            exit.parameterReleases.filter { release in
                !(exit.snapshot.held + exit.retaken).contains { $0.kind == release.kind && $0.handles.contains(release.key) }
            }
        }
        var common = net(result.exits[0])
        for exit in result.exits.dropFirst() {
            // A void cleanup helper (`demo_cleanup_dev(dev)`) typically guards each release
            // by a null test of the same field: what it releases on some path, it releases.
            // Anything else must release on every path to count.
            if function.returnType.shape == .void { common.formUnion(net(exit)) } else { common.formIntersection(net(exit)) }
        }
        // Skipped only where the handle is no handle (`if (!IS_ERR(state->clock))`): released.
        if function.returnType.shape != .void {
            let some = result.exits.reduce(into: Set<ParameterRelease>()) { $0.formUnion(net($1)) }.subtracting(common)
            common.formUnion(some.filter { ValidityGuards.releasedUnlessInvalid($0, in: function, calls: calls) })
        }
        // A collection is emptied by a loop that may run zero times: any path releasing counts.
        // Not one the function fills itself (`clock_on()` enables each clock of a table and,
        // when one fails, disables those it enabled): its unwind loop releases its own
        // elements, even where the walk loses which (a release past the span's end is read
        // as the caller's), and the caller's would be told the helper drops them. Missed: a
        // helper that frees the caller's entries of a table and then refills the same table
        // (the frees come first, so they are not reached from the refill unless in a loop).
        for exit in result.exits {
            common.formUnion(exit.parameterReleases.filter { $0.key.isCollection })
        }
        // Only a void function's: one that returns a status has its unwind read as what its
        // failure leaves undone (`setup_sgio_components()` maps `list[i].dma_addr` and unmaps
        // them when one fails; without the release, its callers are told the failure leaves
        // the mappings to them).
        if function.returnType.shape == .void {
            let values = singleValues(function, calls: calls)
            let unwound = unwoundCollections(function, calls: calls, values: values)
            // The walk records a release under the name written too (`enc_clk->clk_info[*]…`).
            common = common.filter { release in
                !release.key.isCollection || [release.key, resolved(release.key, values)].allSatisfy {
                    !unwound.contains(Held(kind: release.kind, handle: $0))
                }
            }
        }
        // In the order the body releases them: a caller applies the rules one after the
        // other, and its `release-order` check reads that order (`diolan_free(dev)` puts
        // `dev->usb_dev` and then frees `dev`; sorted by name, `dev` would go first and the
        // caller would be told the helper frees the struct under a live reference).
        let position = releasePositions(function, common, calls: calls)
        // Kind and callee last: a tie left to the set's order made summaries differ from run
        // to run (Swift seeds its hashing per process), and phase 2 take them as changed.
        for release in common.sorted(by: { (position[$0] ?? Int.max, $0.template, $0.kind, $0.call) < (position[$1] ?? Int.max, $1.template, $1.kind, $1.call) }) {
            summary.releases.append(summaryRule(name, release, calls: calls))
        }
        summary.releasesOnFailure = failureReleases(function, result, net: net, except: common, calls: calls)
        summary.transfers += ParameterHandOff.transfers(function, result, declared: summary)
        return summary
    }

    /// `text` with each occurrence of the name `name` that stands alone (not inside a longer
    /// identifier) replaced: the undo `put_device(dev)` of a device returned inside its
    /// object is `put_device(&{ret}->dev)`, not `put_{ret}ice({ret})`.
    static func replacingName(_ name: String, in text: String, with replacement: String) -> String {
        guard !name.isEmpty else { return text }
        func isWord(_ c: Character?) -> Bool { c.map { $0 == "_" || $0.isLetter || $0.isNumber } ?? false }
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: name) {
            let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let standsAlone = !(isWord(name.first) && isWord(before)) && !(isWord(name.last) && isWord(after))
            result += rest[..<range.lowerBound]
            result += standsAlone ? replacement : name
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Whether the body keeps what it returns (`returned`) in a record it hands to the
    /// device's managed resources (`RulePack.devres`): `devm_rproc_alloc()` stores the rproc
    /// it allocates through the `devres_alloc()` record (`*ptr = rproc`) and `devres_add()`s
    /// the record, so its callers must not release what it returns. The store and the call
    /// may be on any path: a wrapper that hands the record over only when asked to
    /// (`if (devm) devres_add(…)`) is taken as always doing so, which loses findings only.
    static func handsToDevres(_ function: Function, returned: AccessPath, pack: RulePack) -> Bool {
        guard !pack.devres.isEmpty else { return false }
        var records: Set<Variable> = []
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee, pack.devres.contains(callee) else { continue }
                // The record is the last argument (`devres_add(dev, ptr)`).
                if let v = call.arguments.last?.path.variable { records.insert(v) }
            }
        }
        guard !records.isEmpty else { return false }
        return function.blocks.contains { block in
            block.statements.contains { statement in
                guard case .assign(let target, let value, _) = statement, let root = target.path.rootVariable,
                      records.contains(root), !target.path.steps.isEmpty else { return false }
                return value.path == returned
            }
        }
    }

    /// What a static `int` helper acquires into its parameter's object and returns holding
    /// on every success, having undone everything on every failure: `exynos_adc_ts_init(info)`
    /// requests `info->tsirq` and returns 0 holding it, or frees what it took and returns the
    /// error. Its callers get it as an acquisition under the parameter's name, so a caller's
    /// later failure that does not free it is reported there.
    ///
    /// Left to other rules: a helper some failure of which still holds something is
    /// `HandedToCaller`'s, for the whole call; locks are `HeldForCaller`'s; what is returned
    /// is the returned-object rule's above. Not for a helper without a failure of its own:
    /// one that cannot fail gives no evidence that it hands over rather than merely prepares.
    /// Not for an exported function: a library's wrapper may hand what it took to devres
    /// (`devm_led_classdev_flash_register_ext()` registers, then `devres_add()`), which
    /// ladder does not read as managing it.
    static func keptInCallerObject(_ function: Function, _ result: FunctionAnalysis.Result,
                                   success: [FunctionAnalysis.ExitRecord], calls: CallSemantics) -> AcquireRule? {
        guard function.isStatic, function.returnType.shape == .signedInteger, let first = success.first else { return nil }
        let errors = result.exits.filter { result.errorExits.isError($0) }
        guard !errors.isEmpty else { return nil }
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        let pack = calls.pack
        func templates(_ resource: HeldResource) -> Set<PathTemplate> {
            Set(resource.handles.compactMap { handle -> PathTemplate? in
                guard case .variable(let root) = handle.root, root.storage == .parameter, isOwnField(handle) else { return nil }
                return PathTemplate(abstracting: handle, parameters: parameters)
            })
        }
        func holds(_ exit: FunctionAnalysis.ExitRecord, _ kind: ResourceKind, _ names: Set<PathTemplate>) -> Bool {
            (exit.snapshot.held + exit.returned).contains { $0.kind == kind && !templates($0).isDisjoint(with: names) }
        }
        // A failure that leaves something in the caller's object is `HandedToCaller`'s to
        // settle with the callers, for the whole call: not an acquisition on success too.
        guard result.heldForCallers.isEmpty, errors.allSatisfy({ exit in
            exit.snapshot.held.allSatisfy { resource in
                !resource.handles.contains { PathTemplate(abstracting: $0, parameters: parameters) != nil }
            }
        }) else { return nil }
        var specs: [ResourceSpec] = []
        for resource in first.snapshot.held where !pack.locks.contains(resource.kind) && !resource.managed {
            // Taken on a value the caller passed (`request_irq(irq, …)` after `t->irq = irq`):
            // the caller names it by that value, not by the field this function also put it in.
            if resource.handles.contains(where: { $0.steps.isEmpty && $0.variable?.storage == .parameter }) { continue }
            let names = templates(resource)
            guard let name = names.sorted(by: { $0.description < $1.description }).first,
                  !first.returned.contains(where: { $0.id == resource.id }),
                  success.allSatisfy({ holds($0, resource.kind, names) }),
                  !errors.contains(where: { holds($0, resource.kind, names) }),
                  !specs.contains(where: { $0.kind == resource.kind && $0.handle == name }) else { continue }
            var spec = ResourceSpec(kind: resource.kind, handle: name, independent: true)
            spec.intoHeldObjectOnly = true
            specs.append(spec)
        }
        guard !specs.isEmpty else { return nil }
        var rule = AcquireRule(call: function.name, resources: specs,
                               success: returnedOnSuccess(function, pack: pack, result, successes: success))
        rule.fromSummary = true
        return rule
    }

    /// `p->field`, `p->a.b`, or the address of one: a field of the object the parameter
    /// points to. Not one reached through a second pointer (`p->priv->clks`), a call
    /// (`dev_get_drvdata(dev)->clk`) or an element: the caller often names those otherwise
    /// (`rk_priv->clks` after `priv->priv = rk_priv`), and a name it does not share reads as
    /// a release it never made.
    static func isOwnField(_ handle: AccessPath) -> Bool {
        guard case .field(_, arrow: true)? = handle.steps.first else { return false }
        for (i, step) in handle.steps.enumerated().dropFirst() {
            switch step {
            case .field(_, arrow: false): continue
            case .addressOf where i == handle.steps.count - 1: continue
            default: return false
            }
        }
        return true
    }

    /// Where each release first happens in the body, counting statements in reverse
    /// postorder (the order the walk visits blocks in): the call to the same callee whose
    /// handle is the release's, else the first call to that callee. Two releases on
    /// different branches are ordered by block rank, which says nothing about their order
    /// at run time; nothing then depends on it, since one path runs only one of them.
    static func releasePositions(_ function: Function, _ releases: Set<ParameterRelease>, calls: CallSemantics) -> [ParameterRelease: Int] {
        guard releases.count > 1 else { return [:] }
        var exact: [ParameterRelease: Int] = [:]
        var throughLocal: [ParameterRelease: Int] = [:]
        var byCallee: [ParameterRelease: Int] = [:]
        let values = singleValues(function, calls: calls)
        // In source order, not the blocks' reverse postorder: that visits a loop's exit before
        // its body, so `for (…) dma_free_coherent(…, q->vas[i], …); vfree(q);` would read
        // as freeing the queue first. Calls at one location (a macro's) keep their block order.
        let sourceOrder = function.blocks.flatMap { block in
            block.statements.compactMap { statement -> Call? in
                if case .call(let call) = statement { call } else { nil }
            }
        }.enumerated().sorted { a, b in
            (a.element.location.line, a.element.location.column, a.offset) < (b.element.location.line, b.element.location.column, b.offset)
        }.map(\.element)
        for (n, call) in sourceOrder.enumerated() {
            guard let callee = call.callee else { continue }
            let rules = calls.releases(callee) ?? []
            for release in releases where release.call == callee {
                // One call's releases in the order its rules list them
                // (`input_unregister_device` drops the registration, then the device).
                let rank = rules.firstIndex { rule in
                    rule.kinds.contains(release.kind) && rule.handle.path(result: call.result, arguments: call.arguments) == release.key
                } ?? rules.firstIndex { $0.kinds.contains(release.kind) } ?? 0
                let at = n * 64 + min(rank, 63)
                if byCallee[release] == nil { byCallee[release] = at }
                guard exact[release] == nil else { continue }
                let handles = rules.compactMap { $0.handle.path(result: call.result, arguments: call.arguments) }
                if handles.contains(release.key) { exact[release] = at }
                // Written through a local that stands for the caller's object (`kfree(dev->buf)`
                // with `dev = container_of(__mptr, …)`, `__mptr = kref`): the name the walk
                // gave it, with each local given one value put in.
                if throughLocal[release] == nil, handles.contains(where: { resolved($0, values) == release.key }) {
                    throughLocal[release] = at
                }
            }
        }
        return exact.merging(throughLocal) { found, _ in found }.merging(byCallee) { found, _ in found }
    }

    /// `path` with its root local's one value put in (`values`: `singleValues`, or an
    /// accessor's locals read in order).
    static func resolved(_ path: AccessPath, _ values: [Variable: AccessPath]) -> AccessPath {
        guard let root = path.rootVariable, let value = values[root] else { return path }
        return path.rebased(on: value)
    }

    /// Locals given one value in the whole body, each with that value's path, the values of
    /// such locals put in (`__mptr = kref; dev = container_of(__mptr, kref)`: `dev` is
    /// `container_of(kref, kref)`). A call's result counts when the call names a place
    /// (`desc = to_demo_desc(&vd->tx)`, an accessor's `returnsPlace` or a pack's `returns`);
    /// any other call's result, or a second value, leaves the local without one.
    static func singleValues(_ function: Function, calls: CallSemantics) -> [Variable: AccessPath] {
        var assigned: [Variable: [AccessPath?]] = [:]
        var order: [Variable] = []
        func give(_ target: Expr, _ value: AccessPath?) {
            guard case .variable(let v) = target.kind, v.storage == .local || v.storage == .temporary else { return }
            if assigned[v] == nil { order.append(v) }
            assigned[v, default: []].append(value)
        }
        for block in function.reversePostorder {
            for statement in function.blocks[block].statements {
                switch statement {
                case .assign(let target, let value, _):
                    give(target, value.path)
                case .call(let call):
                    guard let result = call.result else { continue }
                    let template = call.callee.flatMap(calls.returnedPlace)
                    give(result, template?.path(result: nil, arguments: call.arguments))
                }
            }
        }
        var values: [Variable: AccessPath] = [:]
        for v in order {
            guard let paths = assigned[v], paths.count == 1, let path = paths[0] else { continue }
            if let root = path.rootVariable, root != v, let value = values[root] {
                values[v] = path.rebased(on: value)
            } else if path.rootVariable != v {
                values[v] = path
            }
        }
        return values
    }

    /// The place an accessor returns (`return cqdma->ddev.dev;`, or the kernel's `to_foo(t)`
    /// helpers, `return container_of(t, struct foo, vd.tx);`), as a template. The body is
    /// one block with no call, whose statements only give locals their values (`__mptr = t`,
    /// `vdesc = container_of(__mptr, tx)`: each read with the values before it put in), and
    /// whose return gives a place reached from a parameter (a field, a dereference, an
    /// address, a container; not the parameter's own value, which needs no accessor).
    static func accessedPlace(_ function: Function) -> PathTemplate? {
        guard function.blocks.count == 1, case .return(let value?, _) = function.blocks[0].terminator else { return nil }
        var values: [Variable: AccessPath] = [:]
        for statement in function.blocks[0].statements {
            guard case .assign(let target, let assigned, _) = statement, case .variable(let v) = target.kind,
                  v.storage == .local || v.storage == .temporary else { return nil }
            values[v] = resolved(assigned.path, values)
        }
        let place = resolved(value.path, values)
        // `&ad->rings[i]` would name any ring, not the one asked for.
        guard !place.steps.isEmpty, !place.isCollection, place.rootVariable?.storage == .parameter else { return nil }
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        return PathTemplate(abstracting: place, parameters: parameters)
    }

    struct Held: Hashable { let kind: ResourceKind; let handle: AccessPath }

    /// Tables the function fills itself and releases only in its own unwind: it acquires
    /// under the collection's name (`clk_prepare_enable(pm->clk_info[i].clk)` in a loop:
    /// clk-enable, and clk-prepare with it, `pack.nesting`), and every release of that kind
    /// there can be reached from such an acquisition. An "off" arm of an on/off helper
    /// (`if (!on) { for (…) clk_disable_unprepare(p->clks[i]); return 0; }`) is reached from
    /// none: it releases the caller's.
    static func unwoundCollections(_ function: Function, calls: CallSemantics, values: [Variable: AccessPath]) -> Set<Held> {
        let nesting = calls.pack.nesting
        let group = { (kind: ResourceKind) -> Set<ResourceKind> in nesting.contains(kind) ? nesting : [kind] }
        var acquiring: [Held: [BlockID]] = [:]
        var releasing: [Held: [BlockID]] = [:]
        // Named as the summary's releases are: through locals given one value (`enc_clk =
        // &pm->venc_clk` makes `enc_clk->clk_info[i].vcodec_clk` the caller's
        // `pm->venc_clk.clk_info[*].vcodec_clk`).
        let named = { (path: AccessPath) in resolved(path, values) }
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee else { continue }
                for spec in calls.acquire(callee)?.resources ?? [] {
                    guard let handle = spec.handle.path(result: call.result, arguments: call.arguments).map(named), handle.isCollection else { continue }
                    for kind in group(spec.kind) { acquiring[Held(kind: kind, handle: handle), default: []].append(block.id) }
                }
                for rule in calls.releases(callee) ?? [] {
                    guard let handle = rule.handle.path(result: call.result, arguments: call.arguments).map(named), handle.isCollection else { continue }
                    for kind in rule.kinds { releasing[Held(kind: kind, handle: handle), default: []].append(block.id) }
                }
            }
        }
        return Set(acquiring.filter { held, from in
            (releasing[held] ?? []).allSatisfy { release in from.contains { function.reaches(from: $0, to: release) } }
        }.keys)
    }

    /// The place a pointer-returning helper gives back whenever it succeeds: every return is
    /// a constant (`NULL`), an error value (a call the pack says returns only negative
    /// values: `ERR_PTR(-EBUSY)`), or one and the same place reached from a parameter, through
    /// locals given one value in the whole body (`bridge = to_fpga_bridge(dev); … return
    /// bridge;`) besides constants and error values (`mgr = ERR_PTR(-ENODEV)` when the
    /// module is going: the place is what the local holds wherever it is no error). The
    /// caller's result then names that place where it is not an error, so a
    /// reference held on the parameter goes back inside the returned object. An accessor
    /// with one block is `accessedPlace`; this is the helper that checks before it hands
    /// the object over (a trylock, a module reference).
    static func placeReturnedOnSuccess(_ function: Function, calls: CallSemantics) -> PathTemplate? {
        guard function.returnType.shape == .pointer, function.blocks.count > 1 else { return nil }
        let isErrorValue = { (call: Call) in call.callee.map { calls.pack.resultSigns[$0] == .negative } ?? false }
        // Temporaries holding an error value (`return ERR_PTR(-EBUSY)`).
        var errorValues: Set<Variable> = []
        for block in function.blocks {
            for case .call(let call) in block.statements where isErrorValue(call) {
                guard case .variable(let v)? = call.result?.kind, v.storage == .temporary else { continue }
                errorValues.insert(v)
            }
        }
        // The body without the stores of failure values: what is left gives a local its
        // value on success.
        var successes = function
        for b in successes.blocks.indices {
            successes.blocks[b].statements.removeAll { statement in
                switch statement {
                case .assign(_, let value, _): value.constantValue != nil || value.path.variable.map(errorValues.contains) == true
                case .call(let call): isErrorValue(call)
                }
            }
        }
        let values = singleValues(successes, calls: calls)
        var place: AccessPath?
        for block in function.blocks {
            guard case .return(let value, _) = block.terminator else { continue }
            guard let value else { return nil }
            if value.constantValue != nil { continue }
            if let v = value.path.variable, errorValues.contains(v) { continue }
            let path = resolved(value.path, values)
            // `&ad->rings[i]` would name any ring, not the one asked for.
            guard !path.steps.isEmpty, !path.isCollection, path.rootVariable?.storage == .parameter,
                  place == nil || place == path else { return nil }
            place = path
        }
        guard let place else { return nil }
        // A helper that takes what it returns out of the place (`buf = p->slot; p->slot =
        // NULL; return buf;`) returns a value, not another name for the place.
        for block in function.blocks {
            for case .assign(let target, _, _) in block.statements {
                if let v = target.path.variable, v.storage == .local || v.storage == .temporary { continue }
                if place.mentions(resolved(target.path, values)) { return nil }
            }
        }
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        return PathTemplate(abstracting: place, parameters: parameters)
    }

    /// Parameters the function stores into memory that outlives it, reached from another
    /// parameter or a global (`prev->next = next` in a list-linking helper): the caller's
    /// resource is handed on to that structure.
    ///
    /// A store into a place the function stores into again and never reads
    /// (`UndoneStorePlaces`: `disk.info[idx[0]].b = b`, cleared before returning) is left to
    /// the walked paths (`ParameterHandOff`, `UndoneStore`): only they tell whether the
    /// second store undid it.
    static func storedParameters(_ function: Function) -> [Int] {
        let index = Dictionary(function.parameters.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var stored: Set<Int> = []
        var undoable: UndoneStorePlaces?
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements {
                guard let v = value.variable, v.storage == .parameter, let i = index[v.name],
                      function.parameters[i].type.shape == .pointer,
                      let root = target.rootVariable, root.name != v.name,
                      root.storage == .parameter || root.storage == .global else { continue }
                if case .variable = target.kind { continue }
                if undoable == nil { undoable = UndoneStorePlaces(function) }
                if undoable?.places.contains(UndoneStore.place(of: target)) == true { continue }
                stored.insert(i)
            }
        }
        return stored.sorted()
    }

    /// The release rule a summary gives `function` for one of its parameter releases.
    static func summaryRule(_ function: String, _ release: ParameterRelease, calls: CallSemantics) -> ReleaseRule {
        var rule = ReleaseRule(call: function, kinds: [release.kind], handle: release.template,
                               nullSafe: calls.releases(release.call)?.first?.nullSafe ?? false)
        rule.fromSummary = true
        rule.children = release.children
        return rule
    }

    /// Releases made at every error return and at no success return (`FailureRelease`).
    static func failureReleases(_ function: Function, _ result: FunctionAnalysis.Result,
                                net: (FunctionAnalysis.ExitRecord) -> Set<ParameterRelease>,
                                except always: Set<ParameterRelease>, calls: CallSemantics) -> [FailureRelease] {
        guard function.returnType.shape != .void else { return [] }
        let errors = result.exits.filter { result.errorExits.isError($0) }
        let successes = result.exits.filter { !result.errorExits.isError($0) }
        guard let first = errors.first, !successes.isEmpty else { return [] }
        var onFailure = net(first)
        for exit in errors.dropFirst() { onFailure.formIntersection(net(exit)) }
        for exit in successes { onFailure.subtract(exit.parameterReleases) }
        onFailure.subtract(always)
        let success = returnedOnSuccess(function, pack: calls.pack, result, successes: successes)
        return onFailure.sorted { ($0.template, $0.kind, $0.call) < ($1.template, $1.kind, $1.call) }.map { release in
            FailureRelease(rule: summaryRule(function.name, release, calls: calls), success: success)
        }
    }

    /// What the success returns give (`return 0;`), so that a caller's `if (err)` tells the
    /// failure apart; the return type's convention when some success value is unknown.
    static func returnedOnSuccess(_ function: Function, pack: RulePack, _ result: FunctionAnalysis.Result,
                                  successes: [FunctionAnalysis.ExitRecord]) -> SignSet {
        let given = successes.compactMap(\.value?.signs)
        let convention = successSigns(function, pack: pack, result)
        let union = given.reduce(SignSet()) { $0.union($1) }.intersection(convention)
        return given.count == successes.count && !union.isEmpty ? union : convention
    }

    /// What the function returns when it worked, from its error convention.
    static func successSigns(_ function: Function, pack: RulePack, _ result: FunctionAnalysis.Result) -> SignSet {
        switch function.returnType.shape {
        case .pointer: return SignSet.always.subtracting(pack.convention.pointer)
        case .signedInteger: return .nonNegative
        default: return .nonZero
        }
    }
}

/// How much exploring one function took: what `--stats` ranks to show where time goes.
public struct FunctionCost: Sendable, Hashable, Codable {
    public var function: String
    public var location: SourceLocation
    public var states: Int
}
