import Foundation
import Testing

/// `--extra-arg`/`--extra-arg-before` as in clang-tidy, and the once-per-run note about
/// options dropped from a Kbuild database.
@Suite struct ExtraArgumentTests {
    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-extra-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Parses only when VALUE is defined, and to 7 only when the database's own -D wins.
        try "_Static_assert(VALUE == 7, \"VALUE\");\nint f(void) { return VALUE; }\n".write(toFile: dir + "/a.c", atomically: true, encoding: .utf8)
        let db = #"[{"directory": "\#(dir)", "file": "a.c", "arguments": ["gcc", "-DVALUE=7", "-c", "a.c"]}]"#
        try db.write(toFile: dir + "/db.json", atomically: true, encoding: .utf8)
        return dir
    }

    @Test("--extra-arg-before comes before the entry's flags, --extra-arg after them")
    func order() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Before: the entry's -DVALUE=7 redefines it last and wins (with a warning).
        let before = try CLI.run(["lint", "-p", dir + "/db.json", "--extra-arg-before=-DVALUE=8", "--extra-arg-before=-Wno-macro-redefined"])
        #expect(before.status == 0, "\(before.out)\(before.err)")
        // After: VALUE is 8 and the static assertion fails: a parse error, so nothing is trusted.
        let after = try CLI.run(["lint", "-p", dir + "/db.json", "--extra-arg=-DVALUE=8", "--extra-arg=-Wno-macro-redefined"])
        #expect(after.status == 2)
        #expect(after.out.contains("VALUE") || after.err.contains("VALUE"))
    }

    @Test("options libclang rejects are dropped with one note for the whole run")
    func kbuildNote() throws {
        let run = try CLI.run(["lint", "--rules", "linux", "-p", "fixtures/databases/kbuild/x86_64-gcc.json"])
        #expect(run.status == 0, "\(run.err)")
        let notes = run.err.split(separator: "\n").filter { $0.hasPrefix("ladder: note: dropped") }
        #expect(notes.count == 2)
        #expect(notes.first?.contains("-fno-ipa-cp-clone") == true)
    }
}
