import ArgumentParser
import Foundation
import LadderCore
import LadderReport

/// How `lint` and `merge` hand a finished report to the user: rendered to standard output
/// or written atomically to `-o`, then the one-line summary (on standard output after text,
/// on standard error otherwise, so a machine format stays exactly the format).
struct ReportOutput {
    var format: OutputFormat
    var file: String?
    var color: ColorChoice
    var root: String?

    func emit(_ report: Report) throws {
        let toTerminal = file == nil && isatty(STDOUT_FILENO) != 0
        let renderOptions = RenderOptions(
            color: ColorChoice.resolve(flag: color, isTerminal: toTerminal, environment: ProcessInfo.processInfo.environment),
            root: root, toolVersion: LadderVersion.string)
        let rendered = ReportRenderer.render(report, as: format, options: renderOptions)
        if let path = file {
            do { try writeAtomically(rendered, to: path) } catch {
                printError(error.description)
                throw ExitCode(ExitStatus.untrusted)
            }
        } else if !rendered.isEmpty {
            print(rendered, terminator: rendered.hasSuffix("\n") ? "" : "\n")
        }
        let summary = ReportRenderer.summary(report, color: renderOptions.color && format == .text && file == nil)
        if format == .text && file == nil { print(summary) } else { printError(summary) }
    }
}
