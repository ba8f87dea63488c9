import Foundation
import LadderCore
import LadderDriver

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

    /// Suppressions are off: ground truth judges what the analysis says, not what a
    /// comment accepted.
    static func analyse(_ path: String, driver: LintDriver) -> StaticVerdict {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var packName = "xv6"
        if let range = first.range(of: "ladder-rules:") {
            packName = first[range.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        let options = LintOptions(paths: [path], compileDatabase: .none, rulePacks: [packName], applySuppressions: false)
        let outcome: LintOutcome
        do {
            outcome = try driver.run(options)
        } catch {
            return StaticVerdict(file: path, functions: [], findings: [], error: "rule pack \(packName): \(error)")
        }
        let report = outcome.report
        let functions = outcome.files.first?.functions.map {
            DefinedFunction(name: $0.name, line: $0.location.line, isStatic: $0.isStatic)
        } ?? []
        return StaticVerdict(file: path, functions: functions, findings: report.findings,
                             error: report.errors.isEmpty ? nil : report.errors.map(\.description).joined(separator: "; "))
    }
}
