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
/// releases through a helper in another file is not seen; tables built at run time
/// (`ops->open = f`) and positional initialisers are not read.
public struct PairedCallbacks: Sendable {
    let pack: RulePack

    public init(pack: RulePack) { self.pack = pack }

    /// The unit with each callback's `partners` set. A unit without tables (a single
    /// function handed over by a driver, already annotated) is returned as it is.
    public func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        guard let tables = unit.callbackTables, !tables.isEmpty else { return unit }
        let bodies = Dictionary(unit.functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
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
        var result = unit
        for i in result.functions.indices {
            let name = result.functions[i].name
            guard let kinds = kept[name] else { continue }
            result.functions[i].partners = CallbackPartners(kept: kinds.sorted(), keptOnFailure: (keptOnFailure[name] ?? []).sorted(),
                                                            partners: (partners[name] ?? []).sorted())
        }
        return result
    }
}

/// The kinds a function releases and never takes, through its own calls and the unit's
/// functions it calls (each once: recursion ends where it closes).
struct NetReleases {
    let pack: RulePack
    let bodies: [String: Function]

    func of(_ name: String) -> Set<ResourceKind> {
        var released: Set<ResourceKind> = []
        var taken: Set<ResourceKind> = []
        var seen: Set<String> = []
        var work = [name]
        while let next = work.popLast() {
            guard seen.insert(next).inserted, let function = bodies[next] else { continue }
            for block in function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee else { continue }
                    let releases = pack.releases[callee], acquire = pack.acquires[callee]
                    for rule in releases ?? [] { released.formUnion(rule.kinds) }
                    if let acquire { taken.formUnion(acquire.resources.map(\.kind)) }
                    // The pack wins over a body, as it does for summaries.
                    if releases == nil && acquire == nil && bodies[callee] != nil { work.append(callee) }
                }
            }
        }
        return released.subtracting(taken)
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
