import ArgumentParser
import Foundation
import LadderClang
import LadderCore

struct Lint: ParsableCommand, TakesClangArguments {
    static let configuration = CommandConfiguration(
        abstract: "Check C files for error paths that leak, release out of order, release twice, or release what was never acquired.")

    @Argument(help: "C files or directories (walked for *.c).")
    var paths: [String] = []

    @Option(name: .short, help: "A build directory holding compile_commands.json, or the file itself.")
    var p: String?

    @Option(name: .long, help: "A built-in rule pack (xv6, linux) or a YAML file; repeatable. Default: xv6.")
    var rules: [String] = []

    @Option(name: .short, help: "Parallel jobs.")
    var j: Int = 1

    @Flag(help: "Print where the time went.")
    var stats = false

    /// Everything after `--`, split off before parsing (see `Ladder.main`).
    @Option(name: .customLong("clang-arg"), help: ArgumentHelp("Arguments for clang; usually given after --.", visibility: .hidden))
    var clangArguments: [String] = []

    func run() throws {
        let pack = try loadPacks(rules)
        let sources = try resolveSources(paths: paths, database: p, clangArguments: clangArguments)
        let report = LintPipeline(pack: pack, jobs: j).run(sources)
        for finding in report.findings { print(PlainText.render(finding)) }
        for error in report.errors { printError(error.description) }
        printError("\(report.stats.files) files, \(report.stats.functions) functions, \(report.findings.count) findings, \(report.errors.count) errors, \(String(format: "%.2f", report.stats.seconds))s")
        if stats {
            let s = report.stats
            printError(String(format: "time: parse %.3fs, lower %.3fs, analyse %.3fs, total %.3fs (summed over files)",
                              s.parseSeconds, s.lowerSeconds, s.analyseSeconds, s.seconds))
        }
        if report.stats.files == 0 { throw ExitCode(2) }
        if !report.findings.isEmpty { throw ExitCode(1) }
    }
}

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

/// Files from the command line, or a compilation database (`-p`, or one found in the
/// current directory or above when no paths are given).
func resolveSources(paths: [String], database: String?, clangArguments: [String]) throws -> SourceSet {
    if let database = database ?? (paths.isEmpty ? SourceSet.discoverDatabase() : nil) {
        do {
            return try SourceSet.fromDatabase(database, paths: paths, extraArguments: clangArguments)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
    return SourceSet.fromPaths(paths.isEmpty ? ["."] : paths, extraArguments: clangArguments)
}

/// Until the report formats land: gcc-style lines.
enum PlainText {
    static func render(_ f: Finding) -> String {
        var lines = ["\(f.location): \(f.severity.rawValue): \(f.message) [\(f.rule.rawValue)]"]
        if let r = f.resource { lines.append("\(r.acquiredAt): note: \(r.kind) '\(r.handle)' acquired by \(r.acquiredBy)() here") }
        for step in f.path { lines.append("\(step.location): note: \(step.message)") }
        if let fix = f.fix {
            lines.append("\(fix.insertBefore): note: fix: insert '\(fix.text.trimmingCharacters(in: .newlines))' here")
        }
        return lines.joined(separator: "\n")
    }
}
