import Foundation
import LadderClang
import LadderCore

/// Phase 2: every function of the database checked against the summaries of what it calls
/// in any file, callees first (`CallGraph.levels`), so that each is walked once, against
/// what its callees settled on. A cycle of calls (recursion) is checked again, pass after
/// pass, until none of its members' summaries changes, before any level after it. A second
/// round makes the walks the first put off (`FileCheck.step`).
///
/// The order is a function of the database alone, and so is every check's input: the
/// functions of a level, checked on several threads, read only the summaries of earlier
/// levels and, within a cycle, those of the pass before. That is what makes a sharded run,
/// whose shards each compute the same walks over the same database, report exactly what an
/// unsharded one does.
///
/// Walks were in Jacobi rounds before (every unit against the round before's summaries): a
/// summary reached its callers one round per call, and real xv6-riscv's 195 functions took
/// 243 walks over five rounds after phase 1's 195. Now they take 200, and phase 1 walks none.
///
/// A function whose inputs are unchanged keeps its record (`FileCheck`), and needs its IR
/// only when it must be walked.
struct FixedPoint {
    /// Enough for cycles of calls to settle. Summaries cannot grow for ever
    /// (`FunctionSummary.bounded`) nor flip for ever (`Widening`), so a run stops by itself;
    /// this is the cap on how long, and what still changed at it is reported.
    static let maxRounds = 12

    struct Unit: Sendable {
        var command: CompileCommand
        var key: Digest
        var entry: UnitEntry
        /// The latest record of each function, in `entry.functions` order (`.unchecked` before
        /// phase 2's first walk of it).
        var current: [CheckRecord]
        var analyseSeconds = 0.0
        var problems: [ProcessingError] = []
        /// A round could not check it (its IR gone and no parse to the same functions, or the
        /// run cancelled): its records are no outcome of the rounds, to keep or to reuse.
        var missedRound = false
        /// Per function, every record a round gave it, by distinct inputs, in the order first
        /// given. Kept with the unit (`checksToStore`), they let the next run's rounds, which
        /// replay this run's from each file's own summaries, reuse a record at every step
        /// instead of walking again: after an edit to one file of real xv6-riscv, 111 of
        /// 195 functions were walked again, nearly all of them to arrive where they had before.
        var seen: [[CheckRecord]]

        init(command: CompileCommand, key: Digest, entry: UnitEntry) {
            self.command = command
            self.key = key
            self.entry = entry
            // From nothing, whatever phase 1 wrote: whether it checked functions against
            // their own file depends on the run that wrote the entry (`walksLocally`), and a
            // cycle's passes must start from the same place in every run. Its check stays a
            // record to reuse.
            current = Array(repeating: .unchecked, count: entry.functions.count)
            seen = Array(repeating: [], count: entry.functions.count)
        }
    }

    let store: UnitStore
    let analyzer: Analyzer
    let unsavedFiles: [String: String]
    let loaders: any UnitLoaderFactory
    let jobs: Int
    let cancellation: Cancellation
    let progress: (any ProgressObserver)?
    /// Shared by the rounds of this run.
    let decoded = DecodedFunctions()

