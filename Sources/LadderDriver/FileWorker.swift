import Foundation
import LadderClang
import LadderCore

/// The worker side of `WorkerProtocol`: `ladder __file-worker` calls `serve`, which reads a
/// setup and then files from standard input until it closes, answering each on standard
/// output. One file at a time, one libclang index for the worker's life.
public enum FileWorker {
    /// Serves until the driver closes standard input; the status to exit with.
    public static func serve() -> Int32 {
        // Every request parses; libclang's load (libLLVM's relocations and constructors,
        // tens of milliseconds) overlaps waiting for the setup and reading the packs.
        ClangEnvironment.loadInBackground()
        // Answers go on what was standard output; anything else that prints there (libclang,
        // a library) is sent to standard error, so it cannot corrupt a frame.
        let answers = dup(STDOUT_FILENO)
        guard answers >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { return 2 }
        guard case .message(let data) = Frame.receive(from: STDIN_FILENO),
              let setup = try? JSONDecoder().decode(WorkerSetup.self, from: data),
              LintStage(rawValue: setup.stopAfter) != nil else { return 2 }
        if let limit = setup.memoryLimit {
            guard Limits.set(.addressSpace, to: limit) else { return 2 }
        }
        // A worker that crashes must not leave a core file in the tree being checked.
        _ = Limits.set(.coreFile, to: 0)
        let pack = Result { () throws(RulePackError) in try RulePackCache().merged(setup.rulePacks) }
        let frontend = Frontend(options: setup.parseOptions)
        guard Frame.deliver(WorkerReady(pid: getpid()), to: answers) == nil else { return 2 }
        // One per worker while the buffers stay the same, so that each header is hashed
        // once per worker rather than once per unit that includes it.
        var summarizer: (buffers: [String: String], value: UnitSummarizer)?
        // Analysis recurses with the code's nesting, like lowering.
        return LargeStack.run {
            while true {
                let data: Data
                switch Frame.receive(from: STDIN_FILENO) {
                case .message(let message): data = message
                case .closed: return 0
                case .timedOut, .failed: return 2
                }
                guard let request = try? JSONDecoder().decode(WorkerRequest.self, from: data) else { return 2 }
                if let seconds = setup.secondsPerFile { Limits.allowCPU(seconds: seconds) }
                var crashed = false
                // A crash libclang's recovery caught is a load failure; it names the limit
                // that may have caused it.
                let explain = { (error: ProcessingError) -> ProcessingError in
                    guard error.message == Frontend.crashed else { return error }
                    crashed = true
                    guard let limit = setup.memoryLimit else { return error }
                    var explained = error
                    explained.message = "libclang crashed while parsing this file, or it needed more than the \(limit >> 20) MB a file may use (--memory-per-file)"
                    return explained
                }
                let reply = answer(request, setup: setup, packs: pack, frontend: frontend, explain: explain) { pack, analyzer in
                    if let made = summarizer, made.buffers == request.unsavedFiles { return made.value }
                    guard let store = setup.store else { return nil }
                    let made = UnitSummarizer(store: store, unsavedFiles: request.unsavedFiles,
                                              toolIdentity: setup.toolIdentity, pack: pack, analyzer: analyzer,
                                              walksLocally: setup.walksLocally, packDigest: setup.packDigest)
                    summarizer = (request.unsavedFiles, made)
                    return made
                }
                guard Frame.deliver(WorkerAnswer(reply: reply, retiring: crashed), to: answers) == nil else { return 2 }
                // libclang's crash recovery frees nothing the crashed parse held: start afresh.
                if crashed { return 0 }
            }
        }
    }

    private static func answer(_ request: WorkerRequest, setup: WorkerSetup, packs: Result<RulePack, RulePackError>,
                               frontend: Frontend, explain: (ProcessingError) -> ProcessingError,
                               summarizer: (RulePack, Analyzer) -> UnitSummarizer?) -> WorkerAnswer.Reply {
        let command = request.command
        if case .load = request.task {
            switch frontend.load(command, lowering: true, unsavedFiles: request.unsavedFiles) {
            case .success(let loaded): return .loaded(loaded)
            case .failure(let error): return .failed(explain(error))
            }
        }
        let pack: RulePack
        switch packs {
        case .success(let loaded): pack = loaded
        case .failure(let error):
            return .failed(ProcessingError(file: command.file, message: "not checked: the worker cannot load the rules: \(error)"))
        }
        let stopAfter = LintStage(rawValue: setup.stopAfter) ?? .analyse
        let stage = FileStage(pack: pack, stopAfter: stopAfter, pathBudget: setup.pathBudget, unsavedFiles: request.unsavedFiles)
        switch request.task {
        case .check, .load:  // .load has been answered above
            var result = stage.process(command, with: frontend)
            result.errors = result.errors.map(explain)
            return .checked(CheckedFile(result))
        case .summarize(let key):
            guard let summarizer = summarizer(pack, stage.analyser) else {
                return .failed(ProcessingError(file: command.file, message: "not checked: the file worker was given no database to summarise into"))
            }
            switch summarizer.summarize(command, key: key, with: frontend) {
            case .reused(let entry):
                return .summarized(SummarizedUnit(entry: entry, parsed: false, stored: false, analyseSeconds: 0))
            case .parsed(let entry, let stored, let seconds):
                return .summarized(SummarizedUnit(entry: entry, parsed: true, stored: stored, analyseSeconds: seconds))
            case .failed(let error):
                return .failed(explain(error))
            }
        }
    }
}

/// The worker's resource limits (setrlimit), each for the worker process alone.
enum Limits {
    enum Resource {
        case addressSpace, coreFile, cpuSeconds

        #if os(Linux)
        var raw: __rlimit_resource_t {
            switch self {
            case .addressSpace: __rlimit_resource_t(RLIMIT_AS.rawValue)
            case .coreFile: __rlimit_resource_t(RLIMIT_CORE.rawValue)
            case .cpuSeconds: __rlimit_resource_t(RLIMIT_CPU.rawValue)
            }
        }
        #else
        var raw: Int32 {
            switch self {
            case .addressSpace: RLIMIT_AS
            case .coreFile: RLIMIT_CORE
            case .cpuSeconds: RLIMIT_CPU
            }
        }
        #endif
    }

    /// Soft and hard limit both; false when the system refused.
    static func set(_ resource: Resource, to value: UInt64) -> Bool {
        var bound = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(value))
        return setrlimit(resource.raw, &bound) == 0
    }

    /// Lets the worker use `seconds` more CPU time (rounded up, plus one) before the kernel
    /// stops it with SIGXCPU: the backstop for a worker whose driver is gone. The soft limit
    /// only, so each file can raise it again.
    static func allowCPU(seconds: Double) {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let used = UInt64(usage.ru_utime.tv_sec) + UInt64(usage.ru_stime.tv_sec) + 1
        var current = rlimit()
        getrlimit(Resource.cpuSeconds.raw, &current)
        // Clamped to a year: the command line bounds it, a library caller might not.
        let allowed = UInt64(min(max(seconds, 0), 365 * 86_400).rounded(.up))
        var bound = rlimit(rlim_cur: rlim_t(used + allowed + 1), rlim_max: current.rlim_max)
        _ = setrlimit(Resource.cpuSeconds.raw, &bound)
    }
}
