import Foundation
import LadderClang
import LadderCore
import Testing

/// Reading a compilation database as users have them: any file name, relative directories,
/// `command` strings, and a message per malformed entry naming the database, the entry and
/// the field.
@Suite struct CompileDatabaseTests {
    static let kbuild = Paths.fixtures("databases/kbuild")
    static let malformed = Paths.fixtures("databases/malformed")

    @Test func anyFileNameIsADatabase() throws {
        let set = try SourceSet.fromDatabase(Self.kbuild + "/x86_64-gcc.json", paths: [], extraArguments: [])
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.commands.count == 2)
    }

    @Test func directoryHoldingCompileCommandsIsADatabase() throws {
        let dir = try TemporaryFolder()
        let entries: [[String: Any]] = [["directory": ".", "file": "a.c", "arguments": ["cc", "-c", "a.c"]]]
        try JSONSerialization.data(withJSONObject: entries).write(to: URL(fileURLWithPath: dir.path + "/compile_commands.json"))
        let set = try SourceSet.fromDatabase(dir.path, paths: [], extraArguments: [])
        #expect(set.commands.map(\.file) == [dir.path + "/a.c"])
    }

    @Test func directoryWithoutDatabaseSaysSo() throws {
        let dir = try TemporaryFolder()
        #expect {
            _ = try SourceSet.fromDatabase(dir.path, paths: [], extraArguments: [])
        } throws: { error in
            let error = error as! ProcessingError
            return error.file == dir.path + "/compile_commands.json" && error.message == "no compilation database here"
        }
    }

    @Test func relativeDirectoryAndFileAreJoined() throws {
        let set = try SourceSet.fromDatabase(Self.kbuild + "/riscv64-cross.json", paths: [], extraArguments: [])
        let linux = Self.kbuild + "/linux"
        // `"directory": "./linux"` is relative to the database's own folder, and `file` to it.
        #expect(set.commands.map(\.directory) == [linux, linux])
        #expect(set.commands.map(\.file) == [linux + "/drivers/demo/demo.c", linux + "/lib/helper.c"])
    }

    @Test func commandStringsAreSplitLikeAShell() throws {
        let set = try SourceSet.fromDatabase(Self.kbuild + "/x86_64-gcc.json", paths: [], extraArguments: [])
        let demo = try #require(set.commands.first)
        // -DKBUILD_MODNAME='"demo"' in the shell string: the quotes around the value stay.
        #expect(demo.arguments.contains("-DKBUILD_MODNAME=\"demo\""))
        #expect(demo.arguments.contains("-include"))
    }

    @Test func pathsRestrictTheEntries() throws {
        let set = try SourceSet.fromDatabase(Self.kbuild + "/x86_64-gcc.json", paths: [Self.kbuild + "/linux/lib"], extraArguments: [])
        #expect(set.commands.map(\.file) == [Self.kbuild + "/linux/lib/helper.c"])
        // A prefix of a name is not a folder: `linux/li` covers nothing.
        let none = try SourceSet.fromDatabase(Self.kbuild + "/x86_64-gcc.json", paths: [Self.kbuild + "/linux/li"], extraArguments: [])
        #expect(none.commands.isEmpty)
    }

    /// Each malformed entry is named once, by index (from 0, as `jq '.[N]'` counts) and line;
    /// the well-formed entry is still used.
    @Test func malformedEntriesAreNamed() throws {
        let database = Self.malformed + "/entries.json"
        let set = try SourceSet.fromDatabase(database, paths: [], extraArguments: [])
        let expected: [(Int, String)] = [
            (4, "entry 1: 'file' is missing"),
            (5, "entry 2: 'directory' is not a string"),
            (6, "entry 3: neither 'arguments' nor 'command' is given"),
            (7, "entry 4: 'arguments' is not an array of strings"),
            (8, "entry 5: 'command' has an unterminated quote"),
            (9, "entry 6: is not a JSON object"),
            (10, "entry 7: 'file' is empty"),
        ]
        #expect(set.errors.map(\.file) == Array(repeating: database, count: expected.count))
        #expect(set.errors.map(\.line) == expected.map { $0.0 })
        #expect(set.errors.map(\.message) == expected.map { $0.1 })
        #expect(set.errors.first?.description == "\(database):4: error: entry 1: 'file' is missing")
        let command = try #require(set.commands.first)
        #expect(set.commands.count == 1)
        #expect(command.file == Self.kbuild + "/linux/lib/helper.c")
        #expect(throws: Never.self) { try Frontend().load(command).get() }
    }

    /// With paths given, a malformed entry for a file outside them is none of this run's
    /// business (a shard or an editor asking for one file must not fail on it); one whose
    /// file cannot be read might be for a file asked for, so it is still said.
    @Test func malformedEntriesForOtherFilesAreNotThisRunsErrors() throws {
        let database = Self.malformed + "/entries.json"
        let set = try SourceSet.fromDatabase(database, paths: [Self.kbuild + "/linux/lib"], extraArguments: [])
        #expect(set.commands.map(\.file) == [Self.kbuild + "/linux/lib/helper.c"])
        #expect(set.errors.map(\.line) == [4, 5, 9, 10])
        let demo = try SourceSet.fromDatabase(database, paths: [Self.kbuild + "/linux/drivers/demo"], extraArguments: [])
        #expect(demo.errors.map(\.line) == [4, 5, 6, 7, 8, 9, 10])
    }

    @Test func emptyDatabaseSaysSo() {
        let database = Self.malformed + "/empty.json"
        #expect {
            _ = try SourceSet.fromDatabase(database, paths: [], extraArguments: [])
        } throws: { error in
            let error = error as! ProcessingError
            return error.file == database && error.message == "the compilation database has no entries"
        }
    }

    @Test func missingDatabaseFileSaysSo() {
        let database = Self.malformed + "/absent.json"
        #expect {
            _ = try SourceSet.fromDatabase(database, paths: [], extraArguments: [])
        } throws: { error in
            (error as! ProcessingError).message == "no such file"
        }
    }

    @Test func onlyCFilesAreTaken() throws {
        let dir = try TemporaryFolder()
        let entries: [[String: Any]] = [
            ["directory": dir.path, "file": "entry.S", "command": "gcc -D__ASSEMBLY__ -c entry.S"],
            ["directory": dir.path, "file": "a.c", "command": "gcc -c a.c"],
            ["directory": dir.path, "file": "a.c", "command": "gcc -DAGAIN -c a.c"],
        ]
        try JSONSerialization.data(withJSONObject: entries).write(to: URL(fileURLWithPath: dir.path + "/db.json"))
        let set = try SourceSet.fromDatabase(dir.path + "/db.json", paths: [], extraArguments: [])
        // The first entry for a file wins, as in libclang's own loader.
        #expect(set.commands.map(\.file) == [dir.path + "/a.c"])
        #expect(set.commands.first?.arguments.contains("-DAGAIN") == false)
    }
}

/// A folder under the system's temporary directory, removed when the value goes.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "ladder-db-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
