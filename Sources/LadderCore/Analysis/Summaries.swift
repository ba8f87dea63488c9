/// What a function does to its caller's resources, in rule-pack terms: a wrapper that
/// returns what `kalloc` gave is an acquire; a helper that frees its argument is a release;
/// a helper that links its argument into a list takes it over.
///
/// Plain `Codable` values keyed by function name, so that a later run can keep them on
/// disk and check one file's functions against another file's summaries.
public struct FunctionSummary: Sendable, Hashable, Codable {
    public var acquire: AcquireRule?
    public var releases: [ReleaseRule] = []
    public var transfers: [TransferRule] = []
    /// Locks the function expects held on entry (`LockExpectation`): its callers are
    /// checked against them.
    public var expects: [LockExpectation] = []
    /// Locks it returns holding by its shape alone, not the pack's word (`HeldForCaller`):
    /// its callers' releases confirm the contract.
    public var returnsHolding: [HeldForCaller] = []
    /// Every value its returns give, when each is a constant (`ReturnedConstants`):
    /// `sprd_pwm_config`'s only return is `return 0;`. Empty when any return is not known.
    public var returnsOnly: [Int64] = []
    /// Given up on: the summary kept changing from round to round of a whole-database run
    /// and was widened to this top value, which says nothing and makes its calls opaque
    /// (`CallSemantics.isOpaque`), as a call to a body ladder never saw. A caller then
    /// reports no leak of what it passed in (it may have been kept), no release made there
    /// and no lock expected there: findings lost, none made up. What is still made up is
    /// what any unknown call costs: a lock the callee really dropped looks held after it.
    public var unknown = false
    /// Flag words it may write in memory its caller names (`FlagWrites`): a caller's flag bit
    /// of zero-filled memory stays known across the call when none of them is that bit.
    public var writes: [FlagWrite] = []
    /// Flag bits known in the object it returns together with its acquisition
    /// (`{ret}->match & KMALLOC` set where it returns what it allocated): a caller holding the
    /// acquisition knows them (`ReturnedBits`).
    public var returnsBits: [ReturnedBits] = []
    /// The managed actions it registers (`devm_add_action_or_reset(dev, fn, data)`), with
    /// what it calls before and after each: the device runs them at teardown and when probe
    /// fails, so what they release is undone for a helper called after (`ManagedActions`).
    public var registersActions: [RegisteredAction] = []
    /// What it releases of its caller's only when it fails (`FailureRelease`): the caller
    /// still holds it after a success, and not after a failure.
    public var releasesOnFailure: [FailureRelease] = []
    /// An accessor: every return gives the same place in an argument's object, and the body
    /// calls nothing (`cqdma2dev(cqdma)` returns `cqdma->ddev.dev`). Its result is another
    /// name for that place, as for a pack's `returns`.
    public var returnsPlace: PathTemplate?
    /// A void function's calls through a pointer its parameters reach (`e->ops->destroy(e)`):
    /// a caller that stored the function there calls it too (`BoundCallbacks`).
    public var callsThrough: [CallThrough] = []

    public init(acquire: AcquireRule? = nil, releases: [ReleaseRule] = [], transfers: [TransferRule] = [],
                expects: [LockExpectation] = [], unknown: Bool = false) {
        self.acquire = acquire
        self.releases = releases
        self.transfers = transfers
        self.expects = expects
        self.unknown = unknown
    }

    /// The top of the lattice phase 2 iterates in (`unknown`).
    public static let top = FunctionSummary(unknown: true)

    public var isEmpty: Bool {
        !unknown && acquire == nil && releases.isEmpty && transfers.isEmpty && expects.isEmpty && returnsHolding.isEmpty
            && writes.isEmpty && returnsBits.isEmpty && returnsOnly.isEmpty && registersActions.isEmpty
            && releasesOnFailure.isEmpty && returnsPlace == nil && callsThrough.isEmpty
    }

    /// How deep a summary may name things, counted in steps from the call's result or
    /// argument (`{0}->hw.aq.arq.r.arq_bi[*].va` is 7). Single translation units of Linux
    /// reach 11; this is the backstop that makes the names a summary can use finite.
    public static let maxDepth = 12

