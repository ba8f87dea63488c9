import Foundation
import LadderCore
import Sv39

/// What really went wrong in a run, judged while the C code ran on the model.
public enum ProblemClass: String, Codable, Sendable, CaseIterable, Comparable {
    /// A resource the call acquired was still held when it returned its error value.
    case heldAtErrorExit = "held-at-error-exit"
    /// A lock (or transaction) the call took was still held when it returned success, and
    /// taking it is not what the function is for.
    case heldAtReturn = "held-at-return"
    /// Frames or resources still held after the caller's teardown, on an error exit.
    case leak
    /// The same, after a successful call: outside the rules (missing-release is judged at
    /// error exits), reported all the same.
    case leakOnSuccess = "leak-on-success"
    /// freewalk met a leaf: a table freed while a mapping was still in it (the mapping was
    /// never released, or was released too late: C cannot go on past the panic to tell).
    case freedWithMapping = "freed-with-mapping"
    /// mappages found the page already mapped: an earlier mapping was not released.
    case remap
    /// A release while something that depends on it is held (a mapped user page freed, an
    /// inode put outside its transaction or while locked, a table used after its free).
    case order
    case doubleRelease = "double-release"
    /// A release of something not held: never acquired here, or a failed acquisition.
    case releaseUnheld = "release-unheld"
    /// Acquired while already held: xv6 panics or hangs.
    case deadlock
    /// A null pointer reached memset/memmove or a stub.
    case nullPointer = "null-pointer"
    /// The host faulted on a wild pointer (or the run ended without a word).
    case crash
    /// The run outlived its time limit: a loop that never ends.
    case hang
    /// The scenario's own setup panicked, faulted or blocked: the scenario does not fit the
    /// tree (a shim or scenario limitation), and its call was never judged.
    case setupFailed = "setup-failed"

    /// The rules a finding must have to explain a problem of this class.
    public var compatibleRules: Set<RuleID> {
        switch self {
        case .heldAtErrorExit, .heldAtReturn, .leak, .remap, .deadlock: [.missingRelease]
        case .freedWithMapping: [.missingRelease, .releaseOrder]
        case .order: [.releaseOrder]
        case .doubleRelease: [.doubleRelease]
        case .releaseUnheld: [.releaseUnacquired]
        case .nullPointer: [.uncheckedAcquire]
        case .leakOnSuccess, .crash, .hang, .setupFailed: []
        }
    }

    /// Problems no rule describes: a checker that says nothing is not wrong about them, but
    /// they are real, so they are reported and must be explained like disagreements.
    public var outsideTheRules: Bool { compatibleRules.isEmpty }

    public static func < (a: ProblemClass, b: ProblemClass) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A run: one scenario, clean (`point == nil`) or under one failure point.
public struct RunPoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public var scenario: String
    public var point: FailurePoint?

    public var description: String { "\(scenario): \(point.map(\.description) ?? "no failure")" }
}

/// One problem of a function, with every run that showed it.
public struct DynamicProblem: Hashable, Sendable, Codable {
    public var problem: ProblemClass
    /// The resource kind, in the rule pack's words (page, mapping, spinlock, inode-ref, …).
    public var kind: String
    /// The resource as the run names it (mem@0x1000, proc[1].lock, /a, TRAMPOLINE).
    public var resource: String
    public var detail: String
    /// The line of the function under test where it showed (the call that released too
    /// early or twice, that freed the table…), 0 when the call had returned.
    public var line: Int
    /// The line of the function under test that acquired the resource, 0 when unknown.
    public var acquiredLine: Int
    /// The innermost kernel function the problem showed in, when not the function itself.
    public var innermost: String?
    /// It showed after the call returned, while the caller tore down what it owned: the
    /// call left something the caller's cleanup could not undo.
    public var inTeardown: Bool
    public var runs: [RunPoint]

