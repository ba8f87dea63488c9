import Dispatch
import Foundation
import KernelModel
import LadderCore
import LadderDriver

/// Ground truth II: runs C kernel code on the Sv39 model under every failure point and
/// holds ladder's findings against what happened, function by function.
///
/// For each unit (a case of fixtures/checks, or the fixtures/xv6 tree): ladder analyses
/// the files; the unit is built into a shared library with its harness and the runtime;
/// every scenario runs clean, then once per failure point the clean run reached (each
/// allocation, each named operation); the runs are symbolized and judged; and each
/// function's problems are compared with its findings.
///
/// A value: each `run` makes its own work directory and returns it, so runs on one verifier
/// (or its copies) share nothing but the driver, whose pack cache is synchronised.
public struct GroundTruthVerifier: Sendable {
    public struct Options: Sendable {
        /// Units built and analysed at the same time, and runs (child processes) at once.
        public var jobs: Int
        /// Keep the generated sources and libraries (their directory is printed).
        public var keepWorkDirectory: Bool
        /// Seconds a run may take before its child is killed and the run judged a hang.
        public var timeLimit: Double
        /// The explanations file; nil: the nearest one found beside the paths
        /// (`ExplanationSet.discover`), if any.
        public var explanationsFile: String?
        /// Only these functions (all when empty): their scenarios run, they are reported.
        public var only: Set<String>

        public init(jobs: Int = 2, keepWorkDirectory: Bool = false, timeLimit: Double = 10,
                    explanationsFile: String? = nil, only: Set<String> = []) {
            self.only = only
            self.jobs = max(1, jobs)
            self.keepWorkDirectory = keepWorkDirectory
            self.timeLimit = timeLimit
            self.explanationsFile = explanationsFile
        }
    }

    /// A run's report, and where it built (removed afterwards unless kept).
    public struct Verification: Sendable {
        public var report: GroundTruthReport
        public var workDirectory: String
    }

    public let toolchain: Toolchain
    public let options: Options
    /// ladder's own verdicts come from the lint driver, the same way `ladder lint` gets them.
    let driver: LintDriver

    public init(toolchain: Toolchain? = nil, options: Options = Options()) throws(GroundTruthError) {
        if let toolchain {
            self.toolchain = toolchain
        } else {
            self.toolchain = try Toolchain.locate()
        }
        self.options = options
        self.driver = LintDriver()
    }

    public func verify(paths: [String]) throws(GroundTruthError) -> GroundTruthReport {
        try run(paths: paths).report
    }

    public func run(paths: [String]) throws(GroundTruthError) -> Verification {
        let start = DispatchTime.now()
        let runtime = try LibraryBuilder.runtimeDirectory()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-groundtruth-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw .runtime("cannot create \(work): \(error)")
        }
        defer {
            if !options.keepWorkDirectory { try? FileManager.default.removeItem(atPath: work) }
        }
        let builder = LibraryBuilder(toolchain: toolchain, runtime: runtime, workDirectory: work, jobs: options.jobs)
        let (units, skipped) = UnitDiscovery.units(for: paths)
        let references = (try? ReferenceCatalogue.all()) ?? []
        let explanationsFile = options.explanationsFile ?? ExplanationSet.discover(near: paths)
        let explanations = try explanationsFile.map { path throws(GroundTruthError) in try ExplanationSet.load(path) } ?? .empty

