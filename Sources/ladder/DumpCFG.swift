import ArgumentParser
import Foundation
import LadderCore
import LadderDriver
import LadderReport

struct DumpCFG: ParsableCommand, TakesClangArguments {
    static let configuration = CommandConfiguration(
        commandName: "dump-cfg",
        abstract: "Print the control-flow graph ladder builds for each function of a C file.",
        discussion: """
            With --rules, the graph the analysis walks under those packs (identity and pure \
            calls folded in); without, the graph as lowered. With -p, the file's flags come \
            from the compilation database, as for lint.
            """)

    @Argument(help: "The C file.")
    var file: String

    @Option(name: .long, help: "Only this function.")
    var function: String?

    @Option(name: .long, help: "A built-in rule pack (xv6, linux, posix) or a YAML file; repeatable: show the graph the analysis walks.")
    var rules: [String] = []

    @Option(name: .short, help: "A compilation database (file or directory) giving the file's flags.")
    var p: String?

    @Flag(help: "Graphviz dot instead of text.")
    var dot = false

    /// Everything after `--`, split off before parsing (see `Ladder.main`).
    @Option(name: .customLong("clang-arg"), help: ArgumentHelp("Arguments for clang; usually given after --.", visibility: .hidden))
    var clangArguments: [String] = []

    func run() throws {
        var options = LintOptions(paths: [file])
        options.compileDatabase = p.map(CompileDatabaseChoice.at) ?? .none
        options.clangArguments = clangArguments
        options.rulePacks = rules
        let result: Result<FunctionGraphs, ProcessingError>
        do { result = try LintDriver().graphs(options) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.nothingToShow)
        }
        switch result {
        case .failure(let error):
            printError(error.description)
            throw ExitCode(ExitStatus.nothingToShow)
        case .success(let graphs):
            let functions = graphs.functions.filter { function == nil || $0.name == function }
            if functions.isEmpty {
                printError("\(file): error: " + (function.map { "no function named '\($0)'" } ?? "no function definitions"))
                throw ExitCode(ExitStatus.nothingToShow)
            }
            let render: (Function) -> String = { dot ? CFGDot.render($0) : CFGPrinter.render($0) }
            try StandardStreams.out(functions.map(render).joined(separator: "\n"), what: "the graphs")
        }
    }
}
