import Foundation
import Synchronization

/// File workers started at the top of a run that will parse, before the driver loads its
/// packs and finds its files. A worker's own start (the dynamic loader, the Swift runtime,
/// libclang's load) then runs beside the driver's instead of after it: on a cold lint of
/// real xv6-riscv the driver took about 40 ms to reach its first file, and a worker about
/// as long again to reach its first parse. Each waits for its setup, which the driver
/// sends when it has one (`WorkerProcess.start`), so nothing about the run is decided early.
///
/// Started only when the run will parse nearly every file: without a cache, or with a
/// cache that holds no unit yet. A run whose files the cache holds starts no worker at
/// all, so guessing there would cost a start for nothing; its workers start on the first
/// file the cache cannot supply, as before.
///
/// It starts `jobs` workers, or as many as the files named when every path is a file, or
/// no more than the cores when it cannot know how many files a directory or a compile
/// database holds (`aheadCount`): a worker no file needs is killed unused when the run ends
/// (`stopUnused`). It also goes by the cache
/// directory alone: a shared cache another project filled starts none early, though this
/// run's files may all be new to it.
final class WorkerLaunches: Sendable {
    private let waiting: Mutex<[WorkerProcess.Launched]>

    private init(count: Int, limits: WorkerLimits) {
        var launched: [WorkerProcess.Launched] = []
        for _ in 0..<count {
            // A worker that cannot be started now is started, or its failure reported,
            // when a file needs it.
            guard case .success(let worker) = WorkerProcess.launch(limits) else { break }
            launched.append(worker)
        }
        waiting = Mutex(launched)
    }

    /// Workers for `options`, if the run will parse in workers and will parse nearly
    /// every file; nil otherwise.
    static func ahead(of options: LintOptions, isolation: FileIsolation) -> WorkerLaunches? {
        guard case .workers(let limits) = isolation, options.stopAfter == .analyse else { return nil }
        switch options.cache {
        case .none:
            break
        case .directory(let settings):
            let units = UnitStore.persistent(settings).root + "/units"
            guard ((try? FileManager.default.contentsOfDirectory(atPath: units)) ?? []).isEmpty else { return nil }
        }
        return WorkerLaunches(count: aheadCount(jobs: options.jobs, files: Self.fileCount(options.paths)), limits: limits)
    }

    /// How many workers to start ahead: `jobs`, but no more than the files when their number
    /// is known, and no more than the cores when it is not (a directory, a compile
    /// database). Starting ahead only overlaps start-ups, which more workers than cores
    /// cannot do; and `-j 4096` on a directory of 20 files started 4,096 processes, each
    /// loading libclang, before the first file was found (over a minute on two cores, where
    /// `-j 2` takes a third of a second). The run's other workers start when a file needs
    /// them, as many as `jobs` and the files allow.
    static func aheadCount(jobs: Int, files: Int?, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        min(jobs, files ?? max(1, cores))
    }

    /// How many files the run has, when its paths are all regular files: no more workers
    /// than that are worth starting. nil when a path is a directory, or a compile database
    /// chooses the files.
    static func fileCount(_ paths: [String]) -> Int? {
        guard !paths.isEmpty else { return nil }
        var status = stat()
        for path in paths {
            guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        }
        return paths.count
    }

    /// A started worker, not yet sent its setup; nil when none is left.
    func take() -> WorkerProcess.Launched? {
        waiting.withLock { $0.popLast() }
    }

    /// Ends the workers no file took. Killed, not asked: one holds nothing yet, and one
    /// still loading libclang would finish the load before it could exit.
    func stopUnused() {
        let unused = waiting.withLock { waiting in
            defer { waiting = [] }
            return waiting
        }
        for worker in unused {
            kill(worker.pid, SIGKILL)
            _ = WorkerProcess.end(worker)
        }
    }

    deinit { stopUnused() }
}
