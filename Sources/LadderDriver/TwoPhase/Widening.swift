import LadderCore

/// A function of the database: its unit (in the database's order), and the unit's file and
/// the function's name, for messages. A static name may recur in files. Were one file ever
/// two units (today a database's first entry for a file wins), their functions would be
/// counted apart, so that what one unit's passes change could not depend on when the
/// other's walks finish.
struct FunctionKey: Sendable, Hashable {
    var unit: Int
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
///
/// The flag writes a summary carries (`FlagWrite`) are not widened with the rest: they grow
/// up a call chain one level per round, monotone but slow (the intel drivers' helpers write
/// hundreds of fields through back pointers, and phase 2 gave up on 130 whole summaries for
/// it). A change in the writes alone counts apart; past `changesAllowed` of those, the
/// writes part alone becomes `FlagWrite.anyObject` (any word of any object handed to the
/// function may change: what a call with no summary does to flags), which never changes
/// again, and the acquisitions, releases and contracts stay as computed.
struct Widening: Sendable {
    static let changesAllowed = 4

    private var changes: [FunctionKey: Int] = [:]
    private var writeChanges: [FunctionKey: Int] = [:]
    private(set) var widened: Set<FunctionKey> = []
    private(set) var writesWidened: Set<FunctionKey> = []

    /// The summary callers see of `function`.
    func visible(_ function: FunctionKey, computed: FunctionSummary) -> FunctionSummary {
        if widened.contains(function) { return .top }
        guard writesWidened.contains(function) else { return computed }
        var summary = computed
        summary.writes = [FlagWrite.anyObject]
        return summary
    }

    /// Counts a change of `function`'s summary from `old` to `new` (as callers saw them):
    /// true when this one widens the whole summary.
    mutating func changed(_ function: FunctionKey, from old: FunctionSummary, to new: FunctionSummary) -> Bool {
        var sameButWrites = new
        sameButWrites.writes = old.writes
        guard sameButWrites == old else { return changed(function) }
        guard !writesWidened.contains(function) else { return false }
        writeChanges[function, default: 0] += 1
        if writeChanges[function]! > Self.changesAllowed { writesWidened.insert(function) }
        return false
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