    /// `units` in the database's fixed order (`TwoPhaseRun.order`). False when cancelled
    /// before the summaries settled: the records are then no run's answer.
    func run(_ units: inout [Unit], stats: inout DatabaseStats) -> Bool {
        var widening = Widening()
        let trace = ProcessInfo.processInfo.environment["LADDER_TRACE_WIDENING"] != nil
        let graph = CallGraph(units.map { $0.entry.functions.map { ($0.name, $0.isStatic, $0.callees) } })
        stats.ambiguousNames = graph.ambiguous
        let reads = units.map { UnitReads($0, store: store) }
        var view = SummaryView(units, widening)
        var unsettled: Set<FunctionKey> = []
        // Walks of functions over the path budget, and of functions nobody calls, are put off
        // (`FileCheck.step`) in the first round and made in a second: callers of one that came
        // under the budget are in later levels, so the second round settles it too.
        var deferring = true
        var deferred = false
        // Names some function of the database refers to: the rest are read by nobody.
        let called = Set(units.flatMap { $0.entry.functions.flatMap(\.callees) })
        let nodes = graph.levels.reduce(0) { $0 + $1.count }
        while !cancellation.isCancelled {
            stats.rounds += 1
            progress?.begin(.check(round: stats.rounds), total: nodes)
            unsettled = []
            deferred = false
            for level in graph.levels {
                // A level's cycles are checked again until none of their summaries changes,
                // so the levels after see what they settle on.
                var nodes = level
                var changing: Set<FunctionKey> = []
                for _ in 0..<Self.maxRounds where !nodes.isEmpty && !cancellation.isCancelled {
                    let outcomes = pass(nodes, of: units, reads: reads, graph: graph, view: view, deferring: deferring, called: called)
                    var recorded = Recorded()
                    for (node, outcome) in zip(nodes, outcomes) {
                        keep(outcome, of: node, in: &units, graph: graph, called: called, view: &view, widening: &widening,
                               stats: &stats, trace: trace, into: &recorded)
                    }
                    if recorded.deferred { deferred = true }
                    changing = recorded.changing
                    nodes = changing.isEmpty ? [] : level.filter(graph.cyclic.contains)
                }
                unsettled.formUnion(changing)
            }
            guard deferring && deferred else { break }
            deferring = false
        }
        stats.writesWidened = widening.writesWidened.count
        progress?.end()
        // Stopped early (before any round, between rounds, or before the walks put off were
        // made): the records are no run's answer.
        if cancellation.isCancelled { return false }
        guard !unsettled.isEmpty else { return true }
        stats.converged = false
        for i in units.indices {
            for record in units[i].entry.functions
            where unsettled.contains(FunctionKey(file: units[i].command.file, name: record.name)) {
                units[i].problems.append(ProcessingError(file: units[i].command.file, line: record.location.line,
                    message: "the summary of '\(record.name)' did not settle after \(Self.maxRounds) passes over its cycle of calls; its callers were checked against the last one"))
            }
        }
        return true
    }

    /// One pass over `nodes` (a level, or its cycles again), every check against `view`:
    /// what each function sees, and whether a record it has stands, is cheap and worked out
    /// here; only the walks go to threads (after an edit, most levels have none, and start
    /// none). Per node, in order: nil when the run was cancelled before it was checked,
    /// `.some(nil)` when its IR could not be had.
    private func pass(_ nodes: [CallGraph.Node], of units: [Unit], reads: [UnitReads], graph: CallGraph, view: SummaryView,
                      deferring: Bool, called: Set<String>) -> [NodeOutcome??] {
        var outcomes: [NodeOutcome??] = []
        var walks: [(index: Int, inputs: Digest)] = []
        for (k, node) in nodes.enumerated() where !cancellation.isCancelled {
            switch plan(node, of: units[node.unit], reads: reads[node.unit], graph: graph, view: view,
                        deferring: deferring, called: called) {
            case .done(let outcome):
                progress?.start(units[node.unit].command.file)
                progress?.complete()
                outcomes.append(outcome)
            case .walk(let inputs):
                outcomes.append(nil)
                walks.append((k, inputs))
            }
        }
        outcomes += Array(repeating: nil, count: nodes.count - outcomes.count)
        guard !walks.isEmpty else { return outcomes }
        let walking = walks
        let walked = Workers.map(count: walking.count, workers: jobs, cancellation: cancellation,
                                 makeState: { LazyLoader(factory: loaders) }) { loader, w in
            let node = nodes[walking[w].index]
            progress?.start(units[node.unit].command.file)
            defer { progress?.complete() }
            return walk(node, of: units[node.unit], reads: reads[node.unit], graph: graph, view: view,
                        inputs: walking[w].inputs, loader: &loader)
        }
        for (walk, outcome) in zip(walking, walked) { outcomes[walk.index] = outcome }
        return outcomes
    }

