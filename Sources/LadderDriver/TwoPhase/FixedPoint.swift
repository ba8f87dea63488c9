import Foundation
import LadderClang
import LadderCore

/// Phase 2: every function of the database checked against the summaries of what it calls
/// in any file, callees first (`CallGraph.components`), so that each is walked once, against
/// what its callees settled on. A cycle of calls (recursion) is checked again, pass after
/// pass, until none of its members' summaries changes, before any component that calls
/// into it. A second round makes the walks the first put off (`FileCheck.step`).
///
/// Every check's input is a function of the database alone: a component is started only
/// once every component it calls has settled, and its members read only those summaries
/// and, within a cycle, each other's of the pass before. The walks run on several threads,
/// in whatever order they finish, and change nothing of that. That is what makes a sharded
/// run, whose shards each compute the same walks over the same database, report exactly
/// what an unsharded one does.
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
        /// A round could not check it (its IR gone and no parse to the same functions): its
        /// records are no outcome of the rounds, to keep or to reuse.
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
        // under the budget are in later components, so the second round settles it too.
        var deferring = true
        // Names some function of the database refers to: the rest are read by nobody.
        let called = Set(units.flatMap { $0.entry.functions.flatMap(\.callees) })
        let nodes = graph.components.reduce(0) { $0 + $1.members.count }
        let board = WalkBoard<WalkJob, WalkDone>()
        // Thread 0 schedules (and walks when no walker is free); the others only walk. All
        // of them have large stacks: a walk recurses with the code's nesting.
        LargeStack.runAll(max(1, min(jobs, nodes))) { thread in
            var loader = LazyLoader(factory: loaders)
            guard thread == 0 else {
                while let job = board.take() {
                    // Cancelled: the walks posted are handed back unmade, for the scheduler
                    // to drop.
                    board.finish(cancellation.isCancelled ? WalkDone(component: job.component, slot: job.slot, outcome: nil)
                                                          : perform(job, loader: &loader))
                }
                return
            }
            defer { board.close() }
            while !cancellation.isCancelled {
                stats.rounds += 1
                progress?.begin(.check(round: stats.rounds), total: nodes)
                var round = Round(graph: graph)
                schedule(&round, units: &units, reads: reads, graph: graph, view: &view, widening: &widening, stats: &stats,
                         deferring: deferring, called: called, trace: trace, board: board, loader: &loader)
                unsettled = round.unsettled
                guard deferring && round.deferred else { break }
                deferring = false
            }
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
            where unsettled.contains(FunctionKey(unit: i, file: units[i].command.file, name: record.name)) {
                units[i].problems.append(ProcessingError(file: units[i].command.file, line: record.location.line,
                    message: "the summary of '\(record.name)' did not settle after \(Self.maxRounds) passes over its cycle of calls; its callers were checked against the last one"))
            }
        }
        return true
    }

    /// One round's progress through the components.
    private struct Round {
        /// Per component, how many of the components it calls have not settled yet.
        var waiting: [Int]
        /// Components whose callees have all settled, not yet started.
        var ready: [Int]
        /// Per component being passed over: its members' outcomes so far, and how many
        /// walks it still waits for.
        var passes: [Int: Pass] = [:]
        var settled = 0
        /// Walks posted and not yet kept.
        var outstanding = 0
        var unsettled: Set<FunctionKey> = []
        var deferred = false

        struct Pass {
            var outcomes: [NodeOutcome??]
            var walks = 0
            /// 1 for the first pass over the component.
            var count: Int
        }

        init(graph: CallGraph) {
            let waiting = graph.components.map(\.callees.count)
            self.waiting = waiting
            // Taken from the end: the first components first.
            ready = waiting.indices.filter { waiting[$0] == 0 }.reversed()
        }
    }

    /// One round: every component passed over once its callees have settled, a cycle again
    /// until none of its members' summaries changes. A component is planned and kept here,
    /// on the scheduling thread, against `view` as its callees left it; only the walks go
    /// to the board. Its members read nothing a component not yet settled writes, so the
    /// order the walks finish in changes no input, and the round's outcome is the same
    /// whatever the threads do (`PhaseTwoScheduleTests`).
    private func schedule(_ round: inout Round, units: inout [Unit], reads: [UnitReads], graph: CallGraph,
                          view: inout SummaryView, widening: inout Widening, stats: inout DatabaseStats,
                          deferring: Bool, called: Set<String>, trace: Bool,
                          board: WalkBoard<WalkJob, WalkDone>, loader: inout LazyLoader) {
        func start(_ c: Int, count: Int) {
            let members = graph.components[c].members
            var pass = Round.Pass(outcomes: Array(repeating: nil, count: members.count), count: count)
            for (k, node) in members.enumerated() {
                let unit = units[node.unit]
                switch plan(node, of: unit, reads: reads[node.unit], graph: graph, view: view,
                            deferring: deferring, called: called) {
                case .done(let outcome):
                    progress?.start(unit.command.file)
                    progress?.complete()
                    pass.outcomes[k] = .some(outcome)
                case .walk(let inputs):
                    pass.walks += 1
                    round.outstanding += 1
                    board.post(WalkJob(component: c, slot: k, node: node, command: unit.command, key: unit.key,
                                       entry: unit.entry, inputs: inputs, known: known(node, of: unit, graph: graph, view: view),
                                       reads: reads[node.unit], externallyDefined: graph.externallyDefined))
                }
            }
            round.passes[c] = pass
            if pass.walks == 0 { finish(c) }
        }

        func finish(_ c: Int) {
            let pass = round.passes.removeValue(forKey: c)!
            let members = graph.components[c].members
            var recorded = Recorded()
            // Every member has its outcome by now: planned, or walked.
            for (node, outcome) in zip(members, pass.outcomes) {
                keep(outcome!, of: node, in: &units, graph: graph, called: called, view: &view, widening: &widening,
                     stats: &stats, trace: trace, into: &recorded)
            }
            if recorded.deferred { round.deferred = true }
            // A cycle is passed over again, with what its members settled on this pass,
            // until none of their summaries changes.
            if !recorded.changing.isEmpty && pass.count < Self.maxRounds && !cancellation.isCancelled {
                return start(c, count: pass.count + 1)
            }
            round.unsettled.formUnion(recorded.changing)
            round.settled += 1
            for caller in graph.callers[c] {
                round.waiting[caller] -= 1
                if round.waiting[caller] == 0 { round.ready.append(caller) }
            }
        }

        func kept(_ done: WalkDone) {
            round.outstanding -= 1
            round.passes[done.component]!.outcomes[done.slot] = .some(done.outcome)
            round.passes[done.component]!.walks -= 1
            if round.passes[done.component]!.walks == 0 { finish(done.component) }
        }

        while round.settled < graph.components.count && !cancellation.isCancelled {
            if let c = round.ready.popLast() {
                start(c, count: 1)
                continue
            }
            // Nothing ready, so some walk is posted and not yet kept: its component's callers wait for it.
            guard round.outstanding > 0 else { break }
            switch board.next() {
            case .finished(let done): kept(done)
            case .run(let job): kept(perform(job, loader: &loader))
            }
        }
        // Cancelled: let the walks under way end; none of them is kept.
        while round.outstanding > 0 {
            round.outstanding -= 1
            _ = board.next()
        }
    }

    /// A walk for the board, with everything it reads: nothing of the scheduler's state,
    /// which moves on while the walk runs.
    private struct WalkJob: Sendable {
        var component: Int
        var slot: Int
        var node: CallGraph.Node
        var command: CompileCommand
        var key: Digest
        var entry: UnitEntry
        var inputs: Digest
        var known: SummaryTable
        var reads: UnitReads
        var externallyDefined: Set<String>
    }

    private struct WalkDone: Sendable {
        var component: Int
        var slot: Int
        /// nil when the function's IR could not be had.
        var outcome: NodeOutcome?
    }

    private func perform(_ job: WalkJob, loader: inout LazyLoader) -> WalkDone {
        progress?.start(job.command.file)
        defer { progress?.complete() }
        return WalkDone(component: job.component, slot: job.slot, outcome: walk(job, loader: &loader))
    }

    /// What a pass's records changed: the cycle members whose visible summary moved (their
    /// cycle is passed over again), and whether any walk was put off.
    private struct Recorded {
        var changing: Set<FunctionKey> = []
        var deferred = false
    }

    /// One node's outcome of a pass, kept: the unit's record and the records it has seen, the
    /// summary its callers see from now on, and what the pass changed. nil: its IR could not
    /// be had.
    private func keep(_ outcome: NodeOutcome?, of node: CallGraph.Node, in units: inout [Unit], graph: CallGraph,
                        called: Set<String>, view: inout SummaryView, widening: inout Widening,
                        stats: inout DatabaseStats, trace: Bool, into recorded: inout Recorded) {
        let (u, f) = (node.unit, node.function)
        guard let outcome else {
            if !units[u].missedRound {
                units[u].problems.append(ProcessingError(file: units[u].command.file,
                    message: "could not be checked against other files' summaries: its IR is gone from the cache and it no longer parses to the same functions"))
            }
            units[u].missedRound = true
            return
        }
        if outcome.deferred { recorded.deferred = true }
        let record = units[u].entry.functions[f]
        let key = FunctionKey(unit: u, file: units[u].command.file, name: record.name)
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
                // Its callers outside its cycle are in later components, and see it now.
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

    /// What `node` knows of its callees: their summaries as they stand in `view`.
    private func known(_ node: CallGraph.Node, of unit: Unit, graph: CallGraph, view: SummaryView) -> SummaryTable {
        var known = SummaryTable()
        let record = unit.entry.functions[node.function]
        for (callee, target) in zip(record.callees, graph.callees[node.unit][node.function]) {
            guard let target, let summary = view.summaries[target.unit][target.function], !summary.isEmpty else { continue }
            known.record(summary, for: callee)
        }
        return known
    }

    /// nil when its IR could not be had.
    private func walk(_ job: WalkJob, loader: inout LazyLoader) -> NodeOutcome? {
        let f = job.node.function
        let record = job.entry.functions[f]
        let reads = job.reads
        let ir = decoded.function(DecodedFunctions.Key(unit: job.key, index: f), length: record.length) {
            store.function(record, key: job.key, ir: job.entry.ir)
        } ?? reads.reparsed { reparse(job.command, entry: job.entry, loader: loader.get()) }?[f]
        guard let ir, ir.name == record.name else { return nil }
        let bodies = reads.names.union(record.callees.filter(job.externallyDefined.contains))
        let (walked, seconds) = FileCheck(analyzer: analyzer).walk(ir, of: record, file: job.command.file, inputs: job.inputs,
                                                                    known: job.known, bodies: bodies, sources: reads.sources)
        return NodeOutcome(record: walked, walked: true, seconds: seconds)
    }

    /// The IR blob can vanish under a run (trimmed, or replaced by another run's parse of a
    /// newer version): parse again, and use the result only if it is the same functions.
    private func reparse(_ command: CompileCommand, entry: UnitEntry, loader: any UnitLoader) -> [Function]? {
        guard case .success(let loaded) = loader.load(command, lowering: true, unsavedFiles: unsavedFiles) else { return nil }
        // In the form phase 1 stored them: annotated with what only the whole unit shows.
        let functions = Analyzer.calleesFirst(loaded.unit.annotated(for: analyzer.pack).functions)
        let same = functions.count == entry.functions.count
            && zip(functions, entry.functions).allSatisfy { Digest.of(UnitStore.encodeIR($0)) == $1.ir }
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
