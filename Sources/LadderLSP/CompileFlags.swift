import Foundation
import LadderClang
import LadderCore
import LadderDriver

/// Where a file's compiler flags come from, first match wins:
/// 1. a `compile_commands.json` in the file's directory or above that has an entry for it
///    (the project's own include paths and defines; `ladder lsp -- ARGS` are added after);
/// 2. otherwise `ladder lsp -- ARGS`;
/// 3. otherwise none: clang's defaults, which is enough for a file whose headers are found
///    relative to it.
///
/// Whether a database covers a file is remembered until a watched database changes
/// (`workspace/didChangeWatchedFiles`), so a keystroke does not re-read a kernel's database
/// only to decide that. The driver still reads the database on each run.
public struct CompileFlags: Sendable {
    public var clangArguments: [String]
    public var rulePacks: [String]
    private var coverage: [Key: Bool] = [:]

    private struct Key: Hashable {
        var database: String
        var file: String
    }

    public init(clangArguments: [String], rulePacks: [String]) {
        self.clangArguments = clangArguments
        self.rulePacks = rulePacks
    }

    /// The lint options for one file, with the editor's buffers.
    public mutating func options(for path: String, unsavedFiles: [String: String]) -> LintOptions {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var choice = CompileDatabaseChoice.none
        if let database = SourceSet.discoverDatabase(from: directory), covers(database, path) {
            choice = .at(database)
        }
        var options = LintOptions(paths: [path], compileDatabase: choice, clangArguments: clangArguments,
                                  rulePacks: rulePacks, jobs: 1, unsavedFiles: unsavedFiles)
        // A file being edited is judged by what it says; the editor shows what was not checked.
        options.allowIncomplete = true
        return options
    }

    /// Forget what was learnt about databases: one changed, appeared or went away.
    public mutating func reload() {
        coverage = [:]
    }

    private mutating func covers(_ database: String, _ file: String) -> Bool {
        let key = Key(database: database, file: file)
        if let known = coverage[key] { return known }
        let set = try? SourceSet.fromDatabase(database, paths: [file], extraArguments: [])
        let covered = !(set?.commands.isEmpty ?? true)
        coverage[key] = covered
        return covered
    }
}
