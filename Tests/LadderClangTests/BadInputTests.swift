import Foundation
import LadderClang
import LadderCore
import Testing

/// Bad input gets one clear error naming the file; nothing crashes or hangs.
@Suite final class BadInputTests {
    let dir: String = {
        let d = NSTemporaryDirectory() + "ladder-bad-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    // Each test gets a fresh instance and folder; none is left behind.
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ data: Data) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: data)
        return path
    }

    @Test func missingPath() {
        let set = SourceSet.fromPaths([dir + "/nope.c"], extraArguments: [])
        #expect(set.commands.isEmpty)
        #expect(set.errors.first?.message == "no such file or directory")
    }

    @Test func directoryWithoutCFiles() {
        let set = SourceSet.fromPaths([dir], extraArguments: [])
        #expect(set.errors.first?.message == "directory contains no .c files")
    }

    @Test func binaryAndNonUTF8Files() {
        let binary = write("bin.c", Data([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))
        let latin1 = write("latin.c", Data("int x; /* caf".utf8) + Data([0xe9]) + Data(" */\n".utf8))
        let frontend = Frontend()
        #expect(throws: ProcessingError.self) { try frontend.load(CompileCommand(file: binary)).get() }
        if case .failure(let e) = frontend.load(CompileCommand(file: binary)) { #expect(e.message.contains("binary")) }
        // clang reads any bytes in a comment; so does ladder (docs/reliability.md).
        #expect((try? frontend.load(CompileCommand(file: latin1)).get()) != nil)
    }

    @Test func parseErrorNamesFileAndLine() {
        let broken = write("broken.c", Data("int f(void) {\n  return undeclared_thing;\n}\n".utf8))
        guard case .failure(let e) = Frontend().load(CompileCommand(file: broken)) else {
            Issue.record("a file with errors must not be lowered")
            return
        }
        #expect(e.file == broken && e.line == 2 && e.message.contains("undeclared"))
    }

    /// The parse runs with `-w`: warnings go, but what clang makes an error by default (a
    /// call to an undeclared function in C99, an int returned as a pointer) still fails the
    /// file, and a file with only warnings still loads.
    @Test func errorsByDefaultSurviveSilencedWarnings() {
        let implicit = write("implicit.c", Data("int f(void) {\n  return g();\n}\n".utf8))
        guard case .failure(let e) = Frontend().load(CompileCommand(file: implicit, arguments: ["-std=gnu11"])) else {
            Issue.record("a call to an undeclared function must stay an error")
            return
        }
        #expect(e.line == 2 && e.message.contains("undeclared function"))
        let warned = write("warned.c", Data("void k(int *p) { char *c = p; (void)c; }\nint unused(void) { int x; return 0; }\n".utf8))
        #expect((try? Frontend().load(CompileCommand(file: warned, arguments: ["-Wall", "-Werror"])).get()) != nil)
    }

    @Test func malformedCompilationDatabase() {
        _ = write("compile_commands.json", Data("{ not json".utf8))
        #expect(throws: ProcessingError.self) {
            try SourceSet.fromDatabase(dir, paths: [], extraArguments: [])
        }
        _ = write("compile_commands.json", Data("{\"a\": 1}".utf8))
        do {
            _ = try SourceSet.fromDatabase(dir, paths: [], extraArguments: [])
            Issue.record("an object is not a compilation database")
        } catch {
            #expect(error.message.contains("JSON array"))
        }
    }

    @Test func compilationDatabaseFlagsAreCleaned() throws {
        let source = write("unit.c", Data("int ok(void) { return 0; }\n".utf8))
        let entry: [[String: Any]] = [[
            "directory": dir, "file": "unit.c",
            "arguments": ["gcc", "-c", "-o", "unit.o", "-Werror", "-MD", "-MF", "unit.d", "-fconserve-stack", "-DX=1", "unit.c"],
        ]]
        FileManager.default.createFile(atPath: dir + "/compile_commands.json", contents: try JSONSerialization.data(withJSONObject: entry))
        let set = try SourceSet.fromDatabase(dir, paths: [], extraArguments: [])
        #expect(set.commands.count == 1)
        #expect(set.commands.first?.arguments == ["-DX=1"])
        let loaded = try Frontend().load(set.commands[0]).get()
        #expect(loaded.unit.functions.map(\.name) == ["ok"])
        _ = source
    }

    @Test func flagCleaner() {
        #expect(FlagCleaner.clean(["-O2", "-Werror=implicit", "-Wp,-MMD,x.d", "-o", "a.o", "-I", "inc", "a.c"])
                == ["-O2", "-I", "inc"])
        // Kernel databases name the file absolutely and pass it relatively (or the reverse).
        #expect(FlagCleaner.clean(["-DX", "drivers/net/a.c"]) == ["-DX"])
        #expect(FlagCleaner.clean(["-DX", "/src/linux/drivers/net/a.c"]) == ["-DX"])
    }
}
