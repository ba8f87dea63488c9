import Dispatch
import Foundation
import LadderCore

/// load → lower → analyse, over a set of files, into one `Report`. Files are spread over
/// `jobs` workers, each with its own libclang index; each unit is disposed once lowered.
public struct LintPipeline: Sendable {
    public var pack: RulePack
    public var jobs: Int
    /// How far to go: benchmarks stop after parsing or lowering to time the stages.
    public var stages: Stages

    public enum Stages: String, Sendable {
        case parse, lower, analyse
    }

    public init(pack: RulePack, jobs: Int = 1, stages: Stages = .analyse) {
        self.pack = pack
        self.jobs = max(1, jobs)
        self.stages = stages
    }

    /// What one file contributed.
    struct FileResult: Sendable {
        var findings: [Finding] = []
        var errors: [ProcessingError] = []
        var functions = 0
        var parsed = false
        var parseSeconds = 0.0
        var lowerSeconds = 0.0
        var analyseSeconds = 0.0
        var costs: [FunctionCost] = []
    }

    public func run(_ sources: SourceSet) -> Report {
        runDetailed(sources).report
    }

    /// A run's report with what the command line needs besides it.
    public struct Outcome: Sendable {
        public var report: Report
        /// The files that were parsed and analysed, in command order: the files whose
        /// suppressions can be judged. A file that failed to load is in `report.errors`.
        public var analysedFiles: [String]
        /// The functions whose exploration took the most path states, most first.
        public var costliest: [FunctionCost]
    }

    public func runDetailed(_ sources: SourceSet) -> Outcome {
        let start = DispatchTime.now()
        let commands = sources.commands
        let results = Results(count: commands.count)
        let workers = min(jobs, max(1, commands.count))
        let pack = self.pack
        let stages = self.stages
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let frontend = Frontend()
            for index in stride(from: worker, to: commands.count, by: workers) {
                results.set(index, LintPipeline.process(commands[index], frontend: frontend, pack: pack, stages: stages))
            }
        }
        var report = Report(errors: sources.errors)
        var costs: [FunctionCost] = []
        for result in results.all {
            report.findings += result.findings
            report.errors += result.errors
            report.stats.functions += result.functions
            report.stats.files += result.parsed ? 1 : 0
            report.stats.parseSeconds += result.parseSeconds
            report.stats.lowerSeconds += result.lowerSeconds
            report.stats.analyseSeconds += result.analyseSeconds
            costs += result.costs
        }
        report.sort()
        report.stats.seconds = seconds(start, DispatchTime.now())
        let analysed = zip(commands, results.all).filter { $0.1.parsed }.map { $0.0.file }
        let costliest = costs.sorted { ($0.states, $1.location) > ($1.states, $0.location) }.prefix(5)
        return Outcome(report: report, analysedFiles: analysed, costliest: Array(costliest))
    }

    static func process(_ command: CompileCommand, frontend: Frontend, pack: RulePack, stages: Stages) -> FileResult {
        var result = FileResult()
        switch frontend.load(command, lowering: stages != .parse) {
        case .failure(let error):
            result.errors.append(error)
        case .success(let loaded):
            result.parsed = true
            result.functions = loaded.unit.functions.count
            result.parseSeconds = loaded.parseSeconds
            result.lowerSeconds = loaded.lowerSeconds
            guard stages == .analyse else { return result }
            let start = DispatchTime.now()
            let analysed = Analyzer(pack: pack).analyse(loaded.unit)
            result.analyseSeconds = seconds(start, DispatchTime.now())
            result.findings = analysed.findings
            result.errors = analysed.errors
            result.costs = analysed.costs
        }
        return result
    }

    /// Slots the workers fill, one per file, read once all are done.
    final class Results: @unchecked Sendable {
        private var slots: [FileResult]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: FileResult(), count: count) }

        func set(_ index: Int, _ value: FileResult) {
            lock.lock()
            slots[index] = value
            lock.unlock()
        }

        var all: [FileResult] {
            lock.lock()
            defer { lock.unlock() }
            return slots
        }
    }
}
