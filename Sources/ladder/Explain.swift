import Foundation
import ArgumentParser
import LadderCore
import LadderDriver
import LadderReport

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "What a rule means, with a wrong and a right example.")

    @Argument(help: "A rule id: \(ruleList).")
    var rule: String

    func run() throws {
        guard let id = RuleID(rawValue: rule), let spec = Registry.spec(id) else {
            printError("ladder: error: unknown rule '\(rule)' (rules: \(ruleList))")
            throw ExitCode(ExitStatus.usage)
        }
        try StandardStreams.outLine(RuleCatalog.helpText(for: spec) + "\nSeverity: \(spec.severity.rawValue)", what: "the explanation")
    }
}

private let ruleList = Registry.rules.map(\.id.rawValue).joined(separator: ", ")

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules and the rule packs, or print what one pack declares.")

    @Argument(help: "A built-in pack name or a YAML file; with --mine, the files or directories to mine.")
    var name: String?

    @Argument(help: ArgumentHelp("More files or directories to mine (--mine).", valueName: "paths"))
    var morePaths: [String] = []

    @Flag(name: .long, help: "Learn candidate acquire/release pairs from the error paths of the given files and print them as pack YAML for review.")
    var mine = false

    @Option(name: .short, help: "With --mine: a build directory holding compile_commands.json, or the file itself.")
    var p: String?

    @Option(name: .long, help: "With --mine: pairs these packs know are left out (repeatable; default: every built-in pack).")
    var rules: [String] = []

    @Option(name: .customLong("min-support"), help: "With --mine: print pairs seen in at least this many functions.")
    var minSupport = 3

    @Option(name: .customShort("j", allowingJoined: true), help: "With --mine: files parsed in parallel.")
    var jobs = 1

    @Option(name: .long, help: "Validate and lint a pack (a YAML file or a built-in name): exit 0 clean, 1 warnings, 2 invalid.")
    var check: String?

    func run() throws {
        if mine {
            try MineRequest(paths: (name.map { [$0] } ?? []) + morePaths, compileDatabase: p, rulePacks: rules,
                            minSupport: minSupport, jobs: jobs).run()
            return
        }
        if let check {
            try lint(check)
            return
        }
        guard let name else {
            var lines = ["Rules (ladder explain RULE):\n"]
            let width = Registry.rules.map(\.id.rawValue.count).max() ?? 0
            for spec in Registry.rules {
                let id = spec.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = spec.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                lines.append("  \(id)  \(severity) \(spec.summary)\n")
            }
            lines.append("\nRule packs (ladder rules NAME):\n")
            lines += BuiltinPacks.names.map { pack in
                "  \(pack)\t\((try? BuiltinPacks.load(pack))?.description ?? "")\n"
            }
            try StandardStreams.out(lines.joined(), what: "the list of packs")
            return
        }
        let pack: RulePack
        do { pack = try RulePackCache().pack(name) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
        try StandardStreams.outLine(RulePackPrinter.render(pack), what: "the pack")
    }

    /// Loader errors and lint warnings print as `file:line:col: …` so editors can jump to them.
    func lint(_ nameOrPath: String) throws {
        let warnings: [RulePackWarning]
        do { warnings = try RulePackLint.check(nameOrPath: nameOrPath) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
        for warning in warnings { print(warning.description) }
        guard warnings.isEmpty else { throw ExitCode(ExitStatus.findings) }
        print("\(nameOrPath): ok")
    }
}
