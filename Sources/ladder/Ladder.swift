import ArgumentParser
import Foundation
import LadderDriver
import LadderReport

/// Every command names itself (`commandName`): one with no name is named from its type, by
/// `String(describing:)` and the runtime's conformance look-ups, at every start of every
/// process.
@main
struct Ladder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ladder",
        abstract: "Checks that C error paths release what they acquired, in reverse order.",
        version: LadderVersion.string,
        subcommands: [Lint.self, Merge.self, Rules.self, Explain.self, DumpCFG.self, GroundTruthCommand.self, FileWorkerCommand.self,
                      LSPCommand.self])

    /// Splits off `-- CLANG_ARGS…` before parsing: swift-argument-parser cannot take a
    /// list of paths and a pass-through list as two positional arrays. Usage errors exit `ExitStatus.usage`.
    static func main() {
        StandardStreams.prepare()
        let all = Array(CommandLine.arguments.dropFirst())
        // A file worker starts once per worker of every lint: it skips the parser's
        // reflection over every command (a few milliseconds of each start).
        if all == [WorkerLimits.subcommand] { Foundation.exit(FileWorker.serve()) }
        let split = all.firstIndex(of: "--")
        let ours = split.map { Array(all[..<$0]) } ?? all
        let clang = split.map { Array(all[($0 + 1)...]) } ?? []
        do {
            var command = try parseAsRoot(ours)
            if var taking = command as? any TakesClangArguments & ParsableCommand {
                taking.clangArguments += clang
                command = taking
            }
            try command.run()
        } catch {
            // Our own exit codes pass through; --help and --version print and exit 0;
            // usage errors and anything unexpected are `ExitStatus.usage`.
            if error is ExitCode { Foundation.exit(exitCode(for: error).rawValue) }
            if exitCode(for: error) == .success { Ladder.exit(withError: error) }
            printError(fullMessage(for: error))
            if let hint = ClangArgumentHint.hint(message: fullMessage(for: error), arguments: ours, after: clang) { printError(hint) }
            UsageErrorReport.emit(fullMessage(for: error), arguments: ours)
            Foundation.exit(ExitStatus.usage)
        }
    }
}

protocol TakesClangArguments {
    var clangArguments: [String] { get set }
}

enum LadderVersion {
    static let string = "0.1.0"
}
