/// Paired callbacks: a resource one callback of an ops table takes and its partner in the
/// same table drops is kept on purpose, not leaked. `open` enables the clock `release`
/// disables, `probe` enables runtime PM `remove` disables, `resume` re-enables the PCI
/// device `suspend` disables. Seeing one function at a time, the every-exit rule would call
/// each of those a leak at `open`'s `return 0`.
///
/// The pack lists the field pairs (`callbacks:`); the unit's tables (`CallbackTable`, read by
/// the front end) say which functions fill them. Locks need no pair: a callback whose table
/// holds another that drops a lock it never takes (`.lock`/`.sync_unlock`) keeps that lock at
/// its success returns, whatever the fields are called. A function in an `acquire` field is judged,
/// at its success returns, like one whose contract is to return holding what its partner
/// releases; its error returns are still judged (a failed `probe` is never followed by
/// `remove`), except for pairs whose partner runs after a failure too (`resume`/`suspend`).
///
/// What the partner releases is read off its body and the bodies it calls in the unit,
/// through the pack's release entries, by kind: a kind it both takes and drops (`stop`
/// locking and unlocking its own mutex) is none of the caller's. Limits: kinds, not names
/// (a partner disabling one clock covers every clock the callback keeps); a partner that
/// releases through a helper in another file is not seen; positional initialisers are not
/// read. Tables built at run time (`chip->irq_bus_lock = f`) are read when one function
/// stores two or more of the unit's functions into fields of one object (`storedTables`).
public struct PairedCallbacks: Sendable {
    let pack: RulePack

    public init(pack: RulePack) { self.pack = pack }

    /// The unit with each callback's `partners` set. A unit that records no tables (one
    /// made by hand rather than parsed) is returned as it is.
    public func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        guard let initialised = unit.callbackTables else { return unit }
        let bodies = Dictionary(unit.functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let tables = initialised + Self.storedTables(unit.functions, bodies: bodies)
        let elsewhere = droppedElsewhere(unit.functions, bodies: bodies)
        guard !tables.isEmpty || !elsewhere.isEmpty else { return unit }
        var netReleases: [String: Set<ResourceKind>] = [:]
        func released(by name: String) -> Set<ResourceKind> {
            if let known = netReleases[name] { return known }
            let kinds = NetReleases(pack: pack, bodies: bodies).of(name)
            netReleases[name] = kinds
            return kinds
        }
        var kept: [String: Set<ResourceKind>] = [:]
        var keptOnFailure: [String: Set<ResourceKind>] = [:]
        var partners: [String: Set<String>] = [:]
        for table in tables {
            for pair in pack.callbacks {
                guard let taker = table.entries[pair.acquire], let dropper = table.entries[pair.release],
                      taker != dropper, bodies[taker] != nil else { continue }
                // A partner in view that drops nothing still says who must (`keptOnSuccess`
                // yields to it): the taker gets a note with nothing kept.
                if bodies[dropper] != nil { partners[taker, default: []].insert(dropper) }
                let kinds = released(by: dropper)
                guard !kinds.isEmpty else { continue }
                kept[taker, default: []].formUnion(kinds)
                if pair.keptOnFailure { keptOnFailure[taker, default: []].formUnion(kinds) }
                partners[taker, default: []].insert(dropper)
            }
            // Locks pair by table, not by field name: a table one of whose callbacks drops a
            // lock it never takes (`.sync_unlock`, `.unlock_bus`) is a locking interface, and
            // a lock its other callbacks return holding is that one's to drop.
            let functions = Set(table.entries.values).filter { bodies[$0] != nil }
            for taker in functions {
                for dropper in functions where dropper != taker {
                    let kinds = released(by: dropper).intersection(pack.locks)
                    guard !kinds.isEmpty else { continue }
                    kept[taker, default: []].formUnion(kinds)
                    partners[taker, default: []].insert(dropper)
                }
            }
        }
        Self.inheritByTailCallers(unit.functions, kept: &kept, keptOnFailure: &keptOnFailure, partners: &partners)
        var result = unit
        for i in result.functions.indices {
            let name = result.functions[i].name
            let later = elsewhere[name] ?? []
            guard kept[name] != nil || partners[name] != nil || !later.isEmpty else { continue }
            let kinds = kept[name] ?? []
            result.functions[i].partners = CallbackPartners(kept: kinds.sorted(), keptOnFailure: (keptOnFailure[name] ?? []).sorted(),
                                                            partners: (partners[name] ?? []).sorted(), droppedElsewhere: later.sorted())
        }
        return result
    }

