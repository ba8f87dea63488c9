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
        print(RuleCatalog.helpText(for: id))
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List rule packs, or print what one declares.")

    @Argument(help: "A built-in pack name or a YAML file.")
    var name: String?

    func run() throws {
        guard let name else {
            for pack in BuiltinPacks.names {
                let loaded = try? BuiltinPacks.load(pack)
                print("\(pack)\t\(loaded?.description ?? "")")
            }
            return
        }
        do { print(RulePackPrinter.render(try RulePackCache().pack(name))) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
    }
}
