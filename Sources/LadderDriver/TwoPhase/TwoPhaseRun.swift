import Foundation
import LadderClang
import LadderCore

/// A lint run's analysis in two phases over a database of units on disk:
///
///     phase 1  each of this run's files: cache entry if still valid, else parse + lower,
///              then store IR and records (a shard also checks each
///              function against its own file, for the others)       (UnitSummarizer)
///              other shards' files: their entries, if the cache has them
///     phase 2  every function checked against what it calls in any
///              file, callees first over the whole database         (FixedPoint)
///
/// A sharded run builds the same database as an unsharded one when the cache holds every
/// shard's phase 1, and so reports the same findings for its files. Without them it checks
/// against what it has, and says so (`DatabaseStats.otherShardFilesMissing`).
///
/// With file workers (`FileIsolation.workers`), every parse of a file happens in a worker (the
/// driver parses only `OptionProbe`'s empty test unit, once per distinct option set): phase 1
/// sends each unit the cache cannot supply to one, which parses and lowers it and writes its
/// IR and entry to the database (the cache, or this run's private directory), then answers
/// with the entry; a crash, a timeout or exhausted memory is that file's error, as in a
/// one-phase run. Phase 2 needs no libclang: it walks IR in the driver, and the rare unit
/// whose IR vanished under the run is parsed again in a worker too.
struct TwoPhaseRun {
    let options: LintOptions
    let pack: RulePack
    let loaders: any UnitLoaderFactory
    let isolation: FileIsolation
    let cancellation: Cancellation
    let progress: (any ProgressObserver)?
    /// Workers started before the run knew its files, used before any other is started.
    var launches: WorkerLaunches? = nil

    struct Output {
        /// This run's files, in order; nil where cancellation stopped the run first.
        var results: [FileStage.Result?]
        var stats: DatabaseStats
    }

