/// Where each file is parsed and analysed.
public enum FileIsolation: Sendable, Hashable {
    /// On the driver's own threads: nothing to start, but a crash in libclang or in ladder
    /// ends the whole run, and nothing bounds one file's time or memory.
    case inProcess
    /// In worker processes (`ladder __file-worker`), one per job, each restarted when it
    /// dies: a file that crashes, hangs or exhausts memory is reported as an error of that
    /// file and the others are checked as usual.
    case workers(WorkerLimits)
}

/// How the driver starts file workers and what each file may cost.
public struct WorkerLimits: Sendable, Hashable {
    /// The `ladder` binary to run as `EXECUTABLE __file-worker`.
    public var executable: String
    /// Wall-clock seconds one file may take (parse, lower, analyse) before its worker is
    /// killed; nil: no limit.
    public var secondsPerFile: Double?
    /// Address space a worker may use, in bytes; nil: no limit. Exhausting it fails the file
    /// being parsed (libclang's allocation fails, or the worker dies and is restarted).
    public var memoryPerWorker: UInt64?

    public init(executable: String, secondsPerFile: Double? = 120, memoryPerWorker: UInt64? = 4 << 30) {
        self.executable = executable
        self.secondsPerFile = secondsPerFile
        self.memoryPerWorker = memoryPerWorker
    }

    /// The hidden subcommand the executable serves files with.
    public static let subcommand = "__file-worker"
}
