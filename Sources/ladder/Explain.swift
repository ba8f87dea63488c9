import Foundation
import ArgumentParser
import LadderCore
import LadderDriver
import LadderReport

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "What a rule means, with a wrong and a right example.")

    @Argument(help: "A rule id: \(ruleList).")
    var rule: String

    func run() throws {
        guard let id = RuleID(rawValue: rule), let spec = Registry.spec(id) else {
            printError("ladder: error: unknown rule '\(rule)' (rules: \(ruleList))")
            throw ExitCode(ExitStatus.usage)
        }
        print(RuleCatalog.helpText(for: spec))
        print("Severity: \(spec.severity.rawValue)")
    }
}

private let ruleList = Registry.rules.map(\.id.rawValue).joined(separator: ", ")

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the rules and the rule packs, or print what one pack declares.")

    @Argument(help: "A built-in pack name or a YAML file.")
    var name: String?

    @Option(name: .long, help: "Validate and lint a pack (a YAML file or a built-in name): exit 0 clean, 1 warnings, 2 invalid.")
    var check: String?

    func run() throws {
        if let check {
            try lint(check)
            return
        }
        guard let name else {
            print("Rules (ladder explain RULE):")
            let width = Registry.rules.map(\.id.rawValue.count).max() ?? 0
            for spec in Registry.rules {
                let id = spec.id.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
                let severity = spec.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                print("  \(id)  \(severity) \(spec.summary)")
            }
            print("\nRule packs (ladder rules NAME):")
            for pack in BuiltinPacks.names {
                let loaded = try? BuiltinPacks.load(pack)
                print("  \(pack)\t\(loaded?.description ?? "")")
            }
            return
        }
        do { print(RulePackPrinter.render(try RulePackCache().pack(name))) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
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
