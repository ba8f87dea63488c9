import Foundation
import LadderCore

/// What to parse: files and directories from the command line (directories walked for
/// `*.c`), or the entries of a compilation database, each with its flags.
public struct SourceSet: Sendable {
    public var commands: [CompileCommand]
    /// Paths and database entries that could not be used, each with a one-line reason.
    public var errors: [ProcessingError]
    /// What a compilation database's commands needed changing for libclang.
    public var adjustments: OptionAdjustments

    /// `adjustments` as lines for the report, each said once for the whole set.
    public var notes: [String] { adjustments.notes }

    public init(commands: [CompileCommand], errors: [ProcessingError], adjustments: OptionAdjustments = OptionAdjustments()) {
        self.commands = commands
        self.errors = errors
        self.adjustments = adjustments
    }

    /// Files named on the command line, each parsed with the user's options.
    public static func fromPaths(_ paths: [String], extraArgumentsBefore: [String] = [], extraArguments: [String]) -> SourceSet {
        let arguments = extraArgumentsBefore + extraArguments
        var commands: [CompileCommand] = []
        var errors: [ProcessingError] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append(ProcessingError(file: path, message: "no such file or directory"))
                continue
            }
            if isDirectory.boolValue {
                let files = cFiles(under: path)
                if files.isEmpty {
                    errors.append(ProcessingError(file: path, message: "directory contains no .c files"))
                }
                commands += files.map { CompileCommand(file: $0, arguments: arguments) }
            } else {
                commands.append(CompileCommand(file: path, arguments: arguments))
            }
        }
        return SourceSet(commands: commands, errors: errors)
    }

    /// Every `*.c` below `directory`, sorted, skipping hidden and build directories.
    public static func cFiles(under directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var result: [String] = []
        while let entry = enumerator.nextObject() as? String {
            let name = (entry as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            if entry.hasSuffix(".c") {
                let joined = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
                result.append(joined)
            }
        }
        return result.sorted()
    }

    /// The C entries of the compilation database at `location` (a file of any name, or a
    /// folder holding `compile_commands.json`), restricted to files under `paths` when any
    /// are given. `extraArgumentsBefore` go right after the compiler and `extraArguments`
    /// last, as clang-tidy's `--extra-arg-before` and `--extra-arg` do. Malformed entries
    /// are in `errors` — with paths given, only those for a file under them or whose file
    /// cannot be read (it may be one of them); what was changed for libclang is in
    /// `adjustments`, said once.
    public static func fromDatabase(_ location: String, paths: [String], extraArgumentsBefore: [String] = [],
                                    extraArguments: [String]) throws(ProcessingError) -> SourceSet {
        let database = try CompileDatabase(contentsOf: try CompileDatabase.locate(location))
        let roots = paths.map { CompileDatabase.absolute($0, from: FileManager.default.currentDirectoryPath) }
        var seen: Set<String> = []
        func selected(_ file: String, spelled: String) -> Bool {
            roots.isEmpty || roots.contains(where: { file == $0 || file.hasPrefix($0 + "/") })
                || paths.contains(where: { spelled == $0 || spelled.hasPrefix($0 + "/") })
        }
        let entries = database.entries.filter { entry in
            guard entry.file.hasSuffix(".c"), selected(entry.file, spelled: entry.spelledFile) else { return false }
            // The first entry for a file wins, as in libclang's own loader.
            return seen.insert(entry.file).inserted
        }
        let translated = DatabaseCommands(extraBefore: extraArgumentsBefore, extraAfter: extraArguments).commands(for: entries)
        var errors = database.problems.filter { $0.file.map { selected($0, spelled: $0) } ?? true }.map(\.error)
        if translated.commands.isEmpty && errors.isEmpty {
            let which = paths.isEmpty ? "" : " match the given paths"
            errors.append(ProcessingError(file: database.path, message: "no C files in the compilation database\(which)"))
        }
        return SourceSet(commands: translated.commands, errors: errors, adjustments: translated.adjustments)
    }

    /// `compile_commands.json` in the current directory or one of its parents.
    public static func discoverDatabase(from directory: String = FileManager.default.currentDirectoryPath) -> String? {
        var dir = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent("compile_commands.json").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }
}
