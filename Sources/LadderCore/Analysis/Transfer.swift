/// The effect of each statement, branch and return on a `PathState`.
struct Transfer {
    let function: Function
    let pack: RulePack
    let parameters: Set<String>
    /// `kind|key` for every handle some acquisition in this function can produce: a
    /// release of one of these on a path that never acquired it is a wrong rung.
    let acquirable: Set<String>
    /// Statement positions numbered once, so resource ids are stable per site.
    let siteIDs: [SourceLocation: Int]
    /// Keys some branch tests: the only values worth knowing (fewer facts, fewer states).
    let relevant: Set<String>
    /// Collections (`argv[*]`) that some release in the function empties, in a loop.
    let releasedCollections: Set<String>
    /// Temporaries holding an identity call's result, and the argument they stand for.
    let identities: [Variable: Expr]
    /// Some call acquires, releases or takes over a resource.
    let touchesResources: Bool

    enum Outcome { case continues, pathEnds }

    init(function: Function, pack: RulePack) {
        var identities: [Variable: Expr] = [:]
        var touches = false
        for block in function.blocks {
            for case .call(let call) in block.statements {
                if let callee = call.callee,
                   pack.acquires[callee] != nil || pack.releases[callee] != nil || pack.transfers[callee] != nil {
                    touches = true
                }
                if let callee = call.callee, pack.identity.contains(callee), let v = call.result?.variable,
                   v.storage == .temporary, let first = call.arguments.first {
                    identities[v] = first
                }
            }
        }
        var function = function
        if !identities.isEmpty { function.blocks = function.blocks.map { Transfer.resolve($0, identities) } }
        self.identities = identities
        touchesResources = touches
        self.function = function
        self.pack = pack
        parameters = Set(function.parameters.map(\.name))
        var acquirable: Set<String> = []
        var ids: [SourceLocation: Int] = [:]
        for block in function.blocks {
            for case .call(let call) in block.statements {
                if ids[call.location] == nil { ids[call.location] = ids.count }
                guard let callee = call.callee, let rule = pack.acquires[callee] else { continue }
                if let root = call.result?.rootVariable, root.storage == .parameter || root.storage == .global { continue }
                for spec in rule.resources {
                    if let key = spec.handle.fill(result: call.result, arguments: call.arguments, render: \.key) {
                        acquirable.insert(spec.kind + "|" + Keys.normalise(key))
                        if let lo = rule.range?.resolve(call.arguments).lo {
                            acquirable.insert(spec.kind + "|" + Keys.normalise(key) + "@" + String(lo))
                        }
                    }
                }
            }
        }
        self.acquirable = acquirable
        siteIDs = ids
        var relevant: Set<String> = []
        var releasedCollections: Set<String> = []
        for block in function.blocks {
            if case .branch(let condition, _, _, _) = block.terminator, let (key, _, _) = Self.constraint(condition) {
                relevant.insert(key)
            }
            // What is returned decides whether an exit is an error exit.
            if case .return(let value?, _) = block.terminator { relevant.insert(value.key) }
            for case .call(let call) in block.statements {
                guard let callee = call.callee else { continue }
                for rule in pack.releases[callee] ?? [] {
                    if case .whenArgumentNonZero(let i) = rule.freesContents, i < call.arguments.count {
                        relevant.insert(call.arguments[i].key)
                    }
                    if let key = rule.handle.fill(result: call.result, arguments: call.arguments, render: \.key).map(Keys.normalise) {
                        relevant.insert(key)
                        if Keys.isCollection(key) { releasedCollections.insert(key) }
                    }
                }
            }
        }
        // Predicates and copies feed branches through temporaries: keep what flows in.
        var grew = true
        while grew {
            grew = false
            for block in function.blocks {
                for statement in block.statements {
                    switch statement {
                    case .assign(let target, let value, _) where relevant.contains(target.key):
                        if !relevant.contains(value.key) { relevant.insert(value.key); grew = true }
                    case .call(let call):
                        guard let callee = call.callee, let result = call.result, relevant.contains(result.key),
                              let predicate = pack.predicates[callee], predicate.argument < call.arguments.count else { continue }
                        if !relevant.contains(call.arguments[predicate.argument].key) {
                            relevant.insert(call.arguments[predicate.argument].key)
                            grew = true
                        }
                    default: break
                    }
                }
            }
        }
        self.relevant = relevant.filter { !Keys.isCollection($0) }
        self.releasedCollections = releasedCollections
    }

    /// Replaces identity temporaries in call arguments by what they stand for.
    static func resolve(_ block: Block, _ identities: [Variable: Expr]) -> Block {
        var block = block
        block.statements = block.statements.map { statement in
            guard case .call(var call) = statement else { return statement }
            call.arguments = call.arguments.map { argument in
                if let v = argument.variable, let original = identities[v] { original } else { argument }
            }
            return .call(call)
        }
        return block
    }

    // MARK: Statements