    func run(all: SourceSet, mine: (CompileCommand) -> Bool) -> Output {
        let store: UnitStore
        switch options.cache {
        case .none: store = .temporary()
        case .directory(let settings): store = .persistent(settings)
        }
        store.prepare()
        defer { if !store.persistent { store.removeAll() } }
        var stats = DatabaseStats()
        stats.persistent = store.persistent

        let analyzer = options.pathBudget.map { Analyzer(pack: pack, budget: $0) } ?? Analyzer(pack: pack)
        let identity: String
        if case .directory(let settings) = options.cache { identity = settings.toolIdentity } else { identity = "" }
        // Checks against each file alone are for the other shards' phase 2 to reuse.
        let walksLocally = options.phase == .summarize || options.shard != .whole
        let summarizer = UnitSummarizer(store: store, unsavedFiles: options.unsavedFiles, toolIdentity: identity,
                                        pack: pack, analyzer: analyzer, walksLocally: walksLocally)

        let own = all.commands.filter(mine)
        let others = all.commands.filter { !mine($0) }
        let ownKeys = own.map(summarizer.key)

        // Phase 1.
        progress?.begin(.summarize, total: own.count)
        let outcomes: [UnitSummarizer.Outcome?]
        let phase2Loaders: any UnitLoaderFactory
        switch isolation {
        case .inProcess:
            phase2Loaders = loaders
            // A loader (and with it libclang) only for a thread that meets a unit to parse.
            outcomes = Workers.map(count: own.count, workers: options.jobs, cancellation: cancellation,
                                   makeState: { LazyLoader(factory: loaders) }) { loader, i in
                progress?.start(own[i].file)
                defer { progress?.complete() }
                if store.persistent, let outcome = summarizer.cachedOutcome(own[i], key: ownKeys[i]) { return outcome }
                return summarizer.summarize(own[i], key: ownKeys[i], with: loader.get())
            }
        case .workers(let limits):
            let setup = WorkerSetup(rulePacks: options.rulePacks, stopAfter: options.stopAfter.rawValue,
                                    pathBudget: options.pathBudget, memoryLimit: limits.memoryPerWorker,
                                    secondsPerFile: limits.secondsPerFile,
                                    parseOptions: limits.parseOptions.forRun(keeping: options.cache),
                                    store: store, toolIdentity: identity, walksLocally: walksLocally,
                                    packDigest: summarizer.packDigest)
            phase2Loaders = WorkerLoaders(limits: limits, setup: setup)
            let buffers = options.unsavedFiles
            outcomes = Workers.map(count: own.count, workers: options.jobs, cancellation: cancellation,
                                   makeState: { [launches] in WorkerProcess(limits: limits, setup: setup, launches: launches) }) { worker, i in
                progress?.start(own[i].file)
                defer { progress?.complete() }
                // An unchanged unit is read here: an unchanged re-run starts no worker.
                if store.persistent, let outcome = summarizer.cachedOutcome(own[i], key: ownKeys[i]) { return outcome }
                return worker.summarize(own[i], key: ownKeys[i], unsavedFiles: buffers)
            }
        }
        progress?.end()
        var wrote = false
        for outcome in outcomes {
            switch outcome {
            case .reused?: stats.reused += 1
            case .parsed(_, let stored, _)?: stats.parsed += 1; wrote = wrote || stored
            case .failed?, nil: break
            }
        }

        var units: [FixedPoint.Unit] = []
        var ownUnit: [Int?] = Array(repeating: nil, count: own.count)
        var phase1Seconds = Array(repeating: 0.0, count: own.count)
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case .reused(let entry)?:
                ownUnit[i] = units.count
                units.append(FixedPoint.Unit(command: own[i], key: ownKeys[i], entry: entry))
            case .parsed(let entry, _, let seconds)?:
                ownUnit[i] = units.count
                phase1Seconds[i] = seconds
                units.append(FixedPoint.Unit(command: own[i], key: ownKeys[i], entry: entry))
            case .failed?, nil: break
            }
        }

        if options.phase == .all && !others.isEmpty && store.persistent {
            progress?.begin(.load, total: others.count)
            let found = Workers.map(count: others.count, workers: options.jobs, cancellation: cancellation,
                                    makeState: {}) { _, i in
                progress?.start(others[i].file)
                defer { progress?.complete() }
                let key = summarizer.key(for: others[i])
                return summarizer.cached(others[i], key: key).map { FixedPoint.Unit(command: others[i], key: key, entry: $0) }
            }
            progress?.end()
            for unit in found { if let unit = unit ?? nil { units.append(unit) } }
            stats.otherShardFiles = units.count - ownUnit.compactMap { $0 }.count
        }
        stats.otherShardFilesMissing = others.count - stats.otherShardFiles

        // Phase 2, over the database in a fixed order (see CallGraph).
        var complete = true
        if options.phase == .all {
            let order = units.indices.sorted { Self.order(units[$0]) < Self.order(units[$1]) }
            var ordered = order.map { units[$0] }
            stats.functions = ordered.reduce(0) { $0 + $1.entry.functions.count }
            let settledName = SettledRun.name(ordered)
            let settled = store.persistent ? store.settledRun(settledName) : nil
            if settled?.apply(to: &ordered, stats: &stats, store: store) != true {
                complete = FixedPoint(store: store, analyzer: analyzer, unsavedFiles: options.unsavedFiles, loaders: phase2Loaders,
                                      jobs: options.jobs, cancellation: cancellation, progress: progress).run(&ordered, stats: &stats)
                // Only the rounds' own outcome is kept: not a cancelled run's, nor one in which
                // a unit missed a round.
                if store.persistent && complete && !ordered.contains(where: \.missedRound) {
                    // Every unit: one that reused all its records may have reused some from
                    // the rounds kept last time, and what it keeps now must be this run's.
                    // One whose records are already those is not written again: after an
                    // edit, that is every unit but the edited one's neighbours, and each
                    // write is flushed to disk.
                    for unit in ordered {
                        let checks = FixedPoint.checksToStore(unit)
                        if store.checks(unit.key) != checks { store.writeChecks(checks, for: unit.key) }
                    }
                    store.writeSettledRun(SettledRun(ordered, stats: stats), as: settledName)
                }
            }
            for (position, index) in order.enumerated() { units[index] = ordered[position] }
        }

        let agreement = CallerAgreement(units)
        // Boot code is judged by every caller: with another shard's files missing, some caller
        // may be out of view, and nothing is taken as boot-only; a file that failed is read as
        // text for the names it spells.
        var unparsed: [String] = []
        var unreadable = false
        for (i, outcome) in outcomes.enumerated() where !pack.boot.isEmpty {
            guard case .failed? = outcome else { continue }
            if let text = SourceText.load(own[i].file) { unparsed.append(String(decoding: text.bytes, as: UTF8.self)) } else { unreadable = true }
        }
        let boot = BootCode(units, entries: stats.otherShardFilesMissing == 0 && !unreadable ? pack.boot : [], unparsed: unparsed)
        var results: [FileStage.Result?] = []
        for (i, outcome) in outcomes.enumerated() {
            guard let outcome, complete || ownUnit[i] == nil else { results.append(nil); continue }
            var result = FileStage.Result(command: own[i])
            switch outcome {
            case .failed(let error):
                result.errors = [error]
            case .parsed, .reused:
                let unit = units[ownUnit[i]!]
                if case .parsed = outcome {
                    result.parseSeconds = unit.entry.parseSeconds
                    result.lowerSeconds = unit.entry.lowerSeconds
                }
                result.functions = unit.entry.functions.map { DefinedFunction(name: $0.name, location: $0.location, isStatic: $0.isStatic) }
                result.analyseSeconds = phase1Seconds[i] + unit.analyseSeconds
                result.errors = unit.entry.loweringErrors
                if options.phase == .all {
                    for (record, (check, held)) in zip(unit.entry.functions, zip(unit.current, agreement.findings(unit))) {
                        result.findings += boot.findings(check.findings + held, of: record, in: unit.command.file)
                        result.errors += check.errors
                        if let cost = check.cost { result.costs.append(cost) }
                        if check.pathInsensitive { result.pathInsensitive += 1 }
                    }
                }
                result.errors += unit.problems
            }
            results.append(result)
        }
        if store.persistent && wrote { stats.cacheBytes = CacheEviction.trim(store) }
        return Output(results: results, stats: stats)
    }

    /// Path, then directory, then key: the same in every shard and every run.
    private static func order(_ unit: FixedPoint.Unit) -> (String, String, String) {
        (unit.command.file, unit.command.directory ?? "", unit.key.hex)
    }
}