        // Analyse and build every unit (in parallel), run every scenario of every library
        // in child processes (one pool, `jobs` children at once), then judge.
        let (toolchain, driver, only, jobs) = (self.toolchain, self.driver, options.only, options.jobs)
        let prepared = Workers.map(count: units.count, workers: options.jobs, makeState: {}) { _, index in
            UnitVerifier(unit: units[index], tag: "u\(index)", builder: builder, toolchain: toolchain,
                         runtime: runtime, references: references, driver: driver, explanations: explanations,
                         only: only, jobs: jobs).prepare()
        }.map { $0! }
        let libraries = prepared.compactMap(\.library)
        let explored = try Explorer.explore(libraries, parallel: options.jobs, timeLimit: options.timeLimit, only: options.only)
        var explorations: [[ScenarioExploration]] = []
        var next = 0
        for unit in prepared {
            if unit.library != nil {
                explorations.append(explored[next])
                next += 1
            } else {
                explorations.append([])
            }
        }
        let byUnit = explorations
        let results = Workers.map(count: prepared.count, workers: options.jobs, makeState: {}) { _, index in
            prepared[index].judge(byUnit[index])
        }
        let unitReports = results.compactMap { $0 }
        var totals = Totals()
        for f in unitReports.flatMap(\.functions) {
            if f.entryPoint == true {
                totals.entryPoints += 1
                if !f.scenarios.isEmpty { totals.entryPointsRun += 1 }
            }
            totals.functions += 1
            if !f.scenarios.isEmpty { totals.functionsRun += 1 }
            totals.failurePoints += f.failurePoints
            totals.runs += f.runs
            totals.findings += f.findings.count
            totals.problems += f.problems.count
            totals.confirmedFindings += f.agreement.confirmed.count
            totals.forcedConfirmations += f.agreement.confirmed.filter(\.forcedOnly).count
            switch f.agreement.status {
            case .agree, .notRun: totals.agreements += f.agreement.status == .agree ? 1 : 0
            case .known: totals.knownDisagreements += f.agreement.disagreements.count
            case .disagree:
                totals.knownDisagreements += f.agreement.disagreements.filter { $0.explanation != nil }.count
                totals.unexplainedDisagreements += f.agreement.disagreements.filter { $0.explanation == nil }.count
            }
        }
        let errors = unitReports.compactMap { u in u.error.map { "\(u.name): \($0)" } }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        var report = GroundTruthReport(units: unitReports, skipped: skipped, errors: errors, totals: totals, seconds: seconds)
        report.explanationsFile = explanationsFile
        report.staleExplanations = explanations.stale(in: report)
        return Verification(report: report, workDirectory: work)
    }
}

/// One unit from sources to verdicts.
struct UnitVerifier {
    let unit: GroundTruthUnit
    let tag: String
    let builder: LibraryBuilder
    let toolchain: Toolchain
    let runtime: String
    let references: [PathReference]
    let driver: LintDriver
    let explanations: ExplanationSet
    let only: Set<String>
    let jobs: Int

    /// ladder's verdicts and the library, built and loaded; nothing run yet.
    func prepare() -> PreparedUnit {
        var report = UnitReport(name: unit.name, files: unit.files, functions: [], error: nil)
        func failed(_ message: String) -> PreparedUnit {
            report.error = message
            return PreparedUnit(verifier: self, report: report, verdicts: [], library: nil, supportPrefixes: [],
                                tree: false, entryPoints: nil)
        }
        do {
            switch unit {
            case .checksCase(let path):
                guard let harness = HarnessDirectory.find(near: path) else {
                    return failed("no groundtruth/checks.harness.c beside an ancestor directory")
                }
                let verdict = StaticVerdict.analyse(path, driver: driver)
                if let error = verdict.error, verdict.functions.isEmpty { return failed(error) }
                let library = try builder.buildCase(path, functions: verdict.functions.map(\.name), harness: harness, tag: tag,
                                                    driver: driver)
                return PreparedUnit(verifier: self, report: report, verdicts: [verdict], library: try NativeLibrary(path: library),
                                    supportPrefixes: [runtime, harness.path, builder.workDirectory], tree: false, entryPoints: nil)
            case .hosted(let tree):
                // A kernel is freestanding: without it clang takes `log` for the C library's.
                let arguments = ["-ffreestanding"]
                let verdicts = tree.checked.map { StaticVerdict.analyse($0, driver: driver, clangArguments: arguments) }
                var functions: [String: [StaticVerdict.DefinedFunction]] = [:]
                for verdict in verdicts { functions[verdict.file] = verdict.functions }
                var entryPoints = Set<String>()
                var prototypes: [String] = []
                for file in tree.checked {
                    guard let shape = FileShape.read(file, driver: driver, clangArguments: arguments) else { continue }
                    entryPoints.formUnion(shape.entryPoints)
                    prototypes += shape.prototypes
                }
                let built = try HostedBuilder(tree: tree, toolchain: toolchain, runtime: runtime,
                                              workDirectory: builder.workDirectory, tag: tag, jobs: jobs)
                    .build(functions: functions, prototypes: prototypes)
                report.limitations = built.limitations
                return PreparedUnit(verifier: self, report: report, verdicts: verdicts,
                                    library: try NativeLibrary(path: built.library),
                                    supportPrefixes: [runtime, builder.workDirectory], tree: true, entryPoints: entryPoints)
            }
        } catch {
            return failed(error.description)
        }
    }