    /// For each function of the unit, the places of kinds someone may keep (locks not in
    /// `RulePack.neverKept`: runtime-PM references, semaphores) that another function of the
    /// unit drops and never takes (`NetReleases.places`), as written there. Only a unit with
    /// a release of such a kind pays for reading every body.
    func droppedElsewhere(_ functions: [Function], bodies: [String: Function]) -> [String: Set<DroppedPlace>] {
        let keepable = pack.locks.subtracting(pack.neverKept)
        guard !keepable.isEmpty else { return [:] }
        let releasing = functions.filter { function in
            function.blocks.contains { block in
                block.statements.contains { statement in
                    guard case .call(let call) = statement, let callee = call.callee else { return false }
                    return (pack.releases[callee] ?? []).contains { !keepable.isDisjoint(with: $0.kinds) }
                }
            }
        }
        guard !releasing.isEmpty else { return [:] }
        // Read where a release is written: a function that also takes the place, itself or
        // through the unit's functions it calls, nets nothing (`NetReleases`). Their callers
        // add no place (a `set_stream` calling both `start` and `stop` drops nothing net),
        // so they are not walked.
        var droppers: [DroppedPlace: Set<String>] = [:]
        let net = NetReleases(pack: pack, bodies: bodies)
        for function in releasing {
            for place in net.places(of: function.name) where keepable.contains(place.kind) {
                droppers[place, default: []].insert(function.name)
            }
        }
        guard !droppers.isEmpty else { return [:] }
        var result: [String: Set<DroppedPlace>] = [:]
        for function in functions {
            for (place, names) in droppers where !names.subtracting([function.name]).isEmpty {
                result[function.name, default: []].insert(place)
            }
        }
        return result
    }
}

extension PairedCallbacks {
    /// A static helper that is a callback's whole body (`igb_resume` and `igb_runtime_resume`
    /// both `return __igb_resume(dev, …)`) is judged as the callbacks are: when every call to
    /// it in the unit is a callback's `return helper(…)`, it keeps what any of them keeps.
    /// A helper something else also calls, or whose result a caller goes on from, is judged
    /// on its own.
    static func inheritByTailCallers(_ functions: [Function], kept: inout [String: Set<ResourceKind>],
                                     keptOnFailure: inout [String: Set<ResourceKind>], partners: inout [String: Set<String>]) {
        var calls: [String: [(caller: String, tail: Bool)]] = [:]
        for function in functions {
            for block in function.blocks {
                for (index, statement) in block.statements.enumerated() {
                    guard case .call(let call) = statement, let callee = call.callee, callee != function.name else { continue }
                    var tail = false
                    if index == block.statements.count - 1, let result = call.result,
                       case .return(let value?, _) = block.terminator, value.path == result.path {
                        tail = true
                    }
                    calls[callee, default: []].append((function.name, tail))
                }
            }
        }
        // To a fixed point: a callback's helper's own tail-called helper inherits in turn.
        var changed = true
        while changed {
            changed = false
            for helper in functions where helper.isStatic && kept[helper.name] == nil {
                guard let uses = calls[helper.name], !uses.isEmpty,
                      uses.allSatisfy({ $0.tail && kept[$0.caller] != nil }) else { continue }
                for use in uses {
                    kept[helper.name, default: []].formUnion(kept[use.caller] ?? [])
                    if let kinds = keptOnFailure[use.caller] { keptOnFailure[helper.name, default: []].formUnion(kinds) }
                    partners[helper.name, default: []].formUnion(partners[use.caller] ?? [])
                }
                changed = true
            }
        }
    }

