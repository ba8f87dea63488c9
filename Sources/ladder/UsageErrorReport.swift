import Foundation
import LadderCore
import LadderReport

/// `ladder lint --format json` (or sarif, github) whose arguments are rejected still writes
/// a document, with the usage error under `errors`, where the report would have gone (`-o`
/// or standard output): a consumer that parses it must find out why, not choke on nothing
/// or read the last run's file.
enum UsageErrorReport {
    static func emit(_ message: String, arguments: [String]) {
        guard arguments.first == "lint", let format = requestedFormat(arguments), format != .text else { return }
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        let report = Report(errors: [ProcessingError(file: "ladder lint", message: line)])
        let rendered = ReportRenderer.render(report, as: format, options: RenderOptions(toolVersion: LadderVersion.string))
        if let path = requestedOutput(arguments) {
            do { try writeOutput(rendered, to: path) } catch { printError(error.description) }
            return
        }
        _ = writeAll(Array((rendered.hasSuffix("\n") || rendered.isEmpty ? rendered : rendered + "\n").utf8), to: STDOUT_FILENO)
    }

    /// The last `-o X` or `-o=X`.
    static func requestedOutput(_ arguments: [String]) -> String? {
        var found: String?
        for (i, argument) in arguments.enumerated() {
            if argument == "-o", i + 1 < arguments.count { found = arguments[i + 1] }
            if argument.hasPrefix("-o=") { found = String(argument.dropFirst(3)) }
        }
        return found
    }

    /// The last `--format X` or `--format=X` that names a format.
    static func requestedFormat(_ arguments: [String]) -> OutputFormat? {
        var found: OutputFormat?
        for (i, argument) in arguments.enumerated() {
            if argument == "--format", i + 1 < arguments.count, let f = OutputFormat(rawValue: arguments[i + 1]) { found = f }
            if argument.hasPrefix("--format="), let f = OutputFormat(rawValue: String(argument.dropFirst(9))) { found = f }
        }
        return found
    }
}
