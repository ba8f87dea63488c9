/// A pair the tree's error ladders show, with the functions that show it, for review.
public struct PairCandidate: Sendable, Hashable {
    public var pair: MinedPair
    /// The test most of its functions made on the acquire's result.
    public var success: MinedSuccess
    /// The functions that show it (by name; a name defined in two files counts twice).
    public var functions: [String]
    public var support: Int { functions.count }
}

/// Support counting across a tree: a pair counts once per function, however many of the
/// function's paths show it, so one long ladder does not outvote many short ones.
public enum PairCandidates {
    public static func rank(_ mined: [MinedFunction], pack: RulePack, minSupport: Int) -> [PairCandidate] {
        var functions: [MinedPair: [String]] = [:]
        var votes: [MinedPair: [MinedSuccess: Int]] = [:]
        for function in mined {
            for (pair, success) in function.pairs {
                functions[pair, default: []].append(function.function)
                votes[pair, default: [:]][success, default: 0] += 1
            }
        }
        var out: [PairCandidate] = []
        for (pair, names) in functions where names.count >= max(1, minSupport) && !isKnown(pair, in: pack) {
            let tally = votes[pair] ?? [:]
            let success = MinedSuccess.allCases.max { tally[$0, default: 0] < tally[$1, default: 0] } ?? .zero
            out.append(PairCandidate(pair: pair, success: success, functions: names.sorted()))
        }
        return out.sorted { ($1.support, $0.pair) < ($0.support, $1.pair) }
    }

    /// Already in the pack: the acquire's kinds meet the release's, or the acquire is managed
    /// (the framework releases it; a release by hand is the pack's business, not a new pair).
    static func isKnown(_ pair: MinedPair, in pack: RulePack) -> Bool {
        guard let acquire = pack.acquires[pair.acquire] else { return false }
        if acquire.managed { return true }
        let kinds = Set(acquire.resources.map(\.kind))
        return pack.releases[pair.release]?.contains { !kinds.isDisjoint(with: $0.kinds) } ?? false
    }
}
