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

    public init(acquire: AcquireRule? = nil, releases: [ReleaseRule] = [], transfers: [TransferRule] = [],
                expects: [LockExpectation] = []) {
        self.acquire = acquire
        self.releases = releases
        self.transfers = transfers
        self.expects = expects
    }

    public var isEmpty: Bool {
        acquire == nil && releases.isEmpty && transfers.isEmpty && expects.isEmpty && returnsHolding.isEmpty
    }
}

/// The summaries of the functions analysed so far. Owned by the analyzer, never written
/// into the rule pack: the pack stays what its author declared.
public struct SummaryTable: Sendable, Hashable, Codable {
    public private(set) var entries: [String: FunctionSummary] = [:]

    public init() {}

    public subscript(function: String) -> FunctionSummary? { entries[function] }

    public mutating func record(_ summary: FunctionSummary, for function: String) {
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
    public let pack: RulePack
    public let summaries: SummaryTable
    /// What must be released before what, read off the pack once.
    public let dependencies: ReleaseDependencies
    /// Functions whose bodies ladder has seen (the translation unit's): a call to one with
    /// no summary does nothing to the caller's resources; any other unknown call might.
    public let bodies: Set<String>

    public init(pack: RulePack, summaries: SummaryTable = SummaryTable(), dependencies: ReleaseDependencies? = nil,
                bodies: Set<String> = []) {
        self.pack = pack
        self.summaries = summaries
        self.dependencies = dependencies ?? ReleaseDependencies(pack)
        self.bodies = bodies
    }

    /// Locks a call expects held. A call the pack declares expects nothing of its callers
    /// here: a `retakes` call (`sleep`) hands the lock back, and a pack release is checked
    /// as a release.
    public func expectations(_ callee: String) -> [LockExpectation] {
        guard !declares(callee) else { return [] }
        return summaries[callee]?.expects ?? []
    }

    /// A call ladder knows nothing about: no pack entry of any sort, no summary, no body
    /// seen. At a success exit it may have kept what it was given (a registration).
    public func isOpaque(_ callee: String) -> Bool {
        !declares(callee) && summaries[callee] == nil && !bodies.contains(callee)
            && pack.predicates[callee] == nil && pack.resultSigns[callee] == nil && !pack.pure.contains(callee)
            && !pack.derives.contains(callee) && !pack.identity.contains(callee) && !pack.noReturn.contains(callee)
    }

    public func acquire(_ callee: String) -> AcquireRule? {
        pack.acquires[callee] ?? summaries[callee]?.acquire
    }

    public func releases(_ callee: String) -> [ReleaseRule]? {
        if let declared = pack.releases[callee] { return declared }
        guard let summarised = summaries[callee]?.releases, !summarised.isEmpty else { return nil }
        return summarised
    }

    public func transfers(_ callee: String) -> [TransferRule]? {
        if let declared = pack.transfers[callee] { return declared }
        guard let summarised = summaries[callee]?.transfers, !summarised.isEmpty else { return nil }
        return summarised
    }

    /// Whether the pack itself declares the call (then no summary replaces it).
    public func declares(_ callee: String) -> Bool {
        pack.acquires[callee] != nil || pack.releases[callee] != nil || pack.transfers[callee] != nil
            || pack.retakes[callee] != nil || pack.lockQueries[callee] != nil
    }
}
