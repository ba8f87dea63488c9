import Foundation

/// `ladder groundtruth PATH…` as text: per function, what the runs showed beside what ladder
/// found, and whether they agree; then the totals.
public enum AgreementTextRenderer {
    public static func render(_ report: GroundTruthReport, verbose: Bool = false) -> String {
        var out = ""
        for unit in report.units {
            if let error = unit.error { out += "\(unit.name): error: \(error)\n" }
            for limitation in unit.limitations { out += "\(unit.name): note: \(limitation)\n" }
            var currentFile = ""
            for f in unit.functions {
                if f.file != currentFile {
                    currentFile = f.file
                    out += "\(f.file)\n"
                }
                out += render(f, verbose: verbose)
            }
        }
        for skip in report.skipped { out += "\(skip.path): skipped: \(skip.reason)\n" }
        out += summary(report)
        return out
    }

    static func render(_ f: FunctionReport, verbose: Bool) -> String {
        var out = "  \(f.function) (line \(f.line)): "
        if let why = f.whyNotRun {
            // A function nothing runs and nothing found: one line says why.
            if f.findings.isEmpty && f.agreement.disagreements.isEmpty { return out + why + "\n" }
            out += why
        } else {
            out += "\(f.scenarios.count) scenario\(f.scenarios.count == 1 ? "" : "s"), "
            out += "\(f.failurePoints) failure point\(f.failurePoints == 1 ? "" : "s")"
            if f.forcedPoints > 0 { out += " (\(f.forcedPoints) forced)" }
        }
        out += " — \(f.agreement.status.rawValue)\n"
        if !f.scenarios.isEmpty {
            out += "    dynamic: \(f.dynamicVerdict)\n"
            for p in f.problems { out += "      \(AgreementJudge.describe(p))\n" }
            if verbose {
                for (message, run) in f.panics.sorted(by: { $0.key < $1.key }) {
                    out += "      panics on purpose: \"\(message)\" [\(run)]\n"
                }
            }
        }
        out += f.findings.isEmpty ? "    static:  no finding\n" : "    static:\n"
        for finding in f.findings { out += "      \(finding.rule.rawValue) at line \(finding.line): \(finding.message)\n" }
        for c in f.agreement.confirmed where c.forcedOnly {
            out += "    note: \(c.finding.rule.rawValue) at line \(c.finding.line) is confirmed only by forcing mappages to fail, a branch no allocation failure reaches\n"
        }
        for d in f.agreement.disagreements {
            if let accepted = d.explainedAs {
                out += "    explained (\(accepted.rawValue)) \(d.kind.rawValue) \(d.what)"
            } else {
                out += "    DISAGREEMENT (likely \(d.likely.rawValue)) \(d.kind.rawValue) \(d.what)"
            }
            out += d.line > 0 ? " at line \(d.line)" : ""
            out += ": \(d.description)\n"
            if let why = d.explanation { out += "      because: \(why)\n" }
        }
        if let r = f.reference {
            out += "    reference (\(r.path)): \(r.matchingPoints)/\(r.comparedPoints) points match the model"
            out += ", \(r.exactOrderPoints) in exactly its order\n"
            for d in r.differences { out += "      differs: \(d)\n" }
        }
        return out
    }

    public static func summary(_ report: GroundTruthReport, time: Bool = true) -> String {
        let t = report.totals
        var out = "ground truth: "
        if t.entryPoints > 0 { out += "\(t.entryPoints) entry points (\(t.entryPointsRun) run) of " }
        out += "\(t.functions) functions (\(t.functionsRun) run), \(t.failurePoints) failure points, \(t.runs) runs; "
        out += "\(t.agreements) agree, \(t.knownDisagreements) explained disagreement\(t.knownDisagreements == 1 ? "" : "s"), "
        out += "\(t.unexplainedDisagreements) unexplained; "
        out += "\(t.confirmedFindings)/\(t.findings) findings confirmed"
        if t.forcedConfirmations > 0 { out += " (\(t.forcedConfirmations) only by forcing mappages)" }
        out += time ? String(format: "; %.1fs\n", report.seconds) : "\n"
        for error in report.errors { out += "error: \(error)\n" }
        for e in report.staleExplanations {
            out += "stale explanation in \(report.explanationsFile ?? "the explanations file"): \(e.file) \(e.function) \(e.kind.rawValue) \(e.what) matches no disagreement\n"
        }
        return out
    }
}

/// The agreement table of docs/groundtruth.md: one row per function run, then the totals.
public enum AgreementMarkdownRenderer {
    public static func render(_ report: GroundTruthReport, relativeTo root: String? = nil) -> String {
        func shorten(_ path: String) -> String {
            var p = path
            if let root, p.hasPrefix(root + "/") { p.removeFirst(root.count + 1) }
            return p
        }
        // A unit of one file (a checks case) is named by the file; a tree's files by their
        // path in the tree, where several directories may hold the same name.
        let singleFiles = Set(report.units.filter { $0.files.count == 1 }.flatMap(\.files))
        var out = "| file | function | scenarios | failure points (forced) | dynamic verdict | static verdict | agreement |\n"
        out += "|---|---|---|---|---|---|---|\n"
        for f in report.allFunctions where !f.scenarios.isEmpty {
            let forced = f.forcedPoints > 0 ? " (\(f.forcedPoints))" : ""
            var agreement = f.agreement.status.rawValue
            if f.agreement.confirmed.contains(where: \.forcedOnly) { agreement += " (forced)" }
            if f.agreement.status == .known {
                agreement += ": " + f.agreement.disagreements.map { "\($0.kind.rawValue) \($0.what)" }.joined(separator: ", ")
            }
            let file = shorten(f.file)
            let name = singleFiles.contains(f.file) ? (file as NSString).lastPathComponent : file
            out += "| \(name) | `\(f.function)` | \(f.scenarios.count) | \(f.failurePoints)\(forced) | "
            out += "\(f.dynamicVerdict) | \(f.staticVerdict) | \(agreement) |\n"
        }
        out += "\n" + AgreementTextRenderer.summary(report, time: false).replacingOccurrences(of: "ground truth: ", with: "Totals: ")
        // Functions not run, grouped by why.
        var reasons: [String: [String]] = [:]
        for f in report.allFunctions {
            guard let why = f.whyNotRun else { continue }
            let key = why.hasPrefix("not hosted: ") ? "not hosted" : why
            reasons[key, default: []].append(f.notHosted.map { "`\(f.function)` (\($0))" } ?? "`\(f.function)`")
        }
        for (why, names) in reasons.sorted(by: { $0.key < $1.key }) {
            out += "\nNot run, \(why) (\(names.count)): " + names.joined(separator: ", ") + "\n"
        }
        return out
    }
}