    /// Tables filled at run time: the unit's functions stored into sibling fields of one
    /// object by one function (`chip->irq_bus_lock = foo_lock; chip->irq_bus_sync_unlock =
    /// foo_sync_unlock` in `probe`). The framework calls them as it calls an initialised
    /// table's, so they pair by the same rules. Only stores of a function's own name are
    /// read (not a function pointer copied from elsewhere), and only into fields of the same
    /// object path in the same function; a path that names another object in each store
    /// (`chips[i]`) is one object here.
    static func storedTables(_ functions: [Function], bodies: [String: Function]) -> [CallbackTable] {
        var tables: [CallbackTable] = []
        for function in functions {
            var byObject: [AccessPath: (location: SourceLocation, entries: [String: String])] = [:]
            for block in function.blocks {
                for case .assign(let target, let value, let location) in block.statements {
                    guard case .member(let base, let field, _) = target.kind, let name = functionName(value),
                          bodies[name] != nil else { continue }
                    byObject[base.path, default: (location, [:])].entries[field] = name
                }
            }
            for (_, table) in byObject where table.entries.count > 1 {
                tables.append(CallbackTable(location: table.location, entries: table.entries))
            }
        }
        return tables.sorted { $0.location < $1.location }
    }

    /// The function a stored value names: `foo` or `&foo`.
    private static func functionName(_ value: Expr) -> String? {
        switch value.kind {
        case .variable(let v) where v.storage == .global: v.name
        case .addressOf(let inner): functionName(inner)
        default: nil
        }
    }
}

/// The kinds a function releases and never takes, through its own calls and the unit's
/// functions it calls (each once: recursion ends where it closes). Compared by place, not
/// only by kind: a bus-sync-unlock that takes and drops the bus's own mutex around its
/// writes still drops the bus-lock mutex it never took (`adnp_irq_bus_unlock`).
struct NetReleases {
    let pack: RulePack
    let bodies: [String: Function]

    private struct Place: Hashable {
        var kind: ResourceKind
        var handle: AccessPath?
    }

    func of(_ name: String) -> Set<ResourceKind> {
        Set(net(name).map(\.kind))
    }

    /// The places (kind, and the name as written) the function drops and never takes.
    func places(of name: String) -> Set<DroppedPlace> {
        Set(net(name).compactMap { place in place.handle.map { DroppedPlace(kind: place.kind, handle: $0.description) } })
    }

    private func net(_ name: String) -> Set<Place> {
        var released: Set<Place> = []
        var taken: Set<Place> = []
        var seen: Set<String> = []
        var work = [name]
        while let next = work.popLast() {
            guard seen.insert(next).inserted, let function = bodies[next] else { continue }
            for block in function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee else { continue }
                    let releases = pack.releases[callee], acquire = pack.acquires[callee]
                    for rule in releases ?? [] {
                        let handle = rule.handle.path(result: call.result, arguments: call.arguments)
                        for kind in rule.kinds { released.insert(Place(kind: kind, handle: handle)) }
                    }
                    for spec in acquire?.resources ?? [] {
                        taken.insert(Place(kind: spec.kind, handle: spec.handle.path(result: call.result, arguments: call.arguments)))
                    }
                    // The pack wins over a body, as it does for summaries.
                    if releases == nil && acquire == nil && bodies[callee] != nil { work.append(callee) }
                }
            }
        }
        // A place taken under a name ladder could not spell (nil) takes the whole kind.
        let takenAnywhere = Set(taken.filter { $0.handle == nil }.map(\.kind))
        return released.subtracting(taken).filter { !takenAnywhere.contains($0.kind) }
    }
}

extension Transfer {
    /// An error exit of a callback whose partner runs after a failure too (`resume`): what
    /// the partner drops is left out, unless the function itself releases that kind
    /// somewhere, which shows it means to unwind it (a resume that disables one clock when
    /// the next fails must disable the regulator it enabled before them too).
    func keptForPartner(atErrorExit snapshot: ExitSnapshot) -> ExitSnapshot {
        guard let partners = function.partners, !partners.keptOnFailure.isEmpty else { return snapshot }
        let unwound = kindsReleasedHere
        let kept = Set(partners.keptOnFailure).subtracting(unwound)
        guard !kept.isEmpty else { return snapshot }
        var result = snapshot
        result.held.removeAll { kept.contains($0.kind) }
        return result
    }

    /// Every kind a release in this function's body drops, through the pack or a summary.
    var kindsReleasedHere: Set<ResourceKind> {
        var kinds: Set<ResourceKind> = []
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee else { continue }
                for rule in calls.releases(callee) ?? [] { kinds.formUnion(rule.kinds) }
            }
        }
        return kinds
    }
}
