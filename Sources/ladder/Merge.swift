import ArgumentParser
import Foundation
import LadderCore
import LadderDriver
import LadderReport

/// The last job of a sharded CI run: the shards' JSON reports made one report, in any
/// format, gated as `ladder lint` gates.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON reports of a sharded run (ladder lint --shard K/N --format json) into one report.",
        discussion: ExitStatus.lintHelp + " A run is untrusted when no report covers any file.")

    @Argument(help: "JSON reports written by `ladder lint --format json`, one per shard.")
    var reports: [String]

    @Option(help: "text, json, sarif, github or codeclimate.")
    var format: OutputFormat = .text

    @Option(name: .customLong("rules-doc"), help: ArgumentHelp(RulesDocument.optionHelp, valueName: "URI"))
    var rulesDoc: String?

    @Option(name: .short, help: "Write the report to this file (atomically).")
    var o: String?

    @Option(name: .customLong("fail-on"), help: "error, warning or never.")
    var failOn: FailOn = .error

    @Flag(name: .customLong("allow-incomplete"),
          help: "Exit by the findings even when a report lists files or functions that were not checked. Without it such a merge exits 2.")
    var allowIncomplete = false

    @Option(help: "Report only findings not in this baseline file (give it here, not to the shards).")
    var baseline: String?

    @Option(help: "always, never or auto (a terminal, and NO_COLOR unset).")
    var color: ColorChoice = .auto

    @Option(help: "Root for relative paths in SARIF.")
    var root: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("name at least one report") }
    }

    func run() throws {
        var parsed: [Report] = []
        do {
            for path in reports { parsed.append(try ReportMerge.read(path: path)) }
        } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
        let merged = ReportMerge.merge(parsed)
        var report = merged.report
        if merged.duplicateFindings > 0 {
            printError("ladder: warning: \(merged.duplicateFindings) finding\(merged.duplicateFindings == 1 ? "" : "s") appeared in more than one report, kept once (a report given twice, or shards of different N?)")
        }
        if let baseline {
            // A baseline absorbs one finding per entry: applied to each shard and again here,
            // it would absorb too many; the shards should run without it.
            do { report = try Baseline.load(path: baseline).filter(report) } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.untrusted)
            }
        }

        try ReportOutput(format: format, file: o, color: color, root: root, rulesDocument: rulesDoc ?? RulesDocument.installed).emit(report)
        let status = ExitStatus.code(for: report, failOn: failOn, allowIncomplete: allowIncomplete)
        if status != ExitStatus.clean { throw ExitCode(status) }
    }
}
