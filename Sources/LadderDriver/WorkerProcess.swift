import Dispatch
import Foundation
import LadderClang
import LadderCore

/// The driver's end of one file worker: started on the first file, restarted after a file
/// that killed it, stopped when the driver is done with it. Belongs to one driver thread.
///
/// The channel is a socket pair rather than pipes so that the driver's writes to a worker
/// that has died fail with EPIPE instead of raising SIGPIPE in whatever process embeds the
/// driver.
final class WorkerProcess {
    let limits: WorkerLimits
    let setup: WorkerSetup
    /// Workers started before this one was made, taken before starting another.
    let launches: WorkerLaunches?
    private var running: Launched?
    /// Whether the worker reaped last was ended by a signal.
    private var lastSignalled = false

    /// A worker process, started and perhaps not yet sent its setup.
    struct Launched: Sendable {
        var pid: pid_t
        /// Our end of the socket pair: requests out, answers in.
        var channel: Int32
        /// The worker's standard error, an unlinked temporary file, kept to say why it died.
        var errors: Int32
    }

    init(limits: WorkerLimits, setup: WorkerSetup, launches: WorkerLaunches? = nil) {
        self.limits = limits
        self.setup = setup
        self.launches = launches
    }

    /// An idle worker exits when its channel closes, but its exit (libclang's teardown, then
    /// unmapping libLLVM) took about 10 ms on real xv6-riscv, which the driver waited for
    /// before starting phase 2. `WorkerReaper` waits for it instead, off the driver's path.
    deinit {
        guard let worker = running else { return }
        close(worker.channel)
        WorkerReaper.reap(worker)
    }

    /// One file through the whole `FileStage` in the worker.
    func process(_ command: CompileCommand, unsavedFiles: [String: String]) -> FileStage.Result {
        switch ask(WorkerRequest(.check, command, unsavedFiles: unsavedFiles)) {
        case .success(.checked(let checked)): return checked.result(for: command)
        case .success(.failed(let error)), .failure(let error): return FileStage.Result(command: command, errors: [error])
        case .success: return FileStage.Result(command: command, errors: [Self.mismatched(command)])
        }
    }

    /// Phase 1 of one unit in the worker, which writes its IR (and, to a kept cache, its entry)
    /// to the setup's store.
    func summarize(_ command: CompileCommand, key: Digest, unsavedFiles: [String: String]) -> UnitSummarizer.Outcome {
        switch ask(WorkerRequest(.summarize(key: key), command, unsavedFiles: unsavedFiles)) {
        case .success(.summarized(let unit)):
            return unit.parsed ? .parsed(unit.entry, stored: unit.stored, analyseSeconds: unit.analyseSeconds) : .reused(unit.entry)
        case .success(.failed(let error)), .failure(let error): return .failed(error)
        case .success: return .failed(Self.mismatched(command))
        }
    }

    /// One file parsed and lowered in the worker, its IR sent back.
    func load(_ command: CompileCommand, unsavedFiles: [String: String]) -> Result<LoadedUnit, ProcessingError> {
        switch ask(WorkerRequest(.load, command, unsavedFiles: unsavedFiles)) {
        case .success(.loaded(let loaded)): return .success(loaded)
        case .success(.failed(let error)), .failure(let error): return .failure(error)
        case .success: return .failure(Self.mismatched(command))
        }
    }

    private static func mismatched(_ command: CompileCommand) -> ProcessingError {
        ProcessingError(file: command.file, message: "not checked: the file worker answered another question than it was asked")
    }

    /// One request through the worker. Every way the worker can fail becomes an error of
    /// this file; the next file gets a fresh worker.
    private func ask(_ request: WorkerRequest) -> Result<WorkerAnswer.Reply, ProcessingError> {
        let file = request.file
        // A worker that ended between files (it does after a libclang crash it survived)
        // is noticed when the request cannot be sent; that costs one restart, not the file.
        for attempt in 0..<2 {
            if running == nil {
                if let problem = start() { return failed(file, "not checked: cannot start a file worker: \(problem)") }
            }
            guard let worker = running else { break }
            if Frame.deliver(request, to: worker.channel) != nil {
                _ = reap()
                if attempt == 0 { continue }
                return failed(file, "not checked: the file worker stopped before it could be sent the file")
            }
            let deadline = limits.secondsPerFile.map { DispatchTime.now() + $0 }
            switch Frame.receive(from: worker.channel, deadline: deadline) {
            case .message(let data):
                guard let answer = try? JSONDecoder().decode(WorkerAnswer.self, from: data) else {
                    terminate()
                    return failed(file, "not checked: the file worker's answer could not be read")
                }
                if answer.retiring { _ = reap() }
                return .success(answer.reply)
            case .timedOut:
                terminate()
                let seconds = limits.secondsPerFile.map { String(format: "%g", $0) } ?? "?"
                return failed(file, "not checked: took longer than \(seconds) s (--timeout-per-file); its worker was stopped")
            case .closed, .failed:
                let death = reap()
                // Under an address-space limit an allocation that fails outside libclang's
                // crash recovery (building a preamble, say) is a signal too: say both.
                let memory = lastSignalled ? limits.memoryPerWorker.map { "; a crash, or more than the \($0 >> 20) MB a file may use (--memory-per-file)" } ?? "" : ""
                return failed(file, "not checked: the file worker died while checking this file (\(death)\(memory)); the other files are unaffected")
            }
        }
        return failed(file, "not checked: no file worker could be started")
    }

