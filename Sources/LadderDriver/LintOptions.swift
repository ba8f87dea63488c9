import LadderCore
import LadderReport

/// Everything a lint run is asked to do, in one value: what `ladder lint`'s flags say, what
/// an editor sends with a request, what a CI shard runs. Besides the files, the driver
/// reads nothing else (no environment variables), so equal options mean the same run.
///
/// Cancellation is not here: it is a signal during a run, not part of what was asked, and
/// equal options must stay equal (see `LintDriver.run(_:cancellation:)`).
public struct LintOptions: Sendable, Hashable {
    /// Files and directories (walked for `*.c`); with a compile database, the entries to
    /// keep (all when empty). Without one, empty means the current directory.
    public var paths: [String]
    public var compileDatabase: CompileDatabaseChoice
    /// Added to every file's flags (everything after `--` on the command line, and
    /// `--extra-arg`).
    public var clangArguments: [String]
    /// Put before every file's own flags (`--extra-arg-before`), so the file's flags win.
    public var clangArgumentsBefore: [String] = []
    /// `--exclude`: globs of files left out (`Exclusion`).
    public var excludes: [String] = []
    /// Built-in pack names (`xv6`, `linux`) or YAML files, merged in order; empty means
    /// `defaultRulePacks`.
    public var rulePacks: [String]
    /// Files parsed and analysed at the same time, each worker with its own loader.
    public var jobs: Int
    /// Where to stop: benchmarks time the parse or the lowering alone (`LADDER_STAGE`).
    public var stopAfter: LintStage
    /// Path states explored per function before giving up; nil: LadderCore's default.
    public var pathBudget: Int?
    /// A baseline file: its findings are dropped from the report.
    public var baseline: String?
    /// Honour `ladder-ignore` comments and report the invalid and stale ones.
    public var applySuppressions: Bool
    /// An editor's unsaved buffers, by path (as the run names the file, or absolute):
    /// parsed instead of the disk's contents, and read for suppressions too.
    public var unsavedFiles: [String: String]
    /// Which share of the files this run checks.
    public var shard: Shard
    /// The lowest severity that makes the run fail (its exit status).
    public var failOn: FailOn
    /// Findings below this confidence are left out of the report (default: all).
    public var minConfidence: Confidence = .low
    /// `--changed-since`: only findings on these lines (their statement or acquire site).
    public var changedLines: ChangedLines?
    /// A run that did not check everything (a file not loaded, a function not analysed)
    /// exits by its findings instead of as untrusted.
    public var allowIncomplete: Bool
    /// Where units are kept between runs; `.none` keeps them for this run only.
    public var cache: CacheChoice
    /// Both phases, or phase 1 alone (the first step of a sharded CI run).
    public var phase: LintPhase

    public static let defaultRulePacks = ["xv6"]

    public init(paths: [String] = [], compileDatabase: CompileDatabaseChoice = .discover, clangArguments: [String] = [],
                rulePacks: [String] = [], jobs: Int = 1, stopAfter: LintStage = .analyse, pathBudget: Int? = nil,
                baseline: String? = nil, applySuppressions: Bool = true, unsavedFiles: [String: String] = [:],
                shard: Shard = .whole, failOn: FailOn = .error, allowIncomplete: Bool = false,
                cache: CacheChoice = .none, phase: LintPhase = .all) {
        self.paths = paths
        self.compileDatabase = compileDatabase
        self.clangArguments = clangArguments
        self.rulePacks = rulePacks
        self.jobs = max(1, jobs)
        self.stopAfter = stopAfter
        self.pathBudget = pathBudget
        self.baseline = baseline
        self.applySuppressions = applySuppressions
        self.unsavedFiles = unsavedFiles
        self.shard = shard
        self.failOn = failOn
        self.allowIncomplete = allowIncomplete
        self.cache = cache
        self.phase = phase
    }
}

/// Where the files and their flags come from.
public enum CompileDatabaseChoice: Sendable, Hashable {
    /// The paths as given, each parsed with `clangArguments` alone.
    case none
    /// `compile_commands.json` in the current directory or above, when it covers any of the
    /// paths (otherwise it is another tree's, and the paths are parsed as given).
    case discover
    /// This database: a build directory or the file itself. One that cannot be used is an
    /// error, not a silent fallback.
    case at(String)
}

/// The last stage a run goes through. Suppressions and the baseline apply whatever the
/// stage; before `analyse` there is simply nothing for them to act on.
public enum LintStage: String, Sendable, Hashable, CaseIterable {
    case parse, lower, analyse
}
