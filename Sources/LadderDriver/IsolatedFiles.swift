import LadderClang
import LadderCore

extension FileStage {
    /// `commands` through file workers, up to `jobs` at once, each driver thread with its
    /// own worker. Results in input order, nil where `cancellation` stopped the run first,
    /// as `Workers.map` gives them.
    func processIsolated(_ commands: [CompileCommand], jobs: Int, limits: WorkerLimits, rulePacks: [String],
                         cancellation: Cancellation, progress: (any ProgressObserver)? = nil) -> [Result?] {
        let setup = WorkerSetup(rulePacks: rulePacks, stopAfter: stopAfter.rawValue, pathBudget: pathBudget,
                                memoryLimit: limits.memoryPerWorker, secondsPerFile: limits.secondsPerFile,
                                parseOptions: limits.parseOptions)
        let buffers = unsavedFiles
        return Workers.map(count: commands.count, workers: jobs, cancellation: cancellation,
                           makeState: { WorkerProcess(limits: limits, setup: setup) }) { worker, index in
            progress?.start(commands[index].file)
            defer { progress?.complete() }
            return worker.process(commands[index], unsavedFiles: buffers)
        }
    }
}

/// Loaders that parse in file workers and receive the IR over the pipe: what phase 2 uses
/// to parse again a unit whose IR went from the database under it, so that even that
/// parse cannot take the driver down.
struct WorkerLoaders: UnitLoaderFactory {
    let limits: WorkerLimits
    let setup: WorkerSetup

    func makeLoader() -> any UnitLoader { WorkerLoader(worker: WorkerProcess(limits: limits, setup: setup)) }
}

/// Started on its first use: most phase 2 runs never need one.
struct WorkerLoader: UnitLoader {
    let worker: WorkerProcess

    func load(_ command: CompileCommand, lowering: Bool, unsavedFiles: [String: String]) -> Result<LoadedUnit, ProcessingError> {
        worker.load(command, unsavedFiles: unsavedFiles)
    }
}