    /// What a pass's records changed: the cycle members whose visible summary moved (their
    /// cycle is passed over again), and whether any walk was put off.
    private struct Recorded {
        var changing: Set<FunctionKey> = []
        var deferred = false
    }

    /// One node's outcome of a pass, kept: the unit's record and the records it has seen, the
    /// summary its callers see from now on, and what the pass changed.
    private func keep(_ outcome: NodeOutcome??, of node: CallGraph.Node, in units: inout [Unit], graph: CallGraph,
                        called: Set<String>, view: inout SummaryView, widening: inout Widening,
                        stats: inout DatabaseStats, trace: Bool, into recorded: inout Recorded) {
        let (u, f) = (node.unit, node.function)
        guard let outcome else { units[u].missedRound = true; return }
        guard let outcome = outcome else {
            if !units[u].missedRound {
                units[u].problems.append(ProcessingError(file: units[u].command.file,
                    message: "could not be checked against other files' summaries: its IR is gone from the cache and it no longer parses to the same functions"))
            }
            units[u].missedRound = true
            return
        }
        if outcome.deferred { recorded.deferred = true }
        let record = units[u].entry.functions[f]
        let key = FunctionKey(file: units[u].command.file, name: record.name)
        // A summary nobody reads moves nothing: it neither keeps a cycle going nor is given
        // up on.
        if called.contains(record.name) {
            let before = widening.visible(key, computed: units[u].current[f].summary)
            let after = widening.visible(key, computed: outcome.record.summary)
            if before != after {
                if widening.changed(key, from: before, to: after) {
                    stats.widened += 1
                    if trace { Self.traceWidening(key, units[u].current[f].summary, outcome.record.summary) }
                }
                // Its callers outside its cycle are in later levels, and see it now.
                if graph.cyclic.contains(node) { recorded.changing.insert(key) }
            }
        }
        units[u].current[f] = outcome.record
        if outcome.record != record.local && !units[u].seen[f].contains(where: { $0.inputs == outcome.record.inputs }) {
            units[u].seen[f].append(outcome.record)
        }
        view.update(node, widening.visible(key, computed: outcome.record.summary))
        units[u].analyseSeconds += outcome.seconds
        if outcome.walked { stats.rechecked += 1 }
    }

    /// What one function's check in a round came to.
    private struct NodeOutcome {
        var record: CheckRecord
        var walked = false
        var deferred = false
        var seconds = 0.0
    }

    private enum Plan {
        /// A record kept, or put off.
        case done(NodeOutcome)
        case walk(inputs: Digest)
    }

    /// What the function sees (its inputs), and whether a record it has stands.
    private func plan(_ node: CallGraph.Node, of unit: Unit, reads: UnitReads, graph: CallGraph, view: SummaryView,
                      deferring: Bool, called: Set<String>) -> Plan {
        let f = node.function
        let record = unit.entry.functions[f]
        var digests: [String: Digest] = [:]
        for (callee, target) in zip(record.callees, graph.callees[node.unit][f]) {
            if let target, let digest = view.digests[target.unit][target.function] { digests[callee] = digest }
        }
        let inputs = FileCheck.inputs(record, definedHere: reads.names, definedElsewhere: graph.externallyDefined) { digests[$0] }
        switch FileCheck(analyzer: analyzer).step(inputs: inputs, previous: unit.current[f], deferring: deferring,
                                                  nobodyCalls: !called.contains(record.name),
                                                  reuse: { [unit.current[f], record.local] + reads.stored()[record.name, default: []] }) {
        case .kept(let kept): return .done(NodeOutcome(record: kept))
        case .deferred(let earlier): return .done(NodeOutcome(record: earlier, deferred: true))
        case .walk: return .walk(inputs: inputs)
        }
    }

