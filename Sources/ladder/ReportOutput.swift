import ArgumentParser
import Foundation
import LadderCore
import LadderReport

/// How `lint` and `merge` hand a finished report to the user: rendered to standard output
/// or to `-o`, then the notes and the one-line summary (on standard output after text, on
/// standard error otherwise, so a machine format stays exactly the format). Every write is
/// checked: a report that cannot be delivered is exit 2 with a message.
struct ReportOutput {
    var format: OutputFormat
    var file: String?
    var color: ColorChoice
    var root: String?
    /// `--rules-doc`, else the installed docs/rules.md; nil when neither is known.
    var rulesDocument: String? = RulesDocument.installed

    func emit(_ report: Report) throws {
        let toTerminal = file == nil && isatty(STDOUT_FILENO) != 0
        let useColor = ColorChoice.resolve(flag: color, isTerminal: toTerminal, environment: ProcessInfo.processInfo.environment)
        try deliver(report, color: useColor)
        // Said once per run, on stderr: what ladder did to the inputs (options libclang rejects).
        for note in report.notes { printError("ladder: note: \(note)") }
        let summary = ReportRenderer.summary(report, color: useColor && format == .text && file == nil)
        if format == .text && file == nil { try StandardStreams.outLine(summary, what: "the summary") } else { printError(summary) }
    }

    private func renderOptions(color: Bool) -> RenderOptions {
        var options = RenderOptions(color: color, root: root, toolVersion: LadderVersion.string)
        options.rulesDocument = rulesDocument
        return options
    }

    /// The report in `format`, to `-o` or standard output; exit 2 when it cannot be written.
    func deliver(_ report: Report, color: Bool = false) throws {
        let rendered = ReportRenderer.render(report, as: format,
                                             options: renderOptions(color: color))
        if let path = file {
            do { try writeOutput(rendered, to: path) } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.untrusted)
            }
        } else if !rendered.isEmpty {
            try StandardStreams.outLine(rendered)
        }
    }
}
