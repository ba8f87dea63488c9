import Foundation
import LadderClang
import LadderCore

/// The worker side of `WorkerProtocol`: `ladder __file-worker` calls `serve`, which reads a
/// setup and then files from standard input until it closes, answering each on standard
/// output. One file at a time, one libclang index for the worker's life.
public enum FileWorker {
    /// Serves until the driver closes standard input; the status to exit with.
    public static func serve() -> Int32 {
        // Answers go on what was standard output; anything else that prints there (libclang,
        // a library) is sent to standard error, so it cannot corrupt a frame.
        let answers = dup(STDOUT_FILENO)
        guard answers >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { return 2 }
        guard case .message(let data) = Frame.receive(from: STDIN_FILENO),
              let setup = try? JSONDecoder().decode(WorkerSetup.self, from: data),
              let stopAfter = LintStage(rawValue: setup.stopAfter) else { return 2 }
        if let limit = setup.memoryLimit {
            guard Limits.set(.addressSpace, to: limit) else { return 2 }
        }
        // A worker that crashes must not leave a core file in the tree being checked.
        _ = Limits.set(.coreFile, to: 0)
        let pack = Result { () throws(RulePackError) in try RulePackCache().merged(setup.rulePacks) }
        let frontend = Frontend()
        guard Frame.deliver(WorkerReady(pid: getpid()), to: answers) == nil else { return 2 }
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
                let command = request.command
                if let seconds = setup.secondsPerFile { Limits.allowCPU(seconds: seconds) }
                var result: FileStage.Result
                switch pack {
                case .success(let pack):
                    let stage = FileStage(pack: pack, stopAfter: stopAfter, pathBudget: setup.pathBudget,
                                          unsavedFiles: request.unsavedFiles)
                    result = stage.process(command, with: frontend)
                case .failure(let error):
                    result = FileStage.Result(command: command)
                    result.errors = [ProcessingError(file: command.file, message: "not checked: the worker cannot load the rules: \(error)")]
                }
                let crashed = result.errors.contains { $0.message == Frontend.crashed }
                if crashed, let limit = setup.memoryLimit {
                    result.errors = result.errors.map { error in
                        guard error.message == Frontend.crashed else { return error }
                        var explained = error
                        explained.message = "libclang crashed while parsing this file, or it needed more than the \(limit >> 20) MB a file may use (--memory-per-file)"
                        return explained
                    }
                }
                guard Frame.deliver(WorkerAnswer(result, retiring: crashed), to: answers) == nil else { return 2 }
                // libclang's crash recovery frees nothing the crashed parse held: start afresh.
                if crashed { return 0 }
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
        var bound = rlimit(rlim_cur: rlim_t(used + UInt64(seconds.rounded(.up)) + 1), rlim_max: current.rlim_max)
        _ = setrlimit(Resource.cpuSeconds.raw, &bound)
    }
}