    /// nil when its IR could not be had.
    private func walk(_ node: CallGraph.Node, of unit: Unit, reads: UnitReads, graph: CallGraph, view: SummaryView,
                      inputs: Digest, loader: inout LazyLoader) -> NodeOutcome? {
        let f = node.function
        let record = unit.entry.functions[f]
        let resolved = graph.callees[node.unit][f]
        let checker = FileCheck(analyzer: analyzer)
        let ir = decoded.function(DecodedFunctions.Key(unit: unit.key, index: f), length: record.length) {
            store.function(record, key: unit.key, ir: unit.entry.ir)
        } ?? reads.reparsed { reparse(unit, loader: loader.get()) }?[f]
        guard let ir, ir.name == record.name else { return nil }
        var known = SummaryTable()
        for (callee, target) in zip(record.callees, resolved) {
            guard let target, let summary = view.summaries[target.unit][target.function], !summary.isEmpty else { continue }
            known.record(summary, for: callee)
        }
        let bodies = reads.names.union(record.callees.filter(graph.externallyDefined.contains))
        let (walked, seconds) = checker.walk(ir, of: record, file: unit.command.file, inputs: inputs, known: known,
                                             bodies: bodies, sources: reads.sources)
        return NodeOutcome(record: walked, walked: true, seconds: seconds)
    }

    /// The IR blob can vanish under a run (trimmed, or replaced by another run's parse of a
    /// newer version): parse again, and use the result only if it is the same functions.
    private func reparse(_ unit: Unit, loader: any UnitLoader) -> [Function]? {
        guard case .success(let loaded) = loader.load(unit.command, lowering: true, unsavedFiles: unsavedFiles) else { return nil }
        // In the form phase 1 stored them: annotated with what only the whole unit shows.
        let functions = Analyzer.calleesFirst(loaded.unit.annotated(for: analyzer.pack).functions)
        let same = functions.count == unit.entry.functions.count
            && zip(functions, unit.entry.functions).allSatisfy { Digest.of(UnitStore.encodeIR($0)) == $1.ir }
        return same ? functions : nil
    }

    /// `LADDER_TRACE_WIDENING=1`: which parts of a summary were still changing when it was
    /// given up on, for whoever is looking for the part that is not monotone.
    private static func traceWidening(_ key: FunctionKey, _ old: FunctionSummary, _ new: FunctionSummary) {
        let before = Dictionary(Mirror(reflecting: old).children.compactMap { c in c.label.map { ($0, String(describing: c.value)) } },
                                uniquingKeysWith: { a, _ in a })
        let parts = Mirror(reflecting: new).children.compactMap { c -> String? in
            guard let label = c.label, before[label] != String(describing: c.value) else { return nil }
            return "\(label): \(before[label] ?? "") -> \(c.value)"
        }
        FileHandle.standardError.write(Data("ladder: widened \(key.file):\(key.name)\n  \(parts.joined(separator: "\n  "))\n".utf8))
    }

    /// Records worth keeping for the next run: those that are not the unit's local check.
    /// How many records of one function the store keeps: more than a run has rounds.
    static let recordsKept = maxRounds + 4

    /// What a unit's `checks.json` keeps: per function whose settled record is not its
    /// phase-1 one, that record first, then the other records rounds gave it, in the order
    /// they were made (a run makes at most `maxRounds` of them, so `recordsKept` only guards).
    static func checksToStore(_ unit: Unit) -> [String: [CheckRecord]] {
        var checks: [String: [CheckRecord]] = [:]
        for (f, record) in unit.entry.functions.enumerated() {
            let settled = unit.current[f]
            let earlier = unit.seen[f].filter { $0.inputs != settled.inputs }
            guard settled != record.local || !earlier.isEmpty else { continue }
            checks[record.name] = Array(([settled] + earlier).prefix(recordsKept))
        }
        return checks
    }
}
