#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import Dispatch
import Sv39

/// One run to make: a scenario of a library under a plan.
struct RunRequest {
    let library: NativeLibrary
    let scenario: Int
    let plan: FaultPlan
    /// The caller's tag, handed back with the result.
    var tag: Int = 0
}

/// Runs scenarios in child processes, each forked from this one with the library loaded
/// and its machine untouched, at most `parallel` at once, each killed when it outlives the
/// time limit. Whatever a child does — a wild write, a fault, a loop that never ends — it
/// does to its own copy of the process; here it is a result.
///
/// One thread drives the pool (forks, reads the pipes, reaps): the children it forks run
/// only C code and the machine's callbacks into the allocator, whose types this process
/// has already used, so they take no lock another thread of this process could hold.
struct RunPool {
    static let defaultTimeLimit = 10.0

    let parallel: Int
    let timeLimit: Double

    init(parallel: Int, timeLimit: Double = RunPool.defaultTimeLimit) {
        self.parallel = max(1, parallel)
        self.timeLimit = timeLimit
    }

    private final class Child {
        let request: RunRequest
        let pid: pid_t
        let descriptor: Int32
        let deadline: UInt64
        var decoder: RecordDecoder
        var closed = false

        init(request: RunRequest, pid: pid_t, descriptor: Int32, deadline: UInt64) {
            self.request = request
            self.pid = pid
            self.descriptor = descriptor
            self.deadline = deadline
            decoder = RecordDecoder(plan: request.plan, base: request.library.base)
        }
    }

    /// Runs `requests`; `completed` gets each result and may ask for more runs.
    func run(_ requests: [RunRequest], completed: (RunRequest, RawRun) -> [RunRequest]) throws(GroundTruthError) {
        var pending = requests.reversed() as [RunRequest]
        var running: [Child] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !pending.isEmpty || !running.isEmpty {
            while running.count < parallel, let next = pending.popLast() {
                running.append(try start(next))
            }
            var fds = running.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            let now = DispatchTime.now().uptimeNanoseconds
            let soonest = running.map(\.deadline).min() ?? now
            let wait = soonest > now ? Int32(min((soonest - now) / 1_000_000 + 1, 1000)) : 0
            _ = poll(&fds, nfds_t(fds.count), wait)
            var finished: [Int] = []
            for (i, child) in running.enumerated() {
                if fds[i].revents != 0 {
                    let n = buffer.withUnsafeMutableBytes { read(child.descriptor, $0.baseAddress, $0.count) }
                    if n > 0 {
                        buffer.withUnsafeBytes { child.decoder.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                    } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                        child.closed = true
                        finished.append(i)
                        continue
                    }
                }
                if DispatchTime.now().uptimeNanoseconds > child.deadline {
                    kill(child.pid, SIGKILL)
                    finished.append(i)
                }
            }
            for i in finished.reversed() {
                let child = running.remove(at: i)
                let raw = finish(child)
                pending.append(contentsOf: completed(child.request, raw).reversed())
            }
        }
    }

    private func start(_ request: RunRequest) throws(GroundTruthError) -> Child {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw .runtime("cannot make a pipe for a run: errno \(errno)") }
        let library = request.library
        let machine = library.machine
        let pid = fork()
        if pid == 0 {
            // The plan is set in the child's copy of the machine only: the parent never
            // writes to a machine, so libraries can be shared between threads.
            machine.plan = request.plan
            close(ends[0])
            let status = machine.withSlots(eventDescriptor: ends[1]) { slots in
                library.runFunction(slots, Int32(request.scenario))
            }
            _exit(status)
        }
        close(ends[1])
        guard pid > 0 else {
            close(ends[0])
            throw .runtime("cannot fork a run: errno \(errno)")
        }
        // Clamped: the command line bounds the limit, a library caller might not.
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(min(max(timeLimit, 0), 1e9) * 1e9)
        return Child(request: request, pid: pid, descriptor: ends[0], deadline: deadline)
    }

    /// Reaps the child and decides how the run ended: the child's own word when it sent
    /// one, else the signal that ended it, else the time limit.
    private func finish(_ child: Child) -> RawRun {
        close(child.descriptor)
        var status: Int32 = 0
        var reaped = waitpid(child.pid, &status, 0)
        while reaped < 0 && errno == EINTR { reaped = waitpid(child.pid, &status, 0) }
        let signalled = reaped == child.pid && (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        let signal = status & 0x7f
        if !child.closed {
            return child.decoder.run(.timedOut(seconds: timeLimit))
        }
        if child.decoder.events.contains(where: { $0.type == .crash }) {
            return child.decoder.run(.crashed)
        }
        switch child.decoder.endCode {
        case 0: return child.decoder.run(.ran)
        case 1: return child.decoder.run(.panicked)
        case 4: return child.decoder.run(.blocked)
        default:
            if signalled { return child.decoder.run(.lost("the run was killed by signal \(signal)")) }
            return child.decoder.run(.lost("the run ended without reporting (exit status \((status >> 8) & 0xff))"))
        }
    }
}
