import Foundation
import LadderDriver

/// What `ladder lint` says on standard error about the two phases: always when a shard is
/// checked without the others' summaries (its findings can differ from an unsharded run's),
/// and with `--stats` where the work went.
enum LintNotes {
    static func printNotes(_ database: DatabaseStats, options: LintOptions) {
        guard options.shard != .whole, options.phase == .all, database.otherShardFilesMissing > 0 else { return }
        let total = database.otherShardFiles + database.otherShardFilesMissing
        let remedy = database.persistent
            ? "run `ladder lint --shard K/\(options.shard.count) --phase summarize --cache DIR` for every shard and share DIR first; see docs/ci.md"
            : "there is no cache to read them from (--no-cache)"
        printError("ladder: note: shard \(options.shard) checked with per-shard summaries: \(database.otherShardFilesMissing) of the other shards' \(total) files have none in the cache (\(remedy)); calls into them are unknown")
    }

    static func printStats(_ database: DatabaseStats, options: LintOptions) {
        var cache = "ladder: phase 1: \(database.parsed) file\(database.parsed == 1 ? "" : "s") parsed, \(database.reused) reused"
        if database.persistent {
            if case .directory(let settings) = options.cache { cache += " from the cache in \(settings.directory)" }
            if let bytes = database.cacheBytes { cache += " (\(megabytes(bytes)) after trimming)" }
        } else {
            cache += " (no cache)"
        }
        if database.otherShardFiles > 0 { cache += "; \(database.otherShardFiles) other shards' files read" }
        printError(cache)
        guard options.phase == .all else { return }
        var check = database.settledRunReused
            ? "ladder: phase 2: nothing changed since a run over the same files: its outcome over \(database.functions) functions taken from the cache"
            : "ladder: phase 2: \(database.rounds) round\(database.rounds == 1 ? "" : "s") over \(database.functions) functions, \(database.rechecked) walked (the others kept a record made with the same summaries)"
        if !database.converged { check += "; summaries still changing when stopped" }
        if database.widened > 0 { check += "; \(database.widened) summaries given up on (kept changing: their calls taken as unseen)" }
        if database.writesWidened > 0 { check += "; \(database.writesWidened) summaries' flag writes taken as any (kept growing)" }
        if database.ambiguousNames > 0 { check += "; \(database.ambiguousNames) names defined in more than one file" }
        printError(check)
    }

    /// The driver's peak, and with file workers the largest any worker reached (each file
    /// is parsed in one, so that is the peak of one file's parse).
    static func printMemory(workers: Bool) {
        var line = "ladder: peak memory \(megabytes(ResourceUsage.peakResidentBytes)) (resident set)"
        if workers, let largest = ResourceUsage.largestChildResidentBytes {
            line += "; largest file worker \(megabytes(largest))"
        }
        printError(line)
    }

    static func megabytes(_ bytes: UInt64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
