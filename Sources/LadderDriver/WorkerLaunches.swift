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
/// What it cannot know: how many files the run has. It starts `jobs` workers; one that no
/// file needs is closed unused when the run ends (`stopUnused`), having cost a process
/// start on a core the run left idle.
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
        return WorkerLaunches(count: options.jobs, limits: limits)
    }

    /// A started worker, not yet sent its setup; nil when none is left.
    func take() -> WorkerProcess.Launched? {
        waiting.withLock { $0.popLast() }
    }

    /// Ends the workers no file took: each reads the end of its input where its setup
    /// would have been, and exits.
    func stopUnused() {
        let unused = waiting.withLock { waiting in
            defer { waiting = [] }
            return waiting
        }
        for worker in unused { _ = WorkerProcess.end(worker) }
    }

    deinit { stopUnused() }
}
