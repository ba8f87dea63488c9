import LadderClang
import LadderCore

extension FileStage {
    /// `commands` through file workers, up to `jobs` at once, each driver thread with its
    /// own worker. Results in input order, nil where `cancellation` stopped the run first,
    /// as `Workers.map` gives them.
    func processIsolated(_ commands: [CompileCommand], jobs: Int, limits: WorkerLimits, rulePacks: [String],
                         cancellation: Cancellation) -> [Result?] {
        let setup = WorkerSetup(rulePacks: rulePacks, stopAfter: stopAfter.rawValue, pathBudget: pathBudget,
                                memoryLimit: limits.memoryPerWorker, secondsPerFile: limits.secondsPerFile)
        let buffers = unsavedFiles
        return Workers.map(count: commands.count, workers: jobs, cancellation: cancellation,
                           makeState: { WorkerProcess(limits: limits, setup: setup) }) { worker, index in
            worker.process(commands[index], unsavedFiles: buffers)
        }
    }
}
