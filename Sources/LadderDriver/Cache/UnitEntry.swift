import LadderCore

/// What phase 1 learnt about one translation unit: written once per parse, read by every
/// later run (and every shard) that finds it still valid. The IR itself is a separate blob
/// (`UnitStore.function`), read only when a function must be walked.
struct UnitEntry: Sendable, Codable {
    /// The path as the run names it (what reports say).
    var file: String
    /// Every file the parse read, with the digest of what it held then; the main file too.
    var inclusions: [FileStamp]
    /// In `Analyzer.calleesFirst` order: the order they are checked in.
    var functions: [FunctionRecord]
    /// Names the IR blob: the digest of its functions' digests, in order (`UnitSummarizer.blobDigest`).
    var ir: Digest
    var parseSeconds: Double
    var lowerSeconds: Double
    /// Functions the front end could not lower (`LoadedUnit.errors`): in no record, so
    /// reported from here on every run that uses the entry.
    var loweringErrors: [ProcessingError]
    /// Functions some function of the unit calls by name, and functions whose address its
    /// main file takes (`TranslationUnit.addressTaken`), defined here or not: who can take a
    /// "returns holding" contract over (`ContractSettlement.Callers`). nil: not known.
    var calledByName: [String]? = nil
    var addressTaken: [String]? = nil
    /// The compile error the unit gave, for a unit that did not parse: given again, without
    /// a parse, while every file it read holds the same (xv6-riscv's stale `ramdisk.c`
    /// cost a warm run of the whole kernel a worker process and a quarter of its time).
    var failure: ProcessingError? = nil
}

struct FileStamp: Sendable, Codable, Hashable {
    var path: String
    var digest: Digest
}

/// One function of a unit, enough to decide without its IR whether it must be checked again.
struct FunctionRecord: Sendable, Codable {
    var name: String
    var location: SourceLocation
    var isStatic: Bool
    /// The digest of this function's IR alone.
    var ir: Digest
    /// Where its encoding lies in the unit's IR blob (byte offset, length): decoded alone when
    /// it alone must be walked again.
    var offset: Int
    var length: Int
    /// Every global name it refers to, sorted, each once: the functions it calls, and the
    /// globals it reads (harmless: only names with a summary are looked up).
    var callees: [String]
    /// Static, its address never taken, and called by nothing else in its file
    /// (`CallersInView`): no caller holds a lock it releases. Known only from the whole unit.
    var noCallerInView: Bool
    /// Its check against nothing beyond its own file: phase 1's.
    var local: CheckRecord
}

/// One function checked against given summaries of its callees, and what came of it.
struct CheckRecord: Sendable, Codable, Hashable {
    /// The function's IR and what it saw of each callee (`FileCheck.inputs`): the same
    /// inputs give the same record, so a record is reused whenever they match.
    var inputs: Digest
    var summary: FunctionSummary
    var findings: [Finding]
    var errors: [ProcessingError]
    /// Path states explored, for `--stats`; nil when no path was walked.
    var cost: FunctionCost?
    /// More paths than the budget: covered by the fallback pass (`stats.pathInsensitiveFunctions`).
    var pathInsensitive: Bool
    /// Leaks held back until the callers in the whole database are known, and this
    /// function's calls to such functions (`HeldForCaller`, settled by `CallerAgreement`).
    var heldForCallers: [PendingContract] = []
    var contractUses: [ContractUse] = []

    /// No check: inputs no function's match, an empty summary.
    static let unchecked = CheckRecord(inputs: Digest.of(""), summary: FunctionSummary(), findings: [], errors: [], cost: nil, pathInsensitive: false)
}
