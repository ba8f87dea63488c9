import LadderClang

/// Where each file is parsed and analysed.
public enum FileIsolation: Sendable, Hashable {
    /// On the driver's own threads: nothing to start, but a crash in libclang or in ladder
    /// ends the whole run, and nothing bounds one file's time or memory.
    case inProcess
    /// In worker processes (`ladder __file-worker`), one per job, each restarted when it
    /// dies: a file that crashes, hangs or exhausts memory is reported as an error of that
    /// file and the others are checked as usual. In a two-phase run, phase 1 (parse, lower,
    /// the file's own check) runs in the workers, which write each unit's IR to the run's
    /// database and send back its summaries; phase 2 re-walks that IR in the driver, with
    /// no libclang (see `TwoPhaseRun`).
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
    /// How the workers' libclang parses (in-process, the `UnitLoaderFactory` says).
    public var parseOptions: ParseOptions

    public init(executable: String, secondsPerFile: Double? = 120, memoryPerWorker: UInt64? = 4 << 30,
                parseOptions: ParseOptions = .standard) {
        self.executable = executable
        self.secondsPerFile = secondsPerFile
        self.memoryPerWorker = memoryPerWorker
        self.parseOptions = parseOptions
    }

    /// The hidden subcommand the executable serves files with.
    public static let subcommand = "__file-worker"
}
