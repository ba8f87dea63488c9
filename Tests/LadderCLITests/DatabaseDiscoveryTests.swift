import Foundation
import Testing

/// Without `-p`, a `compile_commands.json` in the current directory or above supplies the
/// flags; one that covers none of the given files is ignored.
@Suite struct DatabaseDiscoveryTests {
    /// A file that parses only with the database's `-DNEEDS_FLAG`.
    static let source = """
        #ifndef NEEDS_FLAG
        #error built without the database's flags
        #endif
        int ok(void) { return 0; }

        """

    @Test func databaseInParentDirectoryIsUsed() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("src"), withIntermediateDirectories: true)
        try Self.source.write(toFile: dir.path("src/a.c"), atomically: true, encoding: .utf8)
        let database: [[String: Any]] = [["directory": dir.url.path, "file": "src/a.c",
                                          "arguments": ["cc", "-DNEEDS_FLAG", "-c", "src/a.c", "-o", "src/a.o"]]]
        try JSONSerialization.data(withJSONObject: database).write(to: dir.url.appendingPathComponent("compile_commands.json"))
        let fromRoot = try CLI.run(["lint", "src/a.c"], in: dir.url.path)
        #expect(fromRoot.status == 0, "\(fromRoot.err)")
        let fromSubdirectory = try CLI.run(["lint"], in: dir.path("src"))
        #expect(fromSubdirectory.status == 0, "\(fromSubdirectory.err)")
    }

    @Test func unrelatedDatabaseIsIgnored() throws {
        let dir = try TemporaryDirectory()
        try "int ok(void) { return 0; }\n".write(toFile: dir.path("b.c"), atomically: true, encoding: .utf8)
        let database: [[String: Any]] = [["directory": "/elsewhere", "file": "/elsewhere/x.c", "arguments": ["cc", "-c", "x.c"]]]
        try JSONSerialization.data(withJSONObject: database).write(to: dir.url.appendingPathComponent("compile_commands.json"))
        let run = try CLI.run(["lint", "b.c"], in: dir.url.path)
        #expect(run.status == 0, "\(run.err)")
        #expect((run.out + run.err).contains("1 file"))
    }
}