    private func failed(_ file: String, _ message: String) -> Result<WorkerAnswer.Reply, ProcessingError> {
        .failure(ProcessingError(file: file, message: message))
    }

    // MARK: Starting and stopping

    /// nil when the worker started and was sent its setup; otherwise why not. A worker
    /// started early that cannot take its setup (it died waiting) is replaced by a new one.
    private func start() -> String? {
        if let early = launches?.take(), handshake(early) == nil { return nil }
        switch Self.launch(limits) {
        case .success(let started): return handshake(started)
        case .failure(let problem): return problem.reason
        }
    }

    /// Sends the setup and waits for the worker to say it is ready.
    private func handshake(_ launched: Launched) -> String? {
        running = launched
        // The file's time limit also bounds the start: a worker that cannot even load the
        // rules in that time will not check a file in it either.
        let deadline = limits.secondsPerFile.map { DispatchTime.now() + $0 }
        guard Frame.deliver(setup, to: launched.channel) == nil,
              case .message(let data) = Frame.receive(from: launched.channel, deadline: deadline),
              (try? JSONDecoder().decode(WorkerReady.self, from: data)) != nil else {
            kill(launched.pid, SIGKILL)
            return "it ended before it was ready (\(reap()))"
        }
        return nil
    }

    /// Why a worker process could not be started.
    struct LaunchFailure: Error {
        var reason: String
    }

    /// Starts `ladder __file-worker`, which waits for its setup on the channel.
    static func launch(_ limits: WorkerLimits) -> Result<Launched, LaunchFailure> {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            return .failure(LaunchFailure(reason: String(cString: strerror(errno))))
        }
        let errors = Self.scratchFile()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, pair[1], STDOUT_FILENO)
        if errors >= 0 { posix_spawn_file_actions_adddup2(&actions, errors, STDERR_FILENO) }

        // The worker gets SIGPIPE back (the driver may ignore it) and an empty signal mask.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments = [limits.executable, WorkerLimits.subcommand]
        // A crashing worker should die at once: Swift's backtracer would first spend
        // seconds symbolicating a report nobody reads.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let environmentStrings = environment.map { "\($0.key)=\($0.value)" }.sorted()

        var pid: pid_t = 0
        let status = withCStringArray(arguments) { argv in
            withCStringArray(environmentStrings) { envp in
                posix_spawn(&pid, limits.executable, &actions, &attributes, argv, envp)
            }
        }
        // The worker's end is the worker's alone: held here too, its death would not end
        // our reads.
        close(pair[1])
        guard status == 0 else {
            close(pair[0])
            if errors >= 0 { close(errors) }
            return .failure(LaunchFailure(reason: "\(limits.executable): \(String(cString: strerror(status)))"))
        }
        return .success(Launched(pid: pid, channel: pair[0], errors: errors))
    }

    /// Kills the worker and waits for it.
    private func terminate() {
        guard let worker = running else { return }
        kill(worker.pid, SIGKILL)
        _ = reap()
    }

    /// Waits for the worker to end and forgets it; how it ended, in words.
    private func reap() -> String {
        guard let worker = running else { return "it was not running" }
        running = nil
        let status = Self.end(worker)
        lastSignalled = status.signalled
        return status.description
    }

    /// Closes our end of the worker's channel and waits for it to exit: how it ended, and
    /// what it said on standard error.
    static func end(_ worker: Launched) -> (signalled: Bool, description: String) {
        close(worker.channel)
        var status: Int32 = 0
        while waitpid(worker.pid, &status, 0) < 0 && errno == EINTR {}
        let said = worker.errors >= 0 ? Self.firstComplaint(in: worker.errors) : nil
        if worker.errors >= 0 { close(worker.errors) }
        let how = Self.describe(status)
        return (status & 0x7f != 0, said.map { "\(how): \($0)" } ?? how)
    }

    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
        let name = strsignal(signal).map { String(cString: $0) } ?? "signal"
        return "signal \(signal), \(name)"
    }

    /// The line of the worker's standard error that says what went wrong: Swift's "Fatal
    /// error", else the last line it wrote.
    static func firstComplaint(in fd: Int32) -> String? {
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { return nil }
        let lines = String(decoding: bytes[0..<n], as: UTF8.self).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        guard let line = lines.first(where: { $0.contains("Fatal error") }) ?? lines.last else { return nil }
        return String(line.prefix(300))
    }

    /// An unlinked temporary file, readable and writable; -1 when none can be made.
    static func scratchFile() -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/ladder-worker-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return -1 }
        unlink(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }
}

/// `strings` as a NULL-terminated `char *[]`, valid for the duration of `body`.
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

/// Workers done with, waited for off the driver's path (`WorkerProcess.deinit`). One for the
/// process, as its children are: what the kernel counts of them (`RUSAGE_CHILDREN`, the
/// largest worker of `--stats`) covers only children already waited for, so a lint waits
/// here before it returns (`LintDriver.run`), by when its workers have long exited.
enum WorkerReaper {
    private static let pending = DispatchGroup()

    static func reap(_ worker: WorkerProcess.Launched) {
        pending.enter()
        // A thread of its own: `waitpid` blocks, and the shared pool's threads serve others.
        Thread {
            var status: Int32 = 0
            while waitpid(worker.pid, &status, 0) < 0 && errno == EINTR {}
            if worker.errors >= 0 { close(worker.errors) }
            pending.leave()
        }.start()
    }

    /// Returns once every worker handed over so far has been reaped.
    static func waitForAll() { pending.wait() }
}