    /// The summary without what it names round a cycle of pointers (`PathTemplate.goesRound`)
    /// or deeper than `maxDepth`.
    ///
    /// Why: summaries compose at every call, so recursion through a pointer back to the
    /// parent (`pf->vsi[i]->back` is `pf` again) names a longer path each time round the
    /// call cycle, `{0}->vsi[*]->back->vsi[*]->back->…`, and a whole-database run never
    /// settles (i40e). Each trip round the cycle appends the same steps again, so the
    /// second trip is seen as a repeated run of steps and dropped; what the first trip
    /// named stays.
    ///
    /// What is lost: a dropped acquisition or lock expectation only loses findings. A
    /// dropped release makes one: a caller that holds the very resource it frees, under a
    /// name that deep or that repeats (`head->next->next` of a recursive list free), is told
    /// it leaks it.
    public func bounded() -> FunctionSummary {
        func kept(_ template: PathTemplate) -> Bool { template.depth <= Self.maxDepth && !template.goesRound }
        var result = self
        result.releases.removeAll { !kept($0.handle) }
        result.releasesOnFailure.removeAll { !kept($0.rule.handle) }
        result.expects.removeAll { !kept($0.lock) }
        result.returnsHolding.removeAll { !kept($0.lock) }
        result.callsThrough.removeAll { !kept($0.pointer) || $0.arguments.contains { $0.map { !kept($0) } ?? false } }
        if var acquire = result.acquire {
            acquire.resources.removeAll { !kept($0.handle) }
            result.acquire = acquire.resources.isEmpty ? nil : acquire
        }
        return result
    }
}

extension PathTemplate {
    /// Steps from the hole, through any call the root names (`netdev_priv({0})->vsi` is 2).
    var depth: Int {
        switch root {
        case .result, .argument, .named: steps.count
        case .path(let path): path.steps.count + steps.count
        case .call(_, let inner): 1 + (inner.map(\.depth).max() ?? 0) + steps.count
        }
    }

    /// Whether the steps go twice in a row through the same fields (`->vsi[*]->back` then
    /// `->vsi[*]->back` again, `->next->next`): a walk round a cycle of pointers. A repeated
    /// index alone (`[*][*]`, a two-dimensional array) is no such walk.
    var goesRound: Bool {
        let all: [AccessPath.Step]
        if case .path(let path) = root { all = path.steps + steps } else { all = steps }
        guard all.count >= 2 else { return false }
        for length in 1...(all.count / 2) {
            for start in 0...(all.count - 2 * length) {
                let first = all[start..<start + length]
                guard first.contains(where: { if case .field = $0 { true } else { false } }) else { continue }
                if first.elementsEqual(all[start + length..<start + 2 * length]) { return true }
            }
        }
        return false
    }
}

/// The summaries of the functions analysed so far. Owned by the analyzer, never written
/// into the rule pack: the pack stays what its author declared.
public struct SummaryTable: Sendable, Hashable, Codable {
    public private(set) var entries: [String: FunctionSummary] = [:]

    public init() {}

    public subscript(function: String) -> FunctionSummary? { entries[function] }

    /// Recorded `bounded()`: every summary ladder makes passes through here, so none walks
    /// round a cycle of pointers or names deeper than `FunctionSummary.maxDepth`.
    public mutating func record(_ summary: FunctionSummary, for function: String) {
        let summary = summary.bounded()
        if summary.isEmpty { entries[function] = nil } else { entries[function] = summary }
    }

    /// `other`'s entries added; where both summarise a function, `other` wins.
    public func merging(_ other: SummaryTable) -> SummaryTable {
        var result = self
        result.entries.merge(other.entries) { $1 }
        return result
    }
}

/// What a call does, as the analysis of one function sees it: the pack's declaration when
/// there is one, else the summary of the callee's own body.
public struct CallSemantics: Sendable {
    public var pack: RulePack { _read { yield parts.pack } }
    public var summaries: SummaryTable { _read { yield parts.summaries } }
    /// What must be released before what, read off the pack once.
    public var dependencies: ReleaseDependencies { _read { yield parts.dependencies } }
    /// Functions whose bodies ladder has seen (the translation unit's): a call to one with
    /// no summary does nothing to the caller's resources; any other unknown call might.
    public var bodies: Set<String> { _read { yield parts.bodies } }
    var names: PackNames { _read { yield parts.names } }

    /// Behind one reference: every function's analysis passes it on by value, and a copy
    /// retained each of the pack's collections (a thousand instructions a copy).
    private let parts: Parts

    private final class Parts: Sendable {
        let pack: RulePack
        let summaries: SummaryTable
        let dependencies: ReleaseDependencies
        let bodies: Set<String>
        let names: PackNames

        init(pack: RulePack, summaries: SummaryTable, dependencies: ReleaseDependencies, names: PackNames, bodies: Set<String>) {
            self.pack = pack
            self.summaries = summaries
            self.dependencies = dependencies
            self.names = names
            self.bodies = bodies
        }
    }

