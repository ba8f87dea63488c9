import ArgumentParser
import Foundation
import LadderDriver
import LadderLSP

/// `ladder lsp`: a language server on standard input and output (docs/editors.md).
struct LSPCommand: ParsableCommand, TakesClangArguments {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Serve diagnostics and quick fixes to an editor over the Language Server Protocol (stdio).",
        discussion: """
        Flags for each file come from a compile_commands.json in its directory or above that lists it, \
        else from the arguments after --, else clang's defaults.
        """)

    @Option(name: .long, help: "A built-in rule pack (xv6, linux, posix) or a YAML file; repeatable. Default: xv6.")
    var rules: [String] = []

    @Flag(name: .customLong("in-process"),
          help: "Analyse in the server's own process rather than in a file worker: a crash in libclang then ends the session.")
    var inProcess = false

    @Option(name: .customLong("debounce-ms"), help: ArgumentHelp("How long a buffer must stay unchanged before it is analysed.", valueName: "MS"))
    var debounceMilliseconds: Int = 300

    @Option(name: .customLong("rules-doc"),
            help: ArgumentHelp("The URI diagnostics link rule ids to (the rule id is appended as the fragment). Default: the installed or checked-out docs/rules.md.",
                               valueName: "URI"))
    var rulesDoc: String?

    /// Everything after `--`, split off before parsing (see `Ladder.main`).
    @Option(name: .customLong("clang-arg"), help: ArgumentHelp("Arguments for clang; usually given after --.", visibility: .hidden))
    var clangArguments: [String] = []

    func validate() throws {
        guard debounceMilliseconds >= 0 else { throw ValidationError("--debounce-ms takes a number of milliseconds, 0 or more") }
    }

    func run() throws {
        let isolation: FileIsolation = inProcess ? .inProcess
            : .workers(WorkerLimits(executable: FileWorkerCommand.executable))
        let configuration = ServerConfiguration(
            clangArguments: clangArguments, rulePacks: rules, isolation: isolation,
            debounceSeconds: Double(debounceMilliseconds) / 1000,
            ruleDocs: (rulesDoc ?? RulesDocument.installed).map(RuleDocs.init), toolVersion: LadderVersion.string)
        // A client that goes away mid-write must not kill the server with SIGPIPE before `exit`.
        signal(SIGPIPE, SIG_IGN)
        let server = LanguageServer(configuration: configuration, writer: MessageWriter(fileDescriptor: STDOUT_FILENO))
        var reader = MessageReader(fileDescriptor: STDIN_FILENO)
        Foundation.exit(server.run(reading: &reader))
    }
}
