import ArgumentParser
import Foundation
import LadderClang
import LadderCore
import LadderDriver
import LadderReport

struct Lint: ParsableCommand, TakesClangArguments {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check C files for error paths that leak, release out of order, release twice, or release what was never acquired.",
        discussion: ExitStatus.lintHelp)

    @Argument(help: "C files or directories (walked for *.c).")
    var paths: [String] = []

    @Option(name: .customLong("rules-doc"), help: ArgumentHelp(RulesDocument.optionHelp, valueName: "URI"))
    var rulesDoc: String?

    @Option(name: .short, help: "A build directory holding compile_commands.json, or the file itself.")
    var p: String?

    @Option(name: .long, help: "A built-in rule pack (xv6, linux, posix) or a YAML file; repeatable. Default: xv6.")
    var rules: [String] = []

    @Option(help: "text, json, sarif, github or codeclimate.")
    var format: OutputFormat = .text

    @Option(name: .short, help: "Write the report to this file: a regular file is replaced atomically (through a symbolic link, its target); a device or FIFO is written through.")
    var o: String?

    @Option(name: .customLong("fail-on"), help: "error, warning or never.")
    var failOn: FailOn = .error

    @Flag(name: .customLong("allow-incomplete"),
          help: "Exit by the findings even when a file could not be parsed or a function was not analysed (they are still listed as errors). Without it such a run exits 2.")
    var allowIncomplete = false

    @Option(help: "Report only findings not in this baseline file.")
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: "Record the current findings as a baseline and exit.")
    var writeBaseline: String?

    @Option(help: "always, never or auto (a terminal, and NO_COLOR unset).")
    var color: ColorChoice = .auto

    @Option(help: "Root for relative paths in SARIF.")
    var root: String?

    @Option(name: .customShort("j", allowingJoined: true), help: "Files checked in parallel (default: the number of cores).")
    var j: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Check only shard K of N (e.g. 2/4), to split a tree across CI jobs: every file is in exactly one shard.",
                               valueName: "K/N"),
            transform: { text throws(ShardError) in try Shard(parsing: text) })
    var shard: Shard?

    @Option(name: .customLong("timeout-per-file"),
            help: ArgumentHelp("Seconds one file may take (parse, lower, analyse) before its worker is stopped and the file reported as not checked; 0: no limit.",
                               valueName: "SECONDS"))
    var timeoutPerFile: Double = 120

    @Option(name: .customLong("memory-per-file"),
            help: ArgumentHelp("Address space, in MB, each file worker may use; a file that needs more is reported as not checked. 0: no limit.",
                               valueName: "MB"))
    var memoryPerFile: UInt64 = 4096

    @Flag(name: .customLong("in-process"),
          help: "Check files in this process rather than in worker processes: no process start-up, but a crash in one file ends the run, and --timeout-per-file and --memory-per-file do not apply.")
    var inProcess = false

    @Flag(help: "Print where the time went, what the cache saved, and peak memory.")
    var stats = false

    @Option(help: ArgumentHelp("Keep parsed units here between runs (default: $XDG_CACHE_HOME/ladder, else ~/.cache/ladder).",
                               valueName: "DIR"))
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Keep nothing between runs.")
    var noCache = false

    @Option(name: .customLong("cache-max-size"),
            help: ArgumentHelp("Trim the cache back under this size after a run: bytes, or with K, M or G (default: 2G).",
                               valueName: "SIZE"),
            transform: { text in
                guard let bytes = CacheSettings.parseSize(text) else { throw ValidationError("invalid size '\(text)': expected bytes or a number with K, M or G") }
                return bytes
            })
    var cacheMaxSize: UInt64?

    @Option(help: "summarize: parse into the cache and stop, the first step of a sharded CI run (docs/ci.md).")
    var phase: LintPhase = .all

    @Flag(inversion: .prefixedNo, help: "A progress line on standard error (default: when standard error is a terminal).")
    var progress: Bool?

    @Option(name: .customLong("min-confidence"), help: "Report only findings at least this sure: low (all), medium or high.")
    var minConfidence: Confidence = .low

    @Option(name: .customLong("extra-arg"), help: ArgumentHelp("A clang argument added after every file's own (repeatable).", valueName: "ARG"))
    var extraArgs: [String] = []

    @Option(name: .customLong("extra-arg-before"), help: ArgumentHelp("A clang argument put before every file's own (repeatable).", valueName: "ARG"))
    var extraArgsBefore: [String] = []

    @Option(name: .customLong("changed-since"),
            help: ArgumentHelp("Report only findings whose statement or acquire site is on a line changed since this git revision (git diff REV, working tree included).",
                               valueName: "REV"))
    var changedSince: String?

    @Flag(help: "Apply the findings' fixes to the files in place (each file atomically; one whose content changed since it was read is left alone), print what changed, and check the changed files again.")
    var fix = false

    @Option(name: .customLong("export-fixes"),
            help: ArgumentHelp("Write the fixes --fix would apply to this file, as clang-tidy's YAML (for clang-apply-replacements).", valueName: "FILE"))
    var exportFixes: String?

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out files matching this glob ('*' crosses '/'; repeatable).", valueName: "GLOB"))
    var excludes: [String] = []

    /// Everything after `--`, split off before parsing (see `Ladder.main`).
    @Option(name: .customLong("clang-arg"), help: ArgumentHelp("Arguments for clang; usually given after --.", visibility: .hidden))
    var clangArguments: [String] = []

    func validate() throws {
        // An upper bound keeps every conversion to whole seconds and nanoseconds in range.
        guard timeoutPerFile >= 0, timeoutPerFile <= 1_000_000 else {
            throw ValidationError("--timeout-per-file takes a number of seconds from 0 (no limit) to 1000000")
        }
        guard j >= 1 else { throw ValidationError("-j takes a number of files, 1 or more") }
    }

    /// The flags as the driver's one configuration value.
    var options: LintOptions {
        var options = LintOptions(
            paths: paths, compileDatabase: p.map(CompileDatabaseChoice.at) ?? .discover, clangArguments: extraArgs + clangArguments,
            rulePacks: rules, jobs: j,
            // LADDER_STAGE=parse|lower stops early, for bench/ only.
            stopAfter: ProcessInfo.processInfo.environment["LADDER_STAGE"].flatMap(LintStage.init) ?? .analyse,
            // A baseline being written records every finding: none is filtered by the old one.
            baseline: writeBaseline == nil ? baseline : nil,
            shard: shard ?? .whole, failOn: failOn, allowIncomplete: allowIncomplete, cache: cacheChoice, phase: phase)
        options.clangArgumentsBefore = extraArgsBefore
        options.excludes = excludes
        options.minConfidence = minConfidence
        return options
    }

    /// Worker processes unless `--in-process`: see docs/reliability.md for what they cost.
    func isolation(parsing parse: ParseOptions) -> FileIsolation {
        guard !inProcess else { return .inProcess }
        return .workers(WorkerLimits(executable: FileWorkerCommand.executable,
                                     secondsPerFile: timeoutPerFile > 0 ? timeoutPerFile : nil,
                                     memoryPerWorker: memoryPerFile > 0 ? memoryPerFile << 20 : nil,
                                     parseOptions: parse))
    }

    /// `--cache`, else the XDG default; none with `--no-cache` or without a home.
    var cacheChoice: CacheChoice {
        guard !noCache, let directory = cache ?? CacheSettings.defaultDirectory(environment: ProcessInfo.processInfo.environment) else {
            return .none
        }
        // Entries written with another way of parsing are another build's.
        let identity = ToolIdentity.current(version: LadderVersion.string, cacheDirectory: directory)
            + (parseOptions == .standard ? "" : "+parse\(parseOptions.rawValue)")
        return .directory(CacheSettings(directory: directory, maxBytes: cacheMaxSize ?? CacheSettings.defaultMaxBytes,
                                        toolIdentity: identity))
    }

    /// LADDER_PARSE=plain parses without libclang's shortcuts (ParseOptions), and
    /// LADDER_PARSE=preamble builds a preamble for every file, whatever its headers' size:
    /// for bench/ only, to measure what the shortcuts save.
    var parseOptions: ParseOptions {
        switch ProcessInfo.processInfo.environment["LADDER_PARSE"] {
        case "plain": [.recordInclusions]
        case "preamble": ParseOptions.standard.union(.evenForSmallHeaders)
        default: .standard
        }
    }

    func run() throws {
        if writeBaseline != nil, let shard, shard != .whole {
            printError("ladder: error: --write-baseline needs every file; a baseline of shard \(shard) would drop the others' findings")
            throw ExitCode(ExitStatus.usage)
        }
        if writeBaseline != nil && changedSince != nil {
            printError("ladder: error: --write-baseline records every finding; with --changed-since it would drop those on unchanged lines")
            throw ExitCode(ExitStatus.usage)
        }
        if phase == .summarize && (noCache || writeBaseline != nil) {
            printError("ladder: error: --phase summarize fills the cache for a later run; it cannot be used with \(noCache ? "--no-cache" : "--write-baseline")")
            throw ExitCode(ExitStatus.usage)
        }
        var options = self.options
        if let changedSince {
            let directory = FileManager.default.currentDirectoryPath
            do { options.changedLines = try ChangedLines.since(changedSince, in: directory) } catch {
                printError(error.description)
                // As for an unusable pack or baseline: a machine format still gets a document saying why.
                if format != .text {
                    try? output.deliver(Report(errors: [ProcessingError(file: directory, message: "--changed-since \(error.revision): \(error.message)")]))
                }
                throw ExitCode(ExitStatus.untrusted)
            }
        }
        let observer: ProgressLine? = (progress ?? (isatty(STDERR_FILENO) != 0)) ? ProgressLine() : nil
        let parse = parseOptions.forRun(keeping: options.cache)
        let driver = LintDriver(loaders: InProcessFrontends(options: parse), isolation: isolation(parsing: parse))
        let outcome: LintOutcome
        do { outcome = try driver.run(options, progress: observer) } catch {
            printError(error.description)
            // A consumer of a machine format gets a document that says why, not nothing.
            if writeBaseline == nil && format != .text {
                try? output.deliver(Report(errors: [error.processingError]))
            }
            throw ExitCode(ExitStatus.untrusted)
        }
        let report = outcome.report
        if let database = outcome.database { LintNotes.printNotes(database, options: options) }

        if let path = writeBaseline {
            try write(baseline: report, to: path)
            if outcome.exitStatus == ExitStatus.untrusted { throw ExitCode(ExitStatus.untrusted) }
            return
        }

        try output.emit(report)
        // One plan of the report's fixes for both: what is exported is what --fix applies.
        let application = exportFixes != nil || fix ? FixApplication(report: report) : nil
        if let path = exportFixes, let application {
            do { try writeAtomically(FixExport.yaml(application), to: path) } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.untrusted)
            }
        }
        if fix, let application { try FixCommand(driver: driver, options: options).run(on: report, applying: application) }
        if stats {
            let s = report.stats
            printError(String(format: "ladder: time: parse %.3fs, lower %.3fs, analyse %.3fs (summed over files); wall %.3fs",
                              s.parseSeconds, s.lowerSeconds, s.analyseSeconds, s.seconds))
            for cost in outcome.costliest {
                printError("ladder: \(cost.location.file):\(cost.location.line): \(cost.function): \(cost.states) path states")
            }
            let slowest = outcome.files.filter { $0.analyseSeconds >= 0.001 }.sorted { $0.analyseSeconds > $1.analyseSeconds }.prefix(5)
            if !slowest.isEmpty {
                printError("ladder: slowest to analyse: " + slowest.map { "\($0.file) " + String(format: "%.2fs", $0.analyseSeconds) }.joined(separator: ", "))
            }
            if let database = outcome.database { LintNotes.printStats(database, options: options) }
            LintNotes.printMemory(workers: !inProcess)
        }
        if outcome.exitStatus != ExitStatus.clean { throw ExitCode(outcome.exitStatus) }
    }

    var output: ReportOutput {
        ReportOutput(format: format, file: o, color: color, root: root, rulesDocument: rulesDoc ?? RulesDocument.installed)
    }

    /// `--write-baseline`: no report is rendered, so the errors are said here.
    func write(baseline report: Report, to path: String) throws {
        for error in report.errors { printError(error.description) }
        guard report.stats.files > 0 else {
            printError("ladder: no file was processed; \(path) left unchanged")
            throw ExitCode(ExitStatus.untrusted)
        }
        do { try Baseline.make(from: report).write(to: path) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
        printError("ladder: baseline of \(report.findings.count) findings written to \(path)")
        if !report.errors.isEmpty && !allowIncomplete {
            printError("ladder: \(report.errors.count) files or functions were not checked (listed above): their findings are missing from the baseline")
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension Confidence: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}
extension LintPhase: ExpressibleByArgument {}