    /// Every run that shows it forces a named operation to fail that only fails, in the
    /// real kernel, when an allocation does (a branch no allocation failure reaches here).
    public var forcedOnly: Bool { !runs.isEmpty && runs.allSatisfy { $0.point.map(FailurePoints.isForced) ?? false } }

    var key: String { "\(problem.rawValue)|\(kind)|\(line)|\(acquiredLine)|\(detail)|\(inTeardown)" }
}

/// A static finding, as compared.
public struct StaticFinding: Hashable, Sendable, Codable {
    public var rule: RuleID
    public var kind: String
    public var message: String
    public var line: Int
    public var acquiredBy: String
    public var acquiredLine: Int

    init(_ finding: Finding) {
        rule = finding.rule
        kind = finding.resource?.kind ?? ""
        message = finding.message
        line = finding.location.line
        acquiredBy = finding.resource?.acquiredBy ?? ""
        acquiredLine = finding.resource?.acquiredAt.line ?? 0
    }
}

/// How a function's static findings and dynamic problems compare.
public struct Agreement: Hashable, Sendable, Codable {
    public enum Status: String, Codable, Sendable {
        /// Every finding confirmed by a run, every problem explained by a finding.
        case agree
        /// Some disagreement, every one explained (the explanations file).
        case known
        /// A disagreement nobody explained.
        case disagree
        /// No scenario drives the function: nothing to compare.
        case notRun = "not-run"
    }

    public struct Confirmation: Hashable, Sendable, Codable {
        public var finding: StaticFinding
        public var problems: [String]
        /// Confirmed only by forcing mappages to fail where no allocation failure reaches.
        public var forcedOnly: Bool
    }

    /// A disagreement: a finding no run confirms, or a problem no finding explains.
    public struct Disagreement: Hashable, Sendable, Codable {
        public enum Kind: String, Codable, Sendable {
            /// A finding no run triggers: a false positive, or a branch the runs do not reach.
            case unconfirmedFinding = "unconfirmed-finding"
            /// A problem the rules describe that no finding reports: a false negative.
            case missedProblem = "missed-problem"
            /// A real problem outside the rules (a leak after success, a crash).
            case outsideTheRules = "outside-the-rules"
            /// The C path acquires or releases differently from KernelModel's RAII
            /// reference for the same path under the same failure point.
            case disagreesWithReference = "disagrees-with-reference"
        }

        public var kind: Kind
        /// The rule of the finding, or the class of the problem ("trace" for the reference).
        public var what: String
        public var line: Int
        public var description: String
        /// What it most likely is, judged from the runs alone.
        public var likely: DisagreementClass
        /// Set when the explanations file accepts it: the reason given there.
        public var explanation: String?
        /// What the explanations file says it is.
        public var explainedAs: DisagreementClass?

        init(kind: Kind, what: String, line: Int, description: String, likely: DisagreementClass) {
            self.kind = kind
            self.what = what
            self.line = line
            self.description = description
            self.likely = likely
        }
    }

    public var status: Status
    public var confirmed: [Confirmation]
    public var disagreements: [Disagreement]
}

/// One function: the runs, what they showed, the findings, and the verdict.
public struct FunctionReport: Sendable, Codable {
    public var file: String
    public var function: String
    public var line: Int
    public var scenarios: [String]
    /// Runs under a failure point (every run but the clean one of each scenario).
    public var failurePoints: Int
    /// Of which forced (mappages made to fail where no allocation failure reaches).
    public var forcedPoints: Int
    public var runs: Int
    public var problems: [DynamicProblem]
    /// Panics the function raises on purpose (its own `panic(...)`), by message, with a run.
    public var panics: [String: RunPoint]
    /// Calls that would have blocked forever on one hart (sleep with its condition false, a
    /// context switch), by what blocked, with a run: the run ended there.
    public var blocked: [String: RunPoint] = [:]
    public var findings: [StaticFinding]
    public var agreement: Agreement
    public var reference: ReferenceComparison?
    /// In a hosted tree: whether it calls, itself, something the rule pack acquires or
    /// releases (the others have nothing of their own to judge). nil elsewhere.
    public var entryPoint: Bool?
    /// Why no scenario runs it, when ladder's scenarios say (GT_NOT_HOSTED).
    public var notHosted: String?
    public var isStatic = false