    /// The runs of a prepared unit, symbolized and judged, against ladder's verdicts.
    func judge(_ prepared: PreparedUnit, _ explorations: [ScenarioExploration]) -> UnitReport {
        var report = prepared.report
        guard let library = prepared.library else { return report }

        // Symbolize every address the runs saw, in one batch.
        var offsets = Set<UInt64>()
        for exploration in explorations {
            for (_, raw) in exploration.runs {
                for event in raw.events { offsets.formUnion(event.stack) }
                for frame in raw.leakedFrames { offsets.formUnion(frame.stack) }
            }
        }
        let sites = Symbolizer(toolchain: toolchain).symbolize(offsets, in: library.path)
        let classifier = RunClassifier(sites: sites, supportPrefixes: prepared.supportPrefixes)

        // Judge the runs, grouped by the function under test.
        var byFunction: [String: [(ScenarioExploration, [ClassifiedRun])]] = [:]
        for exploration in explorations {
            let classified = exploration.runs.map {
                classifier.classify($0.raw, point: $0.point, scenario: exploration.scenario)
            }
            byFunction[exploration.scenario.function, default: []].append((exploration, classified))
        }

        for verdict in prepared.verdicts {
            if verdict.functions.isEmpty, let error = verdict.error {
                report.error = [report.error, "\(verdict.file): \(error)"].compactMap { $0 }.joined(separator: "; ")
            }
            for function in verdict.functions {
                if !only.isEmpty && !only.contains(function.name) { continue }
                let explored = byFunction[function.name] ?? []
                var f = functionReport(file: verdict.file, function: function, findings: verdict.findings(in: function.name),
                                       explored: explored, tree: prepared.tree)
                f.isStatic = function.isStatic
                if let entryPoints = prepared.entryPoints {
                    f.entryPoint = entryPoints.contains(function.name) || !explored.isEmpty
                    f.notHosted = explored.isEmpty ? library.notHosted[function.name] : nil
                }
                report.functions.append(f)
            }
        }
        return report
    }

    func functionReport(file: String, function: StaticVerdict.DefinedFunction, findings: [StaticFinding],
                        explored: [(ScenarioExploration, [ClassifiedRun])], tree: Bool) -> FunctionReport
    {
        var problems: [String: DynamicProblem] = [:]
        var order: [String] = []
        var panics: [String: RunPoint] = [:]
        var blocked: [String: RunPoint] = [:]
        var failurePoints = 0
        var forced = 0
        var runs = 0
        for (_, classified) in explored {
            for run in classified {
                runs += 1
                if let point = run.failurePoint {
                    failurePoints += 1
                    if FailurePoints.isForced(point) { forced += 1 }
                }
                if let message = run.deliberatePanic, panics[message] == nil { panics[message] = run.point }
                if let call = run.wouldBlock, blocked[call] == nil { blocked[call] = run.point }
                for problem in run.problems {
                    if var known = problems[problem.key] {
                        known.runs += problem.runs
                        problems[problem.key] = known
                    } else {
                        problems[problem.key] = problem
                        order.append(problem.key)
                    }
                }
            }
        }
        let problemList = order.map { problems[$0]! }
        var reference: ReferenceComparison?
        if tree, let model = references.first(where: { $0.path == function.name }),
           let match = explored.first(where: { $0.0.scenario.call == model.call }) {
            reference = ReferenceCheck.compare(reference: model, runs: match.1)
        }
        let agreement = AgreementJudge.judge(file: file, function: function.name, ran: !explored.isEmpty,
                                             findings: findings, problems: problemList, reference: reference,
                                             explanations: explanations)
        return FunctionReport(file: file, function: function.name, line: function.line,
                              scenarios: explored.map(\.0.scenario.name), failurePoints: failurePoints,
                              forcedPoints: forced, runs: runs, problems: problemList, panics: panics,
                              blocked: blocked, findings: findings, agreement: agreement, reference: reference)
    }
}

/// A unit analysed and built, waiting for its runs.
struct PreparedUnit: Sendable {
    let verifier: UnitVerifier
    let report: UnitReport
    let verdicts: [StaticVerdict]
    let library: NativeLibrary?
    /// Files whose frames are the harness's, the shim's or the runtime's, not the kernel's.
    let supportPrefixes: [String]
    let tree: Bool
    /// For hosted trees: the functions that acquire or release something themselves.
    let entryPoints: Set<String>?

    func judge(_ explorations: [ScenarioExploration]) -> UnitReport { verifier.judge(self, explorations) }
}
