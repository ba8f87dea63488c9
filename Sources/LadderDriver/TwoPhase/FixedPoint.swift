import Foundation
import LadderClang
import LadderCore

/// Phase 2: every unit of the database checked against the summaries of every other, again
/// and again until no summary changes: those of other files' functions, and those of the
/// unit's own functions seen through a recursive call.
///
/// Rounds are Jacobi steps: round k checks every unit against round k-1's summaries,
/// whatever order the workers finish in, so the result is a function of the database
/// alone. That is what makes a sharded run, whose shards each compute the same
/// rounds over the same database, report exactly what an unsharded one does. Within a unit,
/// functions go callees first, as `Analyzer.analyse` takes them.
///
/// Most units are untouched by most rounds: a unit re-checks only functions whose inputs
/// changed (`FileCheck`), and needs its IR only then.
struct FixedPoint {
    /// Enough for chains of wrappers across files. Summaries cannot grow for ever
    /// (`FunctionSummary.bounded`) nor flip for ever (`Widening`), so a run stops by itself;
    /// this is the cap on how long, and what still changed at it is reported.
    static let maxRounds = 12

    struct Unit: Sendable {
        var command: CompileCommand
        var key: Digest
        var entry: UnitEntry
        /// The latest record of each function, in `entry.functions` order.
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
            current = entry.functions.map(\.local)
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
        var table = Self.table(units, widening)
        stats.ambiguousNames = table.ambiguous
        var unsettled: Set<FunctionKey> = []
        // Phase 1 saw nothing beyond each file and no recursive call: one round at least.
        var first = true
        // Walks of functions over the path budget are put off (`FileCheck`'s `deferring`)
        // until the summaries settle, then made in one more round; if that changes a
        // summary (one came under the budget), the rounds go on.
        var deferred = false
        var deferring = true
        // Names some function of the database refers to: the rest are read by nobody
        // (`FileCheck`'s `called`).
        let called = Set(units.flatMap { $0.entry.functions.flatMap(\.callees) })
        while first || !unsettled.isEmpty || deferred, stats.rounds < Self.maxRounds, !cancellation.isCancelled {
            first = false
            if unsettled.isEmpty && deferred || stats.rounds + 1 == Self.maxRounds { deferring = false }
            stats.rounds += 1
            progress?.begin(.check(round: stats.rounds), total: units.count)
            let snapshot = units
            let externals = table
            let given = widening
            let putOff = deferring
            let outcomes = Workers.map(count: snapshot.count, workers: jobs, cancellation: cancellation,
                                       makeState: loaders.makeLoader) { loader, i in
                progress?.start(snapshot[i].command.file)
                defer { progress?.complete() }
                return check(snapshot[i], against: externals, widening: given, deferring: putOff, called: called, loader: loader)
            }
            unsettled = []
            deferred = false
            for (i, outcome) in outcomes.enumerated() {
                guard let outcome else { units[i].missedRound = true; continue }
                guard let outcome = outcome else {
                    units[i].missedRound = true
                    units[i].problems = [ProcessingError(file: units[i].command.file,
                        message: "could not be checked against other files' summaries: its IR is gone from the cache and it no longer parses to the same functions")]
                    continue
                }
                if outcome.deferred > 0 { deferred = true }
                for (record, (old, new)) in zip(units[i].entry.functions, zip(units[i].current, outcome.records)) {
                    // A summary nobody reads moves nothing: it neither keeps the rounds going
                    // nor is given up on (`FileCheck`'s `called`).
                    guard called.contains(record.name) else { continue }
                    let key = FunctionKey(file: units[i].command.file, name: record.name)
                    let before = widening.visible(key, computed: old.summary)
                    let after = widening.visible(key, computed: new.summary)
                    guard before != after else { continue }
                    if widening.changed(key, from: before, to: after) {
                        stats.widened += 1
                        if trace { Self.traceWidening(key, old.summary, new.summary) }
                    }
                    unsettled.insert(key)
                }
                units[i].current = outcome.records
                for (f, record) in outcome.records.enumerated() where record != units[i].entry.functions[f].local
                    && !units[i].seen[f].contains(where: { $0.inputs == record.inputs }) {
                    units[i].seen[f].append(record)
                }
                units[i].analyseSeconds += outcome.seconds
                stats.rechecked += outcome.analysed
            }
            table = Self.table(units, widening)
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
                    message: "the summary of '\(record.name)' did not settle after \(Self.maxRounds) rounds (recursive calls); its callers were checked against the last one"))
            }
        }
        return true
    }

    private func check(_ unit: Unit, against externals: ExternTable, widening: Widening, deferring: Bool, called: Set<String>,
                       loader: any UnitLoader) -> FileCheck.Outcome? {
        var stored: [String: [CheckRecord]]?
        var blob: Data??
        var reparsed: [Function]??
        let functions = unit.entry.functions
        return FileCheck(analyzer: analyzer).run(
            file: unit.command.file, functions: functions, externals: externals, previous: unit.current, deferring: deferring,
            called: called,
            visible: { widening.visible(FunctionKey(file: unit.command.file, name: $0), computed: $1) },
            reuse: { i in
                if stored == nil { stored = store.persistent ? store.checks(unit.key) : [:] }
                return [unit.current[i], functions[i].local] + (stored![functions[i].name] ?? [])
            },
            function: { i in
                let kept = decoded.function(DecodedFunctions.Key(unit: unit.key, index: i), length: functions[i].length) {
                    if blob == nil { blob = store.ir(unit.key, unit.entry.ir) }
                    return (blob ?? nil).flatMap { UnitStore.function(functions[i], in: $0) }
                }
                if let kept { return kept }
                if reparsed == nil { reparsed = reparse(unit, loader: loader) }
                return (reparsed ?? nil)?[i]
            })
    }

    /// The IR blob can vanish under a run (trimmed, or replaced by another run's parse of a
    /// newer version): parse again, and use the result only if it is the same functions.
    private func reparse(_ unit: Unit, loader: any UnitLoader) -> [Function]? {
        guard case .success(let loaded) = loader.load(unit.command, lowering: true, unsavedFiles: unsavedFiles) else { return nil }
        // In the form phase 1 stored them: annotated with what only the whole unit shows.
        let functions = Analyzer.calleesFirst(loaded.unit.annotated(for: analyzer.pack).functions)
        let same = functions.count == unit.entry.functions.count
            && zip(functions, unit.entry.functions).allSatisfy { Digest.of(UnitStore.encode($0)) == $1.ir }
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

    /// What callers see: the latest summaries, the widened ones as `FunctionSummary.top`.
    static func table(_ units: [Unit], _ widening: Widening) -> ExternTable {
        ExternTable(units.map { unit in
            (unit.entry.functions, zip(unit.entry.functions, unit.current).map { record, check in
                widening.visible(FunctionKey(file: unit.command.file, name: record.name), computed: check.summary)
            })
        })
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
