import Foundation
import Testing

/// How `ladder lint` (Sources/ladder/Lint.swift) wires LadderReport together, where a wrong
/// choice shows only end to end. Each test states the correct behaviour; each once caught
/// a real wiring bug.
@Suite struct LintWiringTests {
    /// A scratch tree with the xv6 header, so cases can include "include/xv6.h".
    static func tree() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("include"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/include/xv6.h", toPath: dir.path("include/xv6.h"))
        return dir
    }

    static let leak = """
        #include "include/xv6.h"
        int leak(char *src) {
          char *mem;
          if((mem = kalloc()) == 0)
            return -1;
          if(src == 0)
            return -1;   // ladder-ignore[missing-release]: the caller frees it
          kfree(mem);
          return 0;
        }

        """

    /// Text on a terminal-less stdout: TextFormat already lists processing errors in the
    /// report, so Lint must not print them to stderr again.
    @Test func textReportsEachProcessingErrorOnce() throws {
        let run = try CLI.run(["lint", "fixtures/reports/broken.c", "fixtures/checks/missing-release/proc_pagetable_no_unmap.c",
                               "--color", "never"])
        let line = "fixtures/reports/broken.c:9: error: parse error"
        #expect(run.out.contains(line))
        #expect(!run.err.contains(line), "printed twice, the second time on stderr:\n\(run.err)")
    }

    /// A file that failed to parse was not analysed, so its suppressions cannot be judged:
    /// none of them is "stale". (Frontend's parse errors carry the line of the first error,
    /// so `errors.line == nil` does not tell a file that failed from one that was analysed.)
    @Test func suppressionsInAFileThatDidNotParseAreNotReported() throws {
        let dir = try Self.tree()
        try (Self.leak + "int broken(void) { undeclared_t x = 1 }\n").write(toFile: dir.path("a.c"), atomically: true, encoding: .utf8)
        let run = try CLI.run(["lint", "a.c", "--format", "json"], in: dir.url.path)
        #expect(run.out.contains("parse error"))
        #expect(!run.out.contains("invalid-suppression"), "\(run.out)")
    }

    /// A run that processed nothing is untrusted (exit 2); it must not replace a good
    /// baseline with an empty one, or the next CI run silently accepts nothing at all.
    @Test func untrustedRunDoesNotOverwriteTheBaseline() throws {
        let dir = try Self.tree()
        let old = #"{"version": 1, "tool": "ladder", "findings": [{"fingerprint": "abc", "rule": "missing-release", "function": "f", "file": "a.c", "message": "m"}]}"#
        try old.write(toFile: dir.path("base.json"), atomically: true, encoding: .utf8)
        let run = try CLI.run(["lint", "no/such.c", "--write-baseline", "base.json"], in: dir.url.path)
        #expect(run.status == 2)
        let now = try String(contentsOfFile: dir.path("base.json"), encoding: .utf8)
        #expect(now == old, "the baseline was replaced by an untrusted run:\n\(now)")
    }

    /// Compilation-database entries name files relative to their `directory`; suppressions
    /// in them must be read from there, not from wherever ladder was started.
    @Test func suppressionsApplyToDatabaseEntriesFromAnotherDirectory() throws {
        let dir = try Self.tree()
        try Self.leak.write(toFile: dir.path("a.c"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.path("build"), withIntermediateDirectories: true)
        let database = #"[{"directory": "\#(dir.url.path)", "file": "a.c", "arguments": ["cc", "-c", "a.c"]}]"#
        try database.write(toFile: dir.path("build/compile_commands.json"), atomically: true, encoding: .utf8)

        let inTree = try CLI.run(["lint", "-p", "build/compile_commands.json"], in: dir.url.path)
        #expect(inTree.status == 0, "from the entry's directory the suppression works:\n\(inTree.out)")
        let elsewhere = try CLI.run(["lint", "-p", "compile_commands.json"], in: dir.path("build"))
        #expect(elsewhere.status == 0, "the suppression was not read:\n\(elsewhere.out)")
    }
}
