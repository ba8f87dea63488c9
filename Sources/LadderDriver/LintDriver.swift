import Dispatch
import LadderClang
import LadderCore
import LadderReport

/// The one way any front end (the CLI, ground truth, later an editor) checks files:
///
///     inputs ─► sources ─► shard ─► parse + lower ─► analyse + checks ─► suppressions ─► baseline ─► Report
///               SourceStage          UnitLoader        FileStage           SuppressionStage   Baseline
///
/// Analysis runs in two phases over a database of units (TwoPhaseRun): each file parsed
/// once into the cache, then every function checked against the summaries of what it calls
/// in any file. A run that stops before analysis (`LintStage`) parses each file and nothing
/// more, with no cache. Either way `isolation` says where files are parsed: with file
/// workers, only in them. (libclang also runs here, briefly, when a compile database's
/// option sets are probed once each: `OptionProbe`.)
///
/// Everything that can stop a run (a rule pack, the compile database, the baseline) is
/// loaded before the first file, so a bad flag fails at once rather than after the work.
public struct LintDriver: Sendable {
    public let packs: RulePackCache
    public let loaders: any UnitLoaderFactory
    /// Where `run` checks each file: `loaders` on the driver's threads, or file workers.
    public let isolation: FileIsolation

    public init(packs: RulePackCache = RulePackCache(), loaders: any UnitLoaderFactory = InProcessFrontends(),
                isolation: FileIsolation = .inProcess) {
        self.packs = packs
        self.loaders = loaders
        self.isolation = isolation
    }

    /// Checks the files `options` names. Throws only when nothing can be trusted (an
    /// unusable pack, database or baseline); a file that cannot be used is a report error.
    /// `cancellation` is asked before each file is started; `progress` hears of each.
    public func run(_ options: LintOptions, cancellation: Cancellation = .never,
                    progress: (any ProgressObserver)? = nil) throws(LintError) -> LintOutcome {
        let start = DispatchTime.now()
        // Last of all: the run's workers waited for (their usage is then counted, `--stats`).
        defer { WorkerReaper.waitForAll() }
        let launches = WorkerLaunches.ahead(of: options, isolation: isolation)
        defer { launches?.stopUnused() }
        let pack: RulePack
        do { pack = try packs.merged(options.rulePacks) } catch { throw .rulePack(error) }
        let baseline: Baseline?
        do { baseline = try options.baseline.map { path throws(ReportError) in try Baseline.load(path: path) } } catch {
            throw .baseline(error)
        }
        let all = Exclusion.apply(try SourceStage.resolve(options), excluding: options.excludes)
        let (sources, selectedNothing) = SourceStage.select(all, shard: options.shard)

        let results: [FileStage.Result?]
        var database: DatabaseStats?
        if options.stopAfter == .analyse {
            let shard = options.shard
            let output = TwoPhaseRun(options: options, pack: pack, loaders: loaders, isolation: isolation,
                                     cancellation: cancellation, progress: progress, launches: launches)
                .run(all: all) { shard.contains($0.file) }
            results = output.results
            database = output.stats
        } else {
            let stage = FileStage(pack: pack, stopAfter: options.stopAfter, pathBudget: options.pathBudget,
                                  unsavedFiles: options.unsavedFiles)
            let commands = sources.commands
            progress?.begin(.summarize, total: commands.count)
            switch isolation {
            case .inProcess:
                results = Workers.map(count: commands.count, workers: options.jobs, cancellation: cancellation,
                                      makeState: loaders.makeLoader) { loader, index in
                    progress?.start(commands[index].file)
                    defer { progress?.complete() }
                    return stage.process(commands[index], with: loader)
                }
            case .workers(let limits):
                results = stage.processIsolated(commands, jobs: options.jobs, limits: limits, rulePacks: options.rulePacks,
                                                cancellation: cancellation, progress: progress)
            }
            progress?.end()
        }

        var report = Report(errors: sources.errors)
        report.notes = sources.notes
        var costs: [FunctionCost] = []
        var files: [AnalysedFile] = []
        for result in results.compactMap({ $0 }) {
            report.findings += result.findings
            report.errors += result.errors
            report.stats.parseSeconds += result.parseSeconds
            report.stats.lowerSeconds += result.lowerSeconds
            report.stats.analyseSeconds += result.analyseSeconds
            report.stats.pathInsensitiveFunctions += result.pathInsensitive
            costs += result.costs
            if let functions = result.functions {
                files.append(AnalysedFile(command: result.command, functions: functions, analyseSeconds: result.analyseSeconds))
                report.stats.files += 1
                report.stats.functions += functions.count
            }
        }
        report.sort()
        // Phase 1 alone finds nothing, so every suppression would look stale.
        if options.applySuppressions && !(options.stopAfter == .analyse && options.phase == .summarize) {
            report = SuppressionStage.apply(to: report, files: files, unsavedFiles: options.unsavedFiles)
        }
        if let baseline { report = baseline.filter(report) }
        if options.minConfidence > .low { report.findings.removeAll { $0.confidence < options.minConfidence } }
        if let changed = options.changedLines { report = changed.filter(report) }
        report.stats.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9

        let cancelled = results.contains { $0 == nil }
        let costliest = costs.sorted { ($0.states, $1.location) > ($1.states, $0.location) }.prefix(5)
        let status = cancelled ? ExitStatus.untrusted
            : ExitStatus.code(forShard: report, failOn: options.failOn, selectedNothing: selectedNothing,
                              allowIncomplete: options.allowIncomplete)
        return LintOutcome(report: report, files: files, costliest: Array(costliest), cancelled: cancelled,
                           shardSelectedNothing: selectedNothing, exitStatus: status, database: database)
    }

    /// One file through the front-end stage alone, as `ladder dump-cfg` shows it.
    public func load(file: String, clangArguments: [String] = [], unsavedFiles: [String: String] = [:]) -> Result<LoadedUnit, ProcessingError> {
        loaders.makeLoader().load(CompileCommand(file: file, arguments: clangArguments), lowering: true, unsavedFiles: unsavedFiles)
    }
}
