import LadderClang

/// Where a run keeps what it learnt about each unit between runs (`--cache DIR`).
public struct CacheSettings: Sendable, Hashable {
    /// The cache's root directory; entries go in a versioned directory below it, so a
    /// ladder with another cache format ignores them rather than misreading them.
    public var directory: String
    /// The size the cache is trimmed back under after a run that added to it, least
    /// recently used entries first (`--cache-max-size`).
    public var maxBytes: UInt64
    /// Which ladder wrote an entry (`ToolIdentity`): a rebuilt binary may lower or analyse
    /// differently, so it starts afresh.
    public var toolIdentity: String

    public static let defaultMaxBytes: UInt64 = 2 << 30

    public init(directory: String, maxBytes: UInt64 = CacheSettings.defaultMaxBytes, toolIdentity: String) {
        self.directory = directory
        self.maxBytes = maxBytes
        self.toolIdentity = toolIdentity
    }

    /// `$XDG_CACHE_HOME/ladder`, else `~/.cache/ladder` (the XDG base directory rule); nil
    /// when neither variable is usable. The CLI asks; the driver reads no environment.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/ladder" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/ladder" }
        return nil
    }

    /// `--cache-max-size`: bytes, or a number with K, M or G (powers of 1024).
    public static func parseSize(_ text: String) -> UInt64? {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        guard let last = text.uppercased().last else { return nil }
        if let unit = units[last] {
            return UInt64(text.dropLast()).flatMap { $0.multipliedReportingOverflow(by: unit).overflow ? nil : $0 * unit }
        }
        return UInt64(text)
    }
}

/// Where phase 1's results live during a run.
public enum CacheChoice: Sendable, Hashable {
    /// A private directory for this run alone, removed at its end: phase 2 still reads each
    /// unit's IR back from disk rather than holding every unit's at once.
    case none
    case directory(CacheSettings)
}

/// How far a run goes (`--phase`).
public enum LintPhase: String, Sendable, Hashable, CaseIterable {
    /// Phase 1 alone: parse, lower and summarise the run's files into the cache, report
    /// only the files that could not be used. The first step of a sharded CI run.
    case summarize
    /// Both phases: every function checked against the summaries of everything it calls.
    case all
}

extension ParseOptions {
    /// Inclusions are what a cache checks: a run that keeps nothing need not list them.
    public func forRun(keeping cache: CacheChoice) -> ParseOptions {
        cache == .none ? subtracting(.recordInclusions) : self
    }
}
