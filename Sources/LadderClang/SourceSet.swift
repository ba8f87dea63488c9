import CLibClang
import Foundation
import LadderCore

/// What to parse: files and directories from the command line (directories walked for
/// `*.c`), or the entries of a compilation database, each with its flags.
public struct SourceSet: Sendable {
    public var commands: [CompileCommand]
    /// Paths that could not be used, each with a one-line reason.
    public var errors: [ProcessingError]

    public init(commands: [CompileCommand], errors: [ProcessingError]) {
        self.commands = commands
        self.errors = errors
    }

    /// Files named on the command line, each parsed with `extraArguments`.
    public static func fromPaths(_ paths: [String], extraArguments: [String]) -> SourceSet {
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
                commands += files.map { CompileCommand(file: $0, arguments: extraArguments) }
            } else {
                commands.append(CompileCommand(file: path, arguments: extraArguments))
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

    /// The entries of `compile_commands.json` at `location` (the file or its directory),
    /// restricted to files under `paths` when any are given.
    public static func fromDatabase(_ location: String, paths: [String], extraArguments: [String]) throws(ProcessingError) -> SourceSet {
        var directory = location
        var file = location
        if location.hasSuffix(".json") {
            directory = (location as NSString).deletingLastPathComponent
            if directory.isEmpty { directory = "." }
        } else {
            file = (location as NSString).appendingPathComponent("compile_commands.json")
        }
        guard FileManager.default.fileExists(atPath: file) else {
            throw ProcessingError(file: file, message: "no compilation database here")
        }
        // libclang reports a malformed database only as "cannot load"; say why first.
        if let data = FileManager.default.contents(atPath: file) {
            do {
                guard try JSONSerialization.jsonObject(with: data) is [Any] else {
                    throw ProcessingError(file: file, message: "malformed compilation database: expected a JSON array of commands")
                }
            } catch let error as ProcessingError {
                throw error
            } catch {
                throw ProcessingError(file: file, message: "malformed compilation database: not valid JSON")
            }
        } else {
            throw ProcessingError(file: file, message: "cannot read the compilation database")
        }
        var status = CXCompilationDatabase_NoError
        guard let database = clang_CompilationDatabase_fromDirectory(directory, &status),
              status == CXCompilationDatabase_NoError else {
            throw ProcessingError(file: file, message: "libclang cannot load this compilation database")
        }
        defer { clang_CompilationDatabase_dispose(database) }
        guard let all = clang_CompilationDatabase_getAllCompileCommands(database) else {
            return SourceSet(commands: [], errors: [])
        }
        defer { clang_CompileCommands_dispose(all) }
        var commands: [CompileCommand] = []
        var errors: [ProcessingError] = []
        var seen: Set<String> = []
        for i in 0..<clang_CompileCommands_getSize(all) {
            let command = clang_CompileCommands_getCommand(all, i)
            let filename = clang_CompileCommand_getFilename(command).consume()
            let workdir = clang_CompileCommand_getDirectory(command).consume()
            let count = clang_CompileCommand_getNumArgs(command)
            let arguments = (0..<count).map { clang_CompileCommand_getArg(command, $0).consume() }
            guard filename.hasSuffix(".c"), seen.insert(filename).inserted else { continue }
            let absolute = filename.hasPrefix("/") ? filename : workdir + "/" + filename
            if !paths.isEmpty, !paths.contains(where: { absolute.hasPrefix(absoluteish($0)) || filename.hasPrefix($0) }) {
                continue
            }
            if filename.isEmpty {
                errors.append(ProcessingError(file: file, message: "entry \(i) has no file"))
                continue
            }
            let flags = FlagCleaner.clean(Array(arguments.dropFirst()), file: filename) + extraArguments
            commands.append(CompileCommand(file: filename, directory: workdir.isEmpty ? nil : workdir, arguments: flags))
        }
        if commands.isEmpty {
            errors.append(ProcessingError(file: file, message: "no C files in the compilation database match the given paths"))
        }
        return SourceSet(commands: commands, errors: errors)
    }

    static func absoluteish(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
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
