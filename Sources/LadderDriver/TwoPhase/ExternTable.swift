import LadderCore

/// The summaries a file sees of functions defined in other files: every function with
/// external linkage in the database, by name. Static functions stay in their file.
///
/// A name defined in several files (two drivers built into different modules, or variants
/// for different configurations) takes the summary of the first of them in path order:
/// fixed, whichever shard or worker got there first, but a guess: the linker would pick
/// by what is built together, which a compile database does not say.
struct ExternTable: Sendable {
    private(set) var summaries: [String: FunctionSummary] = [:]
    private(set) var digests: [String: Digest] = [:]
    /// Every name defined (with external linkage) by a unit of the run, empty summary or
    /// not: a call to one of them is a call to a body ladder has seen, which does nothing to
    /// the caller's resources when its summary is empty. Without this, `bwrite(b)` in
    /// another file looked like a call that might keep `b`, and no caller that forgot
    /// `brelse(b)` after it was told (`CallSemantics.isOpaque`).
    private(set) var defined: Set<String> = []
    /// Names defined with external linkage in more than one file.
    private(set) var ambiguous = 0

    static let empty = ExternTable()

    /// `units` in the database's fixed order; each with its functions and their summaries.
    init(_ units: [(functions: [FunctionRecord], summaries: [FunctionSummary])]) {
        var seen: Set<String> = []
        for unit in units {
            for (record, summary) in zip(unit.functions, unit.summaries) where !record.isStatic {
                guard seen.insert(record.name).inserted else { ambiguous += 1; continue }
                defined.insert(record.name)
                guard !summary.isEmpty else { continue }
                summaries[record.name] = summary
                digests[record.name] = SummaryDigest.of(summary)
            }
        }
    }

    private init() {}
}

/// Empty summaries are left out of tables rather than digested; whether a callee's body was
/// seen at all is told apart by `ExternTable.defined` (a function that does nothing to its
/// resources is not one ladder knows nothing about).
enum SummaryDigest {
    static func of(_ summary: FunctionSummary) -> Digest {
        Digest.of(UnitStore.encode(summary))
    }
}
