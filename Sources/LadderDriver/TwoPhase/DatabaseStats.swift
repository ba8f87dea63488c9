/// What the two phases did: for `--stats`, and for the notes a sharded run prints.
public struct DatabaseStats: Sendable, Hashable {
    /// This run's files parsed now, and taken from the cache unchanged.
    public var parsed = 0
    public var reused = 0
    /// Files of other shards whose phase-1 entries the cache held, and did not hold (calls
    /// into those files' functions are unknown to this shard).
    public var otherShardFiles = 0
    public var otherShardFilesMissing = 0
    /// Functions in the database, and those walked again in phase 2 because what they call
    /// was summarised differently from their last check.
    public var functions = 0
    public var rechecked = 0
    /// Phase 2 rounds, and whether the summaries stopped changing within the limit.
    public var rounds = 0
    public var converged = true
    /// Functions whose summaries kept changing and were widened to the top summary
    /// (`Widening`): their callers were checked as if they called something unseen.
    public var widened = 0
    /// Functions whose flag writes alone kept growing and were taken as "any word of any
    /// object handed to them" (`Widening`); the rest of their summaries stands.
    public var writesWidened = 0
    /// External names defined in more than one file (`CallGraph.ambiguous`).
    public var ambiguousNames = 0
    /// Phase 2 was not run: the database is the one an earlier run settled, file for file
    /// and byte for byte, and its outcome was taken from the cache (`SettledRun`).
    public var settledRunReused = false
    /// Whether units were kept in a cache that outlives the run.
    public var persistent = false
    /// The cache's size after trimming, when this run added to it.
    public var cacheBytes: UInt64?

    public init() {}
}
