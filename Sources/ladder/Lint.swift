import ArgumentParser
import Foundation
import LadderClang
import LadderCore
import LadderReport

struct Lint: ParsableCommand, TakesClangArguments {
    static let configuration = CommandConfiguration(
        abstract: "Check C files for error paths that leak, release out of order, release twice, or release what was never acquired.",
        discussion: "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 the run could not be trusted.")

    @Argument(help: "C files or directories (walked for *.c).")
    var paths: [String] = []

    @Option(name: .short, help: "A build directory holding compile_commands.json, or the file itself.")
    var p: String?

    @Option(name: .long, help: "A built-in rule pack (xv6, linux) or a YAML file; repeatable. Default: xv6.")
    var rules: [String] = []

    @Option(help: "text, json, sarif or github.")
    var format: OutputFormat = .text

    @Option(name: .short, help: "Write the report to this file (atomically).")
    var o: String?

    @Option(name: .customLong("fail-on"), help: "error, warning or never.")
    var failOn: FailOn = .error

    @Option(help: "Report only findings not in this baseline file.")
    var baseline: String?

    @Option(name: .customLong("write-baseline"), help: "Record the current findings as a baseline and exit.")
    var writeBaseline: String?

    @Option(help: "always, never or auto (a terminal, and NO_COLOR unset).")
    var color: ColorChoice = .auto

    @Option(help: "Root for relative paths in SARIF.")
    var root: String?

    @Option(name: .short, help: "Files parsed in parallel (default: the number of cores).")
    var j: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print where the time went.")
    var stats = false

    /// Everything after `--`, split off before parsing (see `Ladder.main`).
    @Option(name: .customLong("clang-arg"), help: ArgumentHelp("Arguments for clang; usually given after --.", visibility: .hidden))
    var clangArguments: [String] = []

    func run() throws {
        let pack = try loadPacks(rules)
        let sources = try resolveSources(paths: paths, database: p, clangArguments: clangArguments)
        // LADDER_STAGE=parse|lower stops early, for bench/ only.
        let stages = ProcessInfo.processInfo.environment["LADDER_STAGE"].flatMap(LintPipeline.Stages.init) ?? .analyse
        let outcome = LintPipeline(pack: pack, jobs: j, stages: stages).runDetailed(sources)
        var report = outcome.report
        let analysed = outcome.analysedFiles
        // Database entries name files relative to their own directory, not ours.
        let directories = Dictionary(sources.commands.map { ($0.file, $0.directory) }, uniquingKeysWith: { first, _ in first })
        report = Suppressions.apply(to: report, files: analysed) { file in
            var path = file
            if !file.hasPrefix("/"), let directory = directories[file] ?? nil { path = directory + "/" + file }
            return try? String(contentsOfFile: path, encoding: .utf8)
        }
        report.sort()

        if let path = writeBaseline {
            // No report is rendered here, so say why files are missing from the baseline.
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
            return
        }
        if let path = baseline {
            do { report = try Baseline.load(path: path).filter(report) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        }

        let toTerminal = o == nil && isatty(STDOUT_FILENO) != 0
        let options = RenderOptions(
            color: ColorChoice.resolve(flag: color, isTerminal: toTerminal, environment: ProcessInfo.processInfo.environment),
            root: root, toolVersion: LadderVersion.string)
        let rendered = ReportRenderer.render(report, as: format, options: options)
        if let path = o {
            do { try writeAtomically(rendered, to: path) } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        } else if !rendered.isEmpty {
            print(rendered, terminator: rendered.hasSuffix("\n") ? "" : "\n")
        }
        let summary = ReportRenderer.summary(report, color: options.color && format == .text && o == nil)
        if format == .text && o == nil { print(summary) } else { printError(summary) }
        if stats {
            let s = report.stats
            printError(String(format: "ladder: time: parse %.3fs, lower %.3fs, analyse %.3fs (summed over files); wall %.3fs",
                              s.parseSeconds, s.lowerSeconds, s.analyseSeconds, s.seconds))
            for cost in outcome.costliest {
                printError("ladder: \(cost.location.file):\(cost.location.line): \(cost.function): \(cost.states) path states")
            }
        }
        let code = ExitStatus.code(for: report, failOn: failOn)
        if code != 0 { throw ExitCode(code) }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}
extension ColorChoice: ExpressibleByArgument {}

/// Rule packs by name or path, merged in order; `xv6` when none is named.
func loadPacks(_ names: [String]) throws -> RulePack {
    var merged: RulePack?
    for name in names.isEmpty ? ["xv6"] : names {
        do {
            let pack = try BuiltinPacks.load(name)
            merged = merged.map { $0.merged(with: pack) } ?? pack
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
    return merged!
}

/// Files from the command line, or a compilation database: `-p`, or else a
/// `compile_commands.json` in the current directory or above. A discovered database that
/// covers none of the given paths is not this tree's, and the paths are parsed as given.
func resolveSources(paths: [String], database: String?, clangArguments: [String]) throws -> SourceSet {
    if let database {
        do {
            return try SourceSet.fromDatabase(database, paths: paths, extraArguments: clangArguments)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
    if let discovered = SourceSet.discoverDatabase(),
       let set = try? SourceSet.fromDatabase(discovered, paths: paths, extraArguments: clangArguments),
       !set.commands.isEmpty {
        return set
    }
    return SourceSet.fromPaths(paths.isEmpty ? ["."] : paths, extraArguments: clangArguments)
}
