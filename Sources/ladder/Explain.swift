import ArgumentParser
import LadderCore
import LadderDriver
import LadderReport

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What a rule means, with a wrong and a right example.")

    @Argument(help: "A rule id: \(RuleID.allCases.map(\.rawValue).joined(separator: ", ")).")
    var rule: String

    func run() throws {
        guard let id = RuleID(rawValue: rule) else {
            printError("ladder: error: unknown rule '\(rule)' (rules: \(RuleID.allCases.map(\.rawValue).joined(separator: ", ")))")
            throw ExitCode(ExitStatus.usage)
        }
        try StandardStreams.outLine(RuleCatalog.helpText(for: id), what: "the explanation")
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List rule packs, or print what one declares.")

    @Argument(help: "A built-in pack name or a YAML file.")
    var name: String?

    func run() throws {
        guard let name else {
            let lines = BuiltinPacks.names.map { pack in
                "\(pack)\t\((try? BuiltinPacks.load(pack))?.description ?? "")\n"
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
}
