import Dispatch
import LadderCore

/// One function checked against the summaries of what it calls, or its earlier record kept
/// when what it sees is unchanged. Phase 1 runs it over one unit's functions in
/// `Analyzer.calleesFirst` order, each against its own file alone (`run`); phase 2 runs it
/// over the whole database's functions, callees first (`FixedPoint`). Either way it is what
/// `Analyzer.analyse` does for a whole unit, split so that a function whose inputs are
/// unchanged keeps its earlier record instead of being walked again.
///
/// A function's inputs are its IR and the summary of each callee it sees (`inputs`); the
/// rule pack, the path budget and the ladder build are part of the unit's cache key.
struct FileCheck {
    let analyzer: Analyzer

    struct Outcome {
        var records: [CheckRecord]
        /// Functions walked now rather than reused.
        var analysed = 0
        var seconds = 0.0
        /// Functions whose inputs changed but whose walk was put off (`deferring`).
        var deferred = 0
    }

    /// A unit's functions against nothing beyond the unit (phase 1). A call that closes a
    /// cycle in the file (recursion) reaches a function not yet checked: it is seen as
    /// nothing, and phase 2 settles it.
    func run(file: String, functions records: [FunctionRecord], function: (Int) -> Function?) -> Outcome? {
        let definedHere = Set(records.map(\.name))
        var own: [String: FunctionSummary] = [:]
        var ownDigests: [String: Digest] = [:]
        let sources = FixSources(readingOnDemand: file)
        var outcome = Outcome(records: [])
        outcome.records.reserveCapacity(records.count)
        for (i, record) in records.enumerated() {
            let inputs = Self.inputs(record, definedHere: definedHere) { ownDigests[$0] }
            guard let ir = function(i), ir.name == record.name else { return nil }
            var known = SummaryTable()
            for callee in record.callees { if let summary = own[callee] { known.record(summary, for: callee) } }
            let (checked, seconds) = walk(ir, of: record, file: file, inputs: inputs, known: known, bodies: definedHere, sources: sources)
            outcome.seconds += seconds
            outcome.analysed += 1
            own[record.name] = checked.summary.isEmpty ? nil : checked.summary
            ownDigests[record.name] = checked.summary.isEmpty ? nil : SummaryDigest.of(checked.summary)
            outcome.records.append(checked)
        }
        return outcome
    }

    /// What to do with a function whose inputs are `inputs`: keep a record (`.kept`), keep
    /// its previous one for now (`.deferred`), or walk it.
    ///
    /// `deferring`: a function whose previous walk ran over the path budget keeps its
    /// previous record for now. Its summary was `FunctionSummary.top` and stays so while it
    /// is over the budget, so its callers see the same either way; only its own findings
    /// wait, for a round without deferring (`FixedPoint`). Walking the largest probe
    /// functions of a driver once per round was most of phase 2's time.
    /// So does a function no function of the database names (`nobodyCalls`): a probe, a
    /// `remove`, an interrupt handler, reached only through an ops table. Nobody reads its
    /// summary, so the rounds go the same without its walks, and its findings come from the
    /// one round that walks it with the settled summaries (ixgbe_probe, 38,000 path states
    /// under the budget, was walked in each of nine rounds).
    /// `reuse()`: earlier records, any of which stands if its inputs match.
    enum Step {
        case kept(CheckRecord)
        case deferred(CheckRecord)
        case walk
    }

    func step(inputs: Digest, previous: CheckRecord?, deferring: Bool, nobodyCalls: Bool, reuse: () -> [CheckRecord]) -> Step {
        // Put off before any stored record is reused, so that a run with a warm cache sees
        // the same summaries round by round as one without.
        if deferring, let earlier = previous, earlier.inputs != inputs,
           nobodyCalls || (earlier.summary == .top && (earlier.cost?.states ?? 0) > analyzer.budget) {
            return .deferred(earlier)
        }
        if let kept = reuse().first(where: { $0.inputs == inputs }) { return .kept(kept) }
        return .walk
    }

    /// The walk itself, and its seconds. `ir` must be as the unit's parse annotated it, with
    /// the whole unit (`TranslationUnit.annotated`, in `UnitSummarizer` and `FixedPoint`'s
    /// re-parse): it is not annotated again here, where only the one function is in view.
    /// `bodies`: callees with a body in view, here or in another unit of the run (not opaque).
    func walk(_ ir: Function, of record: FunctionRecord, file: String, inputs: Digest, known: SummaryTable,
              bodies: Set<String>, sources: FixSources) -> (CheckRecord, Double) {
        let start = DispatchTime.now()
        let result = analyzer.analyse(TranslationUnit(file: file, functions: [ir]), known: known,
                                      callers: CallersInView(closed: record.noCallerInView ? [record.name] : []),
                                      bodies: bodies, sources: sources, annotated: true)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return (CheckRecord(inputs: inputs, summary: result.summaries[record.name] ?? FunctionSummary(),
                            findings: result.findings, errors: result.errors,
                            cost: result.costs.first, pathInsensitive: !result.pathInsensitive.isEmpty,
                            heldForCallers: result.heldForCallers[record.name] ?? [],
                            contractUses: result.contractUses[record.name] ?? []), seconds)
    }

    /// The function's IR and, for each name it calls, the summary it sees (none: empty).
    /// A callee defined in the file, or in another unit of the run, is not opaque even when
    /// it does nothing to resources (`CallSemantics.isOpaque`), so where it is defined is an
    /// input too.
    static func inputs(_ record: FunctionRecord, definedHere: Set<String>, definedElsewhere: Set<String> = [],
                       visible: (String) -> Digest?) -> Digest {
        var builder = DigestBuilder()
        builder.add(record.ir)
        builder.add(record.noCallerInView ? "no caller in view" : "")
        builder.add(UInt64(record.callees.count))
        for callee in record.callees {
            builder.add(callee)
            builder.add(visible(callee)?.hex ?? "")
            builder.add(definedHere.contains(callee) ? "defined here" : definedElsewhere.contains(callee) ? "defined in another unit" : "")
        }
        return builder.finish()
    }
}

/// Empty summaries are left out of the inputs rather than digested; whether a callee's body
/// was seen at all is told apart by where it is defined (a function that does nothing to
/// its resources is not one ladder knows nothing about).
enum SummaryDigest {
    static func of(_ summary: FunctionSummary) -> Digest {
        Digest.of(UnitStore.encode(summary))
    }
}
