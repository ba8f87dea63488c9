import LadderCore

/// A function of the database: its file and its name (a static name may recur in files).
struct FunctionKey: Sendable, Hashable {
    var file: String
    var name: String
}

/// What makes phase 2 end. A summary is recomputed from its callees' summaries every round,
/// and that recomputation is not monotone: a callee whose summary appears stops being
/// opaque, a non-void function's releases are those every path makes. So summaries around
/// a cycle of calls can go on changing. Each function may change its summary
/// `changesAllowed` times; the next change widens it to `FunctionSummary.top`, which never
/// changes again. Every round before the last changes some summary, so a run of F
/// functions ends within (`changesAllowed` + 1) × F + 1 rounds; `FixedPoint.maxRounds`
/// stops it sooner, and names what was still changing.
///
/// What widening loses: the top summary makes the function's calls opaque, so its callers
/// report nothing their resources might have gone into it for. A chain of wrappers settles
/// in one change per function and is never widened; only a function whose inputs keep
/// moving is.
struct Widening: Sendable {
    static let changesAllowed = 4

    private var changes: [FunctionKey: Int] = [:]
    private(set) var widened: Set<FunctionKey> = []

    /// The summary callers see of `function`.
    func visible(_ function: FunctionKey, computed: FunctionSummary) -> FunctionSummary {
        widened.contains(function) ? .top : computed
    }

    /// Counts a change of `function`'s summary; true when this one widens it.
    mutating func changed(_ function: FunctionKey) -> Bool {
        guard !widened.contains(function) else { return false }
        changes[function, default: 0] += 1
        guard changes[function]! > Self.changesAllowed else { return false }
        widened.insert(function)
        return true
    }
}
