import Dispatch
import LadderCore

/// One unit's functions checked one at a time, in `Analyzer.calleesFirst` order, each
/// against the summaries of what it calls: its own file's functions as just worked out,
/// other files' from `ExternTable`. This is what `Analyzer.analyse` does for a whole unit,
/// split so that a function whose inputs are unchanged keeps its earlier record instead of
/// being walked again.
///
/// A call that closes a cycle in the file (recursion) reaches a function not yet checked
/// in this pass: `Analyzer.analyse` knows nothing of it, and neither does phase 1; phase 2
/// passes the previous round's records (`previous`), so recursion settles over rounds.
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

    /// `reuse(i)`: earlier records of function i, any of which stands if its inputs match.
    /// `function(i)`: the IR of function i, asked for only when it must be walked. nil when
    /// that is needed and the IR cannot be had.
    /// `visible(name, summary)`: what callers in the file see of a function whose check
    /// gave `summary` (phase 2 may have widened it, `Widening`).
    /// `deferring`: a function whose previous walk ran over the path budget keeps its
    /// previous record for now. Its summary was `FunctionSummary.top` and stays so while it
    /// is over the budget, so its callers see the same either way; only its own findings
    /// wait, for a round without deferring (`FixedPoint`). Walking the largest probe
    /// functions of a driver once per round was most of phase 2's time.
    /// So does a function no function of the database names (`called`): a probe, a
    /// `remove`, an interrupt handler, reached only through an ops table. Nobody reads its
    /// summary, so the rounds go the same without its walks, and its findings come from the
    /// one round that walks it with the settled summaries (ixgbe_probe, 38,000 path states
    /// under the budget, was walked in each of nine rounds).
    func run(file: String, functions records: [FunctionRecord], externals: ExternTable, previous: [CheckRecord]? = nil,
             deferring: Bool = false, called: Set<String>? = nil,
             visible: (String, FunctionSummary) -> FunctionSummary = { $1 },
             reuse: (Int) -> [CheckRecord], function: (Int) -> Function?) -> Outcome? {
        let definedHere = Set(records.map(\.name))
        var own: [String: FunctionSummary] = [:]
        var ownDigests: [String: Digest] = [:]
        // What the previous round said of each function, for calls that close a cycle.
        if let previous {
            for (record, check) in zip(records, previous) {
                let summary = visible(record.name, check.summary)
                guard !summary.isEmpty else { continue }
                own[record.name] = summary
                ownDigests[record.name] = SummaryDigest.of(summary)
            }
        }
        // The file's text for fixes, read once, when the first function must be walked.
        var sources: FixSources?
        var outcome = Outcome(records: [])
        outcome.records.reserveCapacity(records.count)
        for (i, record) in records.enumerated() {
            let inputs = Self.inputs(record, definedHere: definedHere, definedElsewhere: externals.defined) { callee in
                definedHere.contains(callee) ? ownDigests[callee] : externals.digests[callee]
            }
            // Put off before any stored record is reused, so that a run with a warm cache sees
            // the same summaries round by round as one without.
            var checked: CheckRecord?
            let nobodyCalls = called.map { !$0.contains(record.name) } ?? false
            if deferring, let earlier = previous?[i], earlier.inputs != inputs,
               nobodyCalls || (earlier.summary == .top && (earlier.cost?.states ?? 0) > analyzer.budget) {
                checked = earlier
                outcome.deferred += 1
            } else {
                checked = reuse(i).first { $0.inputs == inputs }
            }
            if checked == nil {
                guard let ir = function(i), ir.name == record.name else { return nil }
                var known = SummaryTable()
                for callee in record.callees {
                    if let summary = definedHere.contains(callee) ? own[callee] : externals.summaries[callee] {
                        known.record(summary, for: callee)
                    }
                }
                let start = DispatchTime.now()
                if sources == nil { sources = FixSources(SourceText.load(file).map { [$0] } ?? []) }
                // Callees with a body in view, here or in another unit of the run: not opaque.
                let bodies = definedHere.union(record.callees.filter(externals.defined.contains))
                let result = analyzer.analyse(TranslationUnit(file: file, functions: [ir]), known: known,
                                              callers: CallersInView(closed: record.noCallerInView ? [record.name] : []),
                                              bodies: bodies, sources: sources!)
                outcome.seconds += Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                outcome.analysed += 1
                checked = CheckRecord(inputs: inputs, summary: result.summaries[record.name] ?? FunctionSummary(),
                                      findings: result.findings, errors: result.errors,
                                      cost: result.costs.first, pathInsensitive: !result.pathInsensitive.isEmpty,
                                      heldForCallers: result.heldForCallers[record.name] ?? [],
                                      contractUses: result.contractUses[record.name] ?? [])
            }
            let summary = visible(record.name, checked!.summary)
            own[record.name] = summary.isEmpty ? nil : summary
            ownDigests[record.name] = summary.isEmpty ? nil : SummaryDigest.of(summary)
            outcome.records.append(checked!)
        }
        return outcome
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
