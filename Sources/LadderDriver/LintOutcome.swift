import LadderClang
import LadderCore

/// A run's report and what a front end needs besides it.
public struct LintOutcome: Sendable {
    /// After suppressions and the baseline, sorted.
    public var report: Report
    /// The files that loaded, in input order, with the functions each defines: the files
    /// whose suppressions could be judged. A file that failed to load is in `report.errors`.
    public var files: [AnalysedFile]
    /// The functions whose exploration took the most path states, most first (five).
    public var costliest: [FunctionCost]
    /// Stopped by its `Cancellation` before every file was started: the report is partial.
    public var cancelled: Bool
    /// The inputs named files, but the shard's hash gave it none of them.
    public var shardSelectedNothing: Bool
    /// The status `ladder lint` exits with (ExitStatus): untrusted when cancelled.
    public var exitStatus: Int32
    /// What the two phases did; nil when the run stopped before analysis (`LintStage`).
    public var database: DatabaseStats?
}

/// A file that loaded.
public struct AnalysedFile: Sendable, Hashable {
    public var command: CompileCommand
    /// Empty when the run stopped after parsing.
    public var functions: [DefinedFunction]
    /// Time spent walking its functions, both phases (`--stats` names the slowest files).
    /// Not part of what the file is: two runs analyse the same file in different times.
    public var analyseSeconds: Double = 0

    public static func == (a: AnalysedFile, b: AnalysedFile) -> Bool { a.command == b.command && a.functions == b.functions }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(command)
        hasher.combine(functions)
    }

    /// The path as the report names it.
    public var file: String { command.file }
}

/// A function defined in an analysed file.
public struct DefinedFunction: Sendable, Hashable, Codable {
    public var name: String
    public var location: SourceLocation
    public var isStatic: Bool

    init(_ function: Function) {
        self.init(name: function.name, location: function.location, isStatic: function.isStatic)
    }

    init(name: String, location: SourceLocation, isStatic: Bool) {
        self.name = name
        self.location = location
        self.isStatic = isStatic
    }
}