    func apply(_ statement: Statement, to state: inout PathState, steps: inout [PathStep], events: inout [AnalysisEvent]) -> Outcome {
        switch statement {
        case .assign(let target, let value, _):
            assign(target: target, value: value, in: &state)
            return .continues
        case .call(let call):
            return apply(call, to: &state, steps: &steps, events: &events)
        }
    }

    func apply(_ call: Call, to state: inout PathState, steps: inout [PathStep], events: inout [AnalysisEvent]) -> Outcome {
        guard let callee = call.callee else {
            if let result = call.result { forget(result.key, in: &state) }
            return .continues
        }
        if let releases = pack.releases[callee] {
            // One call, one root cause: of the problems its parts find (`iunlockput` drops
            // a lock and a reference), report the one about the object, listed last.
            // Rules merged from several packs are alternatives (xv6's and Linux's `kfree`):
            // a release is a problem only if it is one under every pack.
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
        // The result's old meaning goes before anything waits on its new value.
        if let result = call.result { forget(result.key, in: &state) }
        if let transfers = pack.transfers[callee] {
            for rule in transfers { transfer(rule, call: call, in: &state) }
        }
        if let result = call.result {
            let key = result.key
            if let predicate = pack.predicates[callee], predicate.argument < call.arguments.count {
                state.predicates[key] = PredicateLink(argument: call.arguments[predicate.argument].key, whenTrue: predicate.whenTrue)
            }
            if let signs = pack.resultSigns[callee], relevant.contains(key) {
                state.facts[key] = ValueFact(signs: signs, exact: nil)
            }
        }
        if let rule = pack.acquires[callee] {
            acquire(rule, call: call, in: &state, steps: &steps)
        }
        if call.isNoReturn || pack.noReturn.contains(callee) { return .pathEnds }
        return .continues
    }

    /// A variable gets a new value: facts about it and names that used it go stale.
    /// Array elements are a collection: storing into one does not change what the others are.
    func forget(_ key: String, in state: inout PathState) {
        guard !Keys.isCollection(key) else { return }
        let stale: (String) -> Bool = { $0 == key || Keys.mentions($0, key) }
        state.facts = state.facts.filter { !stale($0.key) }
        state.predicates = state.predicates.filter { !stale($0.key) && !stale($0.value.argument) }
        state.handedOn = state.handedOn.filter { !stale($0) }
        for i in state.held.indices {
            state.held[i].handles.removeAll(where: stale)
            // An outcome that was never checked before its variable changed: assume success.
            if let pending = state.held[i].pending, stale(pending.variable) { state.held[i].pending = nil }
            if let outcome = state.held[i].pendingTransfer?.outcome, stale(outcome.variable) {
                state.held[i].pendingTransfer?.outcome = nil
            }
        }
        for i in state.released.indices where state.released[i].handles.contains(where: stale) {
            state.released[i].handles.removeAll(where: stale)
        }
        state.released.removeAll { $0.handles.isEmpty }
        for i in state.failed.indices where state.failed[i].handles.contains(where: stale) {
            state.failed[i].handles.removeAll(where: stale)
        }
        state.failed.removeAll { $0.handles.isEmpty }
    }

    func assign(target: Expr, value: Expr, in state: inout PathState) {
        let key = target.key
        let valueKey = value.key
        let fact: ValueFact = value.constantValue.map(ValueFact.constant) ?? state.facts[valueKey] ?? .unknown
        let link = state.predicates[valueKey]
        // The resources the value names, before the target's old meaning is dropped.
        let flowing = value.valueVariables.map(\.name)
        let named = state.held.indices.filter { i in
            state.held[i].handles.contains(valueKey) || flowing.contains { state.held[i].handles.contains($0) }
        }
        let ids = named.map { state.held[$0].id }
        forget(key, in: &state)
        if fact != .unknown, relevant.contains(key) { state.facts[key] = fact }
        if let link { state.predicates[key] = link }
        guard !ids.isEmpty else { return }
        if staysLocal(target, state: state) {
            for i in state.held.indices where ids.contains(state.held[i].id) && !state.held[i].handles.contains(key) {
                state.held[i].handles.append(key)
            }
        } else {
            // Stored somewhere that outlives the call: no longer the caller's to release.
            // A lock is not an object: storing its handle does not hand the lock on.
            state.held.removeAll { ids.contains($0.id) && !pack.locks.contains($0.kind) }
        }
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
                // resource (`priv->buf = kmalloc(…)` stays with `priv`).
                return state.held.contains { $0.handles.contains(root.name) }
            }
        case .parameter:
            // An out-parameter (`*f0 = filealloc()`) reaches the caller only on success: on
            // an error exit the function must still release it.
            if case .deref(let inner) = target.kind, inner.variable != nil { return true }
            return false
        case .global:
            return false
        }
    }

    // MARK: Acquisitions

    func acquire(_ rule: AcquireRule, call: Call, in state: inout PathState, steps: inout [PathStep]) {
        let site = siteIDs[call.location] ?? 0
        let outcome: HeldResource.Outcome? = rule.success == .always ? nil : call.result.map {
            HeldResource.Outcome(variable: $0.key, success: rule.success)
        }
        if rule.success != .always && call.result == nil { return }  // result ignored: nothing to follow
        var newIDs: [Int] = []
        for (index, spec) in rule.resources.enumerated() {
            guard let rawKey = spec.handle.fill(result: call.result, arguments: call.arguments, render: \.key) else { continue }
            let key = Keys.normalise(rawKey)
            // An acquisition stored straight into a parameter's or a global's field is
            // handed on at once (`p->trapframe = kalloc()`).
            if let result = call.result, spec.handle.single == .result, !staysLocal(result, state: state) { continue }
            let id = site * 8 + index
            let text = spec.handle.fill(result: call.result, arguments: call.arguments, render: \.text) ?? key
            var dependsOn: Set<Int> = []
            if !spec.independent {
                var related = [Keys.root(key)]
                for i in rule.dependsOn where i < call.arguments.count {
                    let argument = call.arguments[i]
                    related.append(argument.key)
                    if let root = argument.rootVariable { related.append(root.name) }
                }
                for held in state.held where held.id != id && held.handles.contains(where: related.contains) {
                    dependsOn.insert(held.id)
                }
                for enclosure in pack.enclosures where enclosure.inner.contains(spec.kind) {
                    for held in state.held where held.kind == enclosure.outer { dependsOn.insert(held.id) }
                }
            }
            // `release_firmware(*{0})` with `&fw` reads `release_firmware(fw)`.
            let fix = spec.fix?.fill(result: call.result, arguments: call.arguments, render: \.text)?
                .replacingOccurrences(of: "*&", with: "")
            if let existing = state.held.firstIndex(where: { $0.id == id }) {
                // Re-acquired at the same site (a loop) while the previous one is held: the
                // previous one becomes "older", and older ones merge into one, so loops converge.
                retire(at: existing, in: &state)
            }
            state.held.append(HeldResource(
                id: id, kind: spec.kind, handles: [key], handleText: text, acquiredBy: rule.call, site: call.location,
                fix: fix, dependsOn: dependsOn, contents: [], pending: outcome, pendingTransfer: nil, lastGoto: nil,
                managed: rule.managed, range: rule.range?.resolve(call.arguments)))
            newIDs.append(id)
            state.failed.removeAll { $0.handles.contains(key) && $0.kind == spec.kind }
        }
        guard let holder = newIDs.first else { return }
        for index in rule.takes where index < call.arguments.count {
            let key = call.arguments[index].key
            for i in state.held.indices where state.held[i].handles.contains(key) && !newIDs.contains(state.held[i].id) {
                state.held[i].pendingTransfer = HeldResource.Transfer(into: holder, outcome: outcome)
            }
        }
        settleTransfers(in: &state)
        if outcome == nil {
            steps.append(PathStep(location: call.location, message: "\(rule.call)() acquires \(state.held.last?.kind ?? "a resource")"))
        }
    }

    /// Older instances of a loop's acquisition share one id; their handles and contents merge.
    func retire(at index: Int, in state: inout PathState) {
        var resource = state.held.remove(at: index)
        let olderID = resource.id | HeldResource.olderFlag
        resource.id = olderID
        if let o = state.held.firstIndex(where: { $0.id == olderID }) {
            for handle in resource.handles where !state.held[o].handles.contains(handle) { state.held[o].handles.append(handle) }
            for content in resource.contents where !state.held[o].contents.contains(where: { $0.id == content.id }) {
                state.held[o].contents.append(content)
            }
            state.held[o].handles.sort()
        } else {
            state.held.insert(resource, at: index)
        }
        for i in state.held.indices where state.held[i].dependsOn.contains(olderID & ~HeldResource.olderFlag) {
            state.held[i].dependsOn.insert(olderID)
        }
    }

    func transfer(_ rule: TransferRule, call: Call, in state: inout PathState) {
        guard rule.argument < call.arguments.count else { return }
        let key = call.arguments[rule.argument].key
        let outcome: HeldResource.Outcome? = rule.success == .always ? nil : call.result.map {
            HeldResource.Outcome(variable: $0.key, success: rule.success)
        }
        // `list_add(&e->node, head)` hands on `e`, whose member it links.
        let root = call.arguments[rule.argument].rootVariable?.name
        for i in state.held.indices where state.held[i].handles.contains(key) || (root.map(state.held[i].handles.contains) ?? false) {
            state.held[i].pendingTransfer = HeldResource.Transfer(into: nil, outcome: outcome)
        }
        state.handedOn.insert(key)
        settleTransfers(in: &state)
    }

    /// Carries out transfers whose condition is met (or that had none).
    func settleTransfers(in state: inout PathState) {
        while let i = state.held.firstIndex(where: { $0.pendingTransfer != nil && $0.pendingTransfer!.outcome == nil }) {
            var moved = state.held.remove(at: i)
            let into = moved.pendingTransfer!.into
            moved.pendingTransfer = nil
            if let into, let j = state.held.firstIndex(where: { $0.id == into }) {
                state.held[j].contents.removeAll { $0.id == moved.id }
                state.held[j].contents.append(moved)
            }
        }
    }
}
