import Foundation

/// Where phase 2's scheduler posts walks and its walker threads post what they found
/// (`FixedPoint.run`). The scheduler never waits while a walk is posted and not taken: it
/// takes it itself, so the walks are made even when no walker thread could be started.
final class WalkBoard<Job: Sendable, Done: Sendable>: @unchecked Sendable {
    // Everything below is read and written with `condition` locked.
    private let condition = NSCondition()
    /// Posted jobs; those before `taken` are gone to a thread (nil, so nothing they hold
    /// outlives their walk).
    private var jobs: [Job?] = []
    private var taken = 0
    private var done: [Done] = []
    private var closed = false

    func post(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.broadcast()
        condition.unlock()
    }

    /// For a walker: the next job, or nil once the board is closed.
    func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while taken == jobs.count && !closed { condition.wait() }
        return takeLocked()
    }

    func finish(_ result: Done) {
        condition.lock()
        done.append(result)
        condition.broadcast()
        condition.unlock()
    }

    enum Next {
        case finished(Done)
        /// Nothing has finished and this job is not taken: run it.
        case run(Job)
    }

    /// For the scheduler, with some job posted and not yet finished.
    func next() -> Next {
        condition.lock()
        defer { condition.unlock() }
        while done.isEmpty && taken == jobs.count { condition.wait() }
        if !done.isEmpty { return .finished(done.removeFirst()) }
        return .run(takeLocked()!)
    }

    /// The walkers return once the jobs posted are taken.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func takeLocked() -> Job? {
        guard taken < jobs.count else { return nil }
        let job = jobs[taken]
        jobs[taken] = nil
        taken += 1
        if taken == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            taken = 0
        }
        return job
    }
}
