import ArgumentParser
import Foundation
import LadderCore
import LadderDriver
import LadderReport

struct DumpCFG: ParsableCommand, TakesClangArguments {
    static let configuration = CommandConfiguration(
        commandName: "dump-cfg",
        abstract: "Print the control-flow graph ladder builds for each function of a C file.")

    @Argument(help: "The C file.")
    var file: String

    @Option(name: .long, help: "Only this function.")
    var function: String?

    /// Everything after `--`, split off before parsing (see `Ladder.main`).
    @Option(name: .customLong("clang-arg"), help: ArgumentHelp("Arguments for clang; usually given after --.", visibility: .hidden))
    var clangArguments: [String] = []

    func run() throws {
        switch LintDriver().load(file: file, clangArguments: clangArguments) {
        case .failure(let error):
            printError(error.description)
            throw ExitCode(ExitStatus.nothingToShow)
        case .success(let loaded):
            let functions = loaded.unit.functions.filter { function == nil || $0.name == function }
            if functions.isEmpty {
                printError("\(file): error: " + (function.map { "no function named '\($0)'" } ?? "no function definitions"))
                throw ExitCode(ExitStatus.nothingToShow)
            }
            try StandardStreams.out(functions.map(CFGPrinter.render).joined(separator: "\n"), what: "the graphs")
        }
    }
}
