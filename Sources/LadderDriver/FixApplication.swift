import Foundation
import LadderCore
import LadderReport

/// `ladder lint --fix`: the fixes of a report applied to the files they edit.
///
/// Which fixes: one per place (findings at one exit share a fix), in report order, each
/// taken whole or not at all; a fix whose edits overlap one already taken is left out, for
/// a later run to offer again against the edited file. A file whose content is no longer
/// what its fixes were computed against (edited since the run read it) is left untouched.
/// Each file is replaced atomically: readers see the old file or the whole new one.
public struct FixApplication: Sendable {
    /// One file's fixes, ready to apply.
    public struct FilePlan: Sendable, Hashable {
        public var file: String
        public var fixes: [Fix]
        /// Findings whose fix is in `fixes` (several findings can share one).
        public var findings: [Finding]
        /// Fixes left out because an edit overlaps one taken.
        public var conflicting: [Fix]
    }

    public enum FileOutcome: Sendable, Hashable {
        case applied(FilePlan)
        /// Not written: the reason, naming the file.
        case refused(file: String, reason: String)
    }

    public let plans: [FilePlan]

    public init(report: Report) {
        var byFile: [String: FilePlan] = [:]
        var order: [String] = []
        for finding in report.findings {
            guard let fix = finding.fix, !fix.edits.isEmpty else { continue }
            let file = fix.file
            if byFile[file] == nil {
                byFile[file] = FilePlan(file: file, fixes: [], findings: [], conflicting: [])
                order.append(file)
            }
            var plan = byFile[file]!
            if plan.fixes.contains(where: { $0.edits == fix.edits }) {
                plan.findings.append(finding)
            } else if plan.conflicting.contains(where: { $0.edits == fix.edits }) {
                // already left out
            } else if fix.edits.contains(where: { edit in plan.fixes.contains { $0.edits.contains { $0.conflicts(with: edit) } } })
                        || fix.sourceDigest != (plan.fixes.first?.sourceDigest ?? fix.sourceDigest) {
                plan.conflicting.append(fix)
            } else {
                plan.fixes.append(fix)
                plan.findings.append(finding)
            }
            byFile[file] = plan
        }
        plans = order.compactMap { byFile[$0] }
    }

    /// Applies every plan, each file read once: what it held before goes back with the
    /// outcome, for a caller that checks the result to restore it.
    public func apply() -> [(outcome: FileOutcome, original: [UInt8]?)] {
        plans.map { plan in
            guard let data = FileManager.default.contents(atPath: plan.file) else {
                return (.refused(file: plan.file, reason: "cannot be read"), nil)
            }
            let bytes = [UInt8](data)
            guard SourceText.digest(bytes) == plan.fixes.first?.sourceDigest else {
                return (.refused(file: plan.file, reason: "changed since it was analysed; run ladder again"), nil)
            }
            guard let edited = EditApplication.apply(plan.fixes.flatMap(\.edits), to: bytes) else {
                return (.refused(file: plan.file, reason: "its fixes overlap"), nil)
            }
            guard let text = String(bytes: edited, encoding: .utf8) else {
                return (.refused(file: plan.file, reason: "is not UTF-8 text"), nil)
            }
            do { try writeAtomically(text, to: plan.file) } catch {
                return (.refused(file: plan.file, reason: (error as? ReportError)?.message ?? "\(error)"), nil)
            }
            return (.applied(plan), bytes)
        }
    }
}
