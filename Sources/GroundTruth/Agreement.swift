import LadderCore

/// Holds a function's static findings against the problems its runs showed.
///
/// A problem is explained by the findings whose rule describes it (`compatibleRules`) and
/// whose resource is of the same family (pages, tables and mappings; the file system's
/// references, locks, log and buffers; files; locks and process slots). When several could
/// explain it, those on the same line (the release call, or the acquisition) are preferred.
/// A finding is confirmed by the problems it explains.
enum AgreementJudge {
    static let families: [Set<String>] = [
        ["page", "pagetable", "mapping"],
        ["inode-ref", "inode-lock", "log-op", "buf"],
        ["file"],
        ["spinlock", "sleeplock", "proc"],
    ]

    /// A finding without a resource (release-unacquired names only the release) matches any.
    static func sameFamily(_ a: String, _ b: String) -> Bool {
        a.isEmpty || b.isEmpty || a == b || families.contains { $0.contains(a) && $0.contains(b) }
    }

    static func judge(file: String, function: String, ran: Bool, findings: [StaticFinding],
                      problems: [DynamicProblem], reference: ReferenceComparison? = nil,
                      explanations: ExplanationSet = .empty) -> Agreement
    {
        var confirmations: [Int: [DynamicProblem]] = [:]
        var disagreements: [Agreement.Disagreement] = []
        for problem in problems {
            if problem.problem.outsideTheRules {
                disagreements.append(.init(kind: .outsideTheRules, what: problem.problem.rawValue,
                                           line: problem.line > 0 ? problem.line : problem.acquiredLine,
                                           description: describe(problem),
                                           likely: [.setupFailed, .hang].contains(problem.problem) ? .shimLimitation : .outsideTheRules))
                continue
            }
            let candidates = findings.indices.filter {
                problem.problem.compatibleRules.contains(findings[$0].rule) && sameFamily(findings[$0].kind, problem.kind)
            }
            let onLine = candidates.filter {
                let f = findings[$0]
                return (problem.line > 0 && f.line == problem.line)
                    || (problem.acquiredLine > 0 && f.acquiredLine == problem.acquiredLine)
            }
            let chosen = onLine.isEmpty ? candidates : onLine
            if chosen.isEmpty {
                disagreements.append(.init(kind: .missedProblem, what: problem.problem.rawValue,
                                           line: problem.line > 0 ? problem.line : problem.acquiredLine,
                                           description: describe(problem), likely: .staticMiss))
            }
            for i in chosen { confirmations[i, default: []].append(problem) }
        }
        var confirmed: [Agreement.Confirmation] = []
        for (i, finding) in findings.enumerated() {
            if let by = confirmations[i] {
                confirmed.append(.init(finding: finding, problems: by.map(describe),
                                       forcedOnly: by.allSatisfy(\.forcedOnly)))
            } else {
                disagreements.append(.init(kind: .unconfirmedFinding, what: finding.rule.rawValue, line: finding.line,
                                           description: ran ? "no run shows it: \(finding.message)"
                                                            : "the function is not run: \(finding.message)",
                                           likely: ran ? .staticFalseAlarm : .unreachable))
            }
        }
        if let reference, !reference.differences.isEmpty {
            let traces = reference.traces.map {
                "\($0.point): the model [\($0.model.joined(separator: ", "))], C [\($0.c.joined(separator: ", "))]"
            }
            disagreements.append(.init(kind: .disagreesWithReference, what: "trace", line: 0,
                                       description: "disagrees with the RAII reference (\(reference.path)): "
                                           + traces.joined(separator: "; "),
                                       likely: .modelDiffers))
        }
        for i in disagreements.indices {
            let d = disagreements[i]
            if let known = explanations.explanation(file: file, function: function, kind: d.kind, what: d.what) {
                disagreements[i].explanation = known.reason
                disagreements[i].explainedAs = known.class
            }
        }
        let status: Agreement.Status
        if !ran && findings.isEmpty {
            status = .notRun
        } else if disagreements.isEmpty {
            status = .agree
        } else if disagreements.allSatisfy({ $0.explanation != nil }) {
            status = .known
        } else {
            status = .disagree
        }
        return Agreement(status: status, confirmed: confirmed, disagreements: disagreements)
    }

    static func describe(_ p: DynamicProblem) -> String {
        var text = "\(p.problem.rawValue) \(p.kind) \(p.resource)"
        if p.line > 0 { text += " at line \(p.line)" }
        if let inner = p.innermost { text += " (in \(inner))" }
        if p.acquiredLine > 0 { text += ", acquired at line \(p.acquiredLine)" }
        if p.inTeardown { text += ", in the caller's teardown" }
        text += ": \(p.detail)"
        let shown = p.runs.prefix(3).map(\.description).joined(separator: "; ")
        text += " [" + shown + (p.runs.count > 3 ? "; +\(p.runs.count - 3) more" : "") + "]"
        return text
    }
}
