import Foundation
import LadderClang
import LadderCore

/// ladder's own verdict on a file: its functions and the findings in each, from the same
/// front end and analysis `ladder lint` uses, with the rule pack the file names (`xv6` by
/// default).
struct StaticVerdict: Sendable {
    struct DefinedFunction: Hashable, Sendable {
        var name: String
        var line: Int
        var isStatic: Bool
    }

    var file: String
    var functions: [DefinedFunction]
    var findings: [Finding]
    var error: String?

    func findings(in function: String) -> [StaticFinding] {
        findings.filter { $0.function == function }.map(StaticFinding.init).sorted { ($0.line, $0.rule) < ($1.line, $1.rule) }
    }

    static func analyse(_ path: String) -> StaticVerdict {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var packName = "xv6"
        if let range = first.range(of: "ladder-rules:") {
            packName = first[range.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        let pack: RulePack
        do {
            pack = try BuiltinPacks.load(packName)
        } catch {
            return StaticVerdict(file: path, functions: [], findings: [], error: "rule pack \(packName): \(error)")
        }
        switch Frontend().load(CompileCommand(file: path)) {
        case .failure(let error):
            return StaticVerdict(file: path, functions: [], findings: [], error: error.description)
        case .success(let loaded):
            let result = Analyzer(pack: pack).analyse(loaded.unit)
            let functions = loaded.unit.functions.map {
                DefinedFunction(name: $0.name, line: $0.location.line, isStatic: $0.isStatic)
            }
            return StaticVerdict(file: path, functions: functions, findings: result.findings,
                                 error: result.errors.isEmpty ? nil : result.errors.map(\.description).joined(separator: "; "))
        }
    }
}