    /// Why it has no run, in a few words (nil when it ran).
    public var whyNotRun: String? {
        guard scenarios.isEmpty else { return nil }
        if let notHosted { return "not hosted: " + notHosted }
        if isStatic { return "static: it runs inside the entry points that call it" }
        if entryPoint == false { return "not an entry point: it acquires and releases nothing the rule pack knows" }
        return "no scenario"
    }

    /// The dynamic verdict in a few words.
    public var dynamicVerdict: String {
        guard !scenarios.isEmpty else { return "not run" }
        if problems.isEmpty {
            var notes: [String] = []
            if !panics.isEmpty { notes.append("panics on purpose") }
            if !blocked.isEmpty { notes.append("would block") }
            return notes.isEmpty ? "clean" : "clean (" + notes.joined(separator: ", ") + ")"
        }
        return problems.map { "\($0.problem.rawValue) \($0.kind)" + ($0.line > 0 ? "@\($0.line)" : "") }
            .uniqued().joined(separator: ", ")
    }

    /// The static verdict in a few words.
    public var staticVerdict: String {
        findings.isEmpty ? "none" : findings.map { "\($0.rule.rawValue)@\($0.line)" }.joined(separator: ", ")
    }
}

/// The comparison of a function's runs with KernelModel's reference for the same path.
public struct ReferenceComparison: Hashable, Sendable, Codable {
    public var path: String
    /// Failure points both have (the clean run included).
    public var comparedPoints: Int
    /// Points where C and the model return alike and acquire and release the same pages,
    /// tables and mappings.
    public var matchingPoints: Int
    /// Of those, points whose releases also come in exactly the model's order.
    public var exactOrderPoints: Int
    public var differences: [String]
    /// Both traces (pages, tables and mappings, + and -) at each point that differs.
    public var traces: [PointTraces] = []
}

public struct PointTraces: Hashable, Sendable, Codable {
    public var point: String
    public var model: [String]
    public var c: [String]
}

public struct UnitReport: Sendable, Codable {
    public var name: String
    public var files: [String]
    public var functions: [FunctionReport]
    public var error: String?
    /// What of a hosted tree could not be built or instrumented as the shim expects, each
    /// with the reason: runs go on without it.
    public var limitations: [String] = []
}

public struct Totals: Hashable, Sendable, Codable {
    /// Entry points of hosted trees, and of those the ones scenarios run.
    public var entryPoints = 0
    public var entryPointsRun = 0
    public var functions = 0
    public var functionsRun = 0
    public var failurePoints = 0
    public var runs = 0
    public var agreements = 0
    public var knownDisagreements = 0
    public var unexplainedDisagreements = 0
    public var confirmedFindings = 0
    public var forcedConfirmations = 0
    public var findings = 0
    public var problems = 0
}

/// Everything `ladder groundtruth PATH…` reports. JSON version 1.
public struct GroundTruthReport: Sendable, Codable {
    public var version = 1
    public var units: [UnitReport]
    public var skipped: [SkippedPath]
    public var errors: [String]
    public var totals: Totals
    public var seconds: Double

    public var allFunctions: [FunctionReport] { units.flatMap(\.functions) }

    /// Entries of the explanations file that matched no disagreement (fixed, or renamed).
    public var staleExplanations: [Explanation] = []
    /// The explanations file read, if any.
    public var explanationsFile: String?

    /// Every disagreement the explanations file does not accept, as "file:function: …".
    public var unexplained: [String] {
        allFunctions.flatMap { f in
            f.agreement.disagreements.filter { $0.explanation == nil }.map {
                "\(f.file):\(f.function): \($0.kind.rawValue) \($0.what)" + ($0.line > 0 ? " at line \($0.line)" : "")
                    + ": \($0.description)"
            }
        }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
