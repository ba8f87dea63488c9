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
    static func analyse(_ path: String, driver: LintDriver, clangArguments: [String] = []) -> StaticVerdict {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var packName = "xv6"
        if let range = first.range(of: "ladder-rules:") {
            packName = first[range.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        let options = LintOptions(paths: [path], compileDatabase: .none, clangArguments: clangArguments, rulePacks: [packName],
                                  applySuppressions: false)
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

/// What ground truth needs of a hosted tree's file beyond ladder's findings, from the same
/// front end: its entry points — the non-static functions that call, themselves, something
/// the rule pack acquires or releases (the others, walkaddr or namecmp, have nothing of
/// their own for either side to judge) — and a prototype for each non-static function, so
/// that ladder's scenarios can call what defs.h does not declare (freewalk, allocpid…).
struct FileShape: Sendable {
    var entryPoints: Set<String> = []
    var prototypes: [String] = []

    static func read(_ path: String, driver: LintDriver, clangArguments: [String], pack: String = "xv6") -> FileShape? {
        guard let rules = try? BuiltinPacks.load(pack),
              case .success(let loaded) = driver.load(file: path, clangArguments: clangArguments) else { return nil }
        let known = Set(rules.acquires.keys).union(rules.releases.keys)
        var shape = FileShape()
        for function in loaded.unit.functions where !function.isStatic {
            let calls = function.blocks.flatMap(\.statements).contains { statement in
                if case .call(let call) = statement, let callee = call.callee { return known.contains(callee) && callee != function.name }
                return false
            }
            if calls { shape.entryPoints.insert(function.name) }
            let parameters = function.parameters.isEmpty ? "void" : function.parameters.map(\.type.spelling).joined(separator: ", ")
            shape.prototypes.append("\(function.returnType.spelling) \(function.name)(\(parameters));")
        }
        return shape
    }
}
