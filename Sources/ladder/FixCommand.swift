import ArgumentParser
import Foundation
import LadderCore
import LadderDriver
import LadderReport

/// `ladder lint --fix`: applies the report's fixes, says what it changed and what it left,
/// and checks the changed files again so the user sees their findings gone (or not).
/// The exit status stays the report's: it describes the code as it was read.
struct FixCommand {
    let driver: LintDriver
    let options: LintOptions

    func run(on report: Report, applying application: FixApplication) throws {
        var changed: [String] = []
        var originals: [String: [UInt8]] = [:]
        for (outcome, original) in application.apply() {
            switch outcome {
            case .applied(let plan):
                changed.append(plan.file)
                originals[plan.file] = original
                for fix in plan.fixes { printError("ladder: fixed \(plan.file):\(fix.insertBefore.line): \(fix.summary)") }
                if !plan.conflicting.isEmpty {
                    printError("ladder: \(plan.file): \(plan.conflicting.count) fixes overlap ones applied; run again to get them")
                }
            case .refused(let file, let reason):
                printError("ladder: not fixed: \(file): \(reason)")
            }
        }
        guard !changed.isEmpty else {
            printError("ladder: nothing to fix")
            return
        }
        let after = try check(changed)
        // A fix is checked by the analysis that proposed it: a file that now has a finding it
        // did not have (a release on a path that never acquired) goes back as it was.
        let known = Set(report.findings.map(\.fingerprint))
        var kept: [String] = []
        for file in changed {
            let added = after.findings.filter { $0.location.file == file && !known.contains($0.fingerprint) }
            if added.isEmpty { kept.append(file); continue }
            if let bytes = originals[file], let text = String(bytes: bytes, encoding: .utf8) {
                do { try writeAtomically(text, to: file) } catch {
                    printError("ladder: \(file): could not be restored: \(error)")
                    throw ExitCode(ExitStatus.untrusted)
                }
            }
            printError("ladder: not fixed: \(file): its fixes add \(added.count) findings (\(added.map { "line \($0.location.line): \($0.message)" }.joined(separator: "; "))); restored")
        }
        guard !kept.isEmpty else { return }
        let remaining = after.findings.filter { kept.contains($0.location.file) }
        let before = report.findings.filter { kept.contains($0.location.file) }.count
        printError("ladder: after fixing, \(kept.count) changed files have \(remaining.count) findings (\(before) before)")
        for finding in remaining {
            printError("ladder:   \(finding.location.file):\(finding.location.line): [\(finding.rule.rawValue)] \(finding.message)")
        }
    }

    /// The changed files analysed again, as the run analysed them.
    private func check(_ files: [String]) throws -> Report {
        var again = options
        again.paths = files
        again.baseline = nil
        do {
            let report = try driver.run(again).report
            for error in report.errors { printError("ladder:   \(error.description)") }
            return report
        } catch {
            printError("ladder: the changed files could not be checked again: \(error.description)")
            throw ExitCode(ExitStatus.untrusted)
        }
    }
}
