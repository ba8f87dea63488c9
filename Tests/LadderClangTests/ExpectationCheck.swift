import LadderCore

/// Where a fixture's expectations and the reported findings disagree.
enum Mismatch: Hashable, CustomStringConvertible {
    case missingFinding(Expectation)
    case unexpectedFinding(Finding)
    case missingNote(Expectation)
    case unexpectedNote(PathStep, of: Finding)
    case missingFix(Expectation)
    case unexpectedFix(Fix, of: Finding)

    var description: String {
        switch self {
        case .missingFinding(let e), .missingNote(let e), .missingFix(let e):
            "\(e): not reported"
        case .unexpectedFinding(let f):
            "line \(f.location.line): unexpected \(f.severity.rawValue) [\(f.rule.rawValue)] \(f.message)"
        case .unexpectedNote(let step, let f):
            "line \(step.location.line): unexpected note '\(step.message)' (of the finding at line \(f.location.line))"
        case .unexpectedFix(let fix, let f):
            "line \(fix.edits.first?.start.line ?? fix.insertBefore.line): unexpected fix (\(fix.summary)) {{\(Expectation.escape(FixedText.render(fix) ?? "?"))}} (of the finding at line \(f.location.line))"
        }
    }
}

/// Holds findings to a fixture's expectations, in both directions.
///
/// Findings are always checked: each `expected-error`/`-warning` takes one finding of its
/// severity and rule on its line, and every finding must be taken. Notes and fixes are opt-in
/// per file: once a file states one `expected-note`, every path step of every finding must be
/// stated and every stated note must exist; the same for `expected-fix` and fixes. A file that
/// states none is not checked for them, so adding the first one is what commits a case to its
/// whole explanation.
enum ExpectationCheck {
    /// `source` is the fixture's text (read from `file` when nil): what a fix is applied to.
    /// `file` is the fixture as the findings name it: a step or fix placed in another file (a
    /// header) cannot be stated in the fixture, so it never matches and is reported as
    /// unexpected.
    static func mismatches(_ expectations: [Expectation], _ findings: [Finding], file: String, source: SourceText? = nil) -> [Mismatch] {
        var result: [Mismatch] = []

        var unclaimed = findings
        for e in expectations {
            guard case .finding(let severity, let rule, let substring) = e.kind else { continue }
            if let i = unclaimed.firstIndex(where: {
                $0.location.line == e.line && $0.severity == severity && $0.rule == rule && $0.message.contains(substring)
            }) {
                unclaimed.remove(at: i)
            } else {
                result.append(.missingFinding(e))
            }
        }
        result += unclaimed.map(Mismatch.unexpectedFinding)

        let notes = expectations.filter { if case .note = $0.kind { true } else { false } }
        if !notes.isEmpty {
            var steps = findings.flatMap { f in f.path.map { (step: $0, of: f) } }
            for e in notes {
                guard case .note(let substring) = e.kind else { continue }
                if let i = steps.firstIndex(where: {
                    $0.step.location.file == file && $0.step.location.line == e.line && $0.step.message.contains(substring)
                }) {
                    steps.remove(at: i)
                } else {
                    result.append(.missingNote(e))
                }
            }
            result += steps.map { Mismatch.unexpectedNote($0.step, of: $0.of) }
        }

        let fixes = expectations.filter { if case .fix = $0.kind { true } else { false } }
        if !fixes.isEmpty {
            // Findings at one place share one fix (every release that place needs): it is
            // stated once.
            var offered: [(fix: Fix, of: Finding)] = []
            for f in findings { if let fix = f.fix, !offered.contains(where: { $0.fix.edits == fix.edits }) { offered.append((fix, f)) } }
            for e in fixes {
                guard case .fix(let text) = e.kind else { continue }
                if let i = offered.firstIndex(where: { candidate in
                    candidate.fix.file == file && candidate.fix.edits.first?.start.line == e.line
                        && (source.map { FixedText.render(candidate.fix, in: $0) } ?? FixedText.render(candidate.fix)) == text
                }) {
                    offered.remove(at: i)
                } else {
                    result.append(.missingFix(e))
                }
            }
            result += offered.map { Mismatch.unexpectedFix($0.fix, of: $0.of) }
        }
        return result
    }
}