    public init(pack: RulePack, summaries: SummaryTable = SummaryTable(), dependencies: ReleaseDependencies? = nil,
                bodies: Set<String> = []) {
        self.init(pack: pack, summaries: summaries, dependencies: dependencies, names: nil, bodies: bodies)
    }

    init(pack: RulePack, summaries: SummaryTable, dependencies: ReleaseDependencies?, names: PackNames?, bodies: Set<String>) {
        parts = Parts(pack: pack, summaries: summaries, dependencies: dependencies ?? ReleaseDependencies(pack),
                      names: names ?? PackNames(pack), bodies: bodies)
    }

    /// Locks a call expects held. A call the pack declares expects nothing of its callers
    /// here: a `retakes` call (`sleep`) hands the lock back, and a pack release is checked
    /// as a release.
    public func expectations(_ callee: String) -> [LockExpectation] {
        guard !declares(callee) else { return [] }
        return summaries[callee]?.expects ?? []
    }

    /// A call ladder knows nothing about: no pack entry of any sort, no summary, no body
    /// seen; or one whose summary was given up on (`FunctionSummary.unknown`). At a success
    /// exit it may have kept what it was given (a registration).
    ///
    /// A `stores` call (`pci_set_drvdata(dev, priv)`) counts as one here although the pack
    /// knows it: it does keep its value, where the caller's device reaches it, and the
    /// analysis records the store only for reading it back, not as a place the caller sees;
    /// taken as known, it made two false leaks in drivers/spi.
    public func isOpaque(_ callee: String) -> Bool {
        if summaries[callee]?.unknown == true { return true }
        if pack.stores[callee] != nil && !declares(callee) { return true }
        // A borrowing call (`snprintf`) keeps nothing, though it may write through what it is
        // given (`memset`): it stays unknown to everything else (`FlagWrites`, `BitFlags`).
        if pack.borrows.contains(callee) || pack.copies.contains(callee) { return false }
        return !packKnows(callee) && summaries[callee] == nil && !bodies.contains(callee)
    }

    /// Whether the pack says anything of the call, under any key: then it does what the pack
    /// says and nothing else (`dev_get_drvdata` reads back, `sleep` drops and retakes).
    public func packKnows(_ callee: String) -> Bool { names.known.contains(callee) }

    public func acquire(_ callee: String) -> AcquireRule? {
        pack.acquires[callee] ?? summaries[callee]?.acquire
    }

    /// The place a call's result names: the pack's `returns` (`get_device: "{0}"`), else an
    /// accessor's summary (`returnsPlace`).
    public func returnedPlace(_ callee: String) -> PathTemplate? {
        pack.returns[callee] ?? summaries[callee]?.returnsPlace
    }

    public func releases(_ callee: String) -> [ReleaseRule]? {
        if let declared = pack.releases[callee] { return declared }
        guard let summarised = summaries[callee]?.releases, !summarised.isEmpty else { return nil }
        return summarised
    }

    /// A summarised callee's releases on its failure only; none for what the pack declares.
    public func releasesOnFailure(_ callee: String) -> [FailureRelease] {
        declares(callee) ? [] : summaries[callee]?.releasesOnFailure ?? []
    }

    public func transfers(_ callee: String) -> [TransferRule]? {
        if let declared = pack.transfers[callee] { return declared }
        guard let summarised = summaries[callee]?.transfers, !summarised.isEmpty else { return nil }
        return summarised
    }

    /// Whether the pack itself declares the call (then no summary replaces it).
    public func declares(_ callee: String) -> Bool { names.declared.contains(callee) }
}

/// The names a pack has entries for, gathered once per analyser: the walk asks of every
/// call whether the pack declares or knows it, and asking each of the pack's tables
/// hashed the name a dozen times.
struct PackNames: Sendable {
    /// Acquired, released, handed on, dropped and retaken, or queried as a lock.
    let declared: Set<String>
    /// Declared, or described any other way (a predicate, a result's sign, pure, …).
    let known: Set<String>

    init(_ pack: RulePack) {
        var declared = Set(pack.acquires.keys)
        declared.formUnion(pack.releases.keys)
        declared.formUnion(pack.transfers.keys)
        declared.formUnion(pack.retakes.keys)
        declared.formUnion(pack.lockQueries.keys)
        var known = declared
        known.formUnion(pack.predicates.keys)
        known.formUnion(pack.resultSigns.keys)
        known.formUnion(pack.pure)
        known.formUnion(pack.derives)
        known.formUnion(pack.identity)
        known.formUnion(pack.noReturn)
        known.formUnion(pack.returns.keys)
        known.formUnion(pack.stores.keys)
        known.formUnion(pack.bits.keys)
        self.declared = declared
        self.known = known
    }
}
