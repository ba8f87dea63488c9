import Foundation
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// `--cache`: a unit is parsed again only when a file it read, its flags, the pack or the
/// ladder build changed; phase 2 walks again only functions whose callees' summaries moved.
@Suite struct CacheTests {
    /// Files the tests write are dated two minutes back: a cache does not keep a unit whose
    /// files changed within a second of its parse (it could not tell which version it read).
    static func backdate(_ paths: [String], by seconds: Double = 120) throws {
        for path in paths {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: path)
        }
    }

    /// A three-file tree: `a.c` and `b.c` include `shared.h`, `c.c` does not.
    static func tree(_ scratch: borrowing Scratch) throws -> [String] {
        try scratch.write("#define SHARED_FAIL (-1)\n", to: "shared.h")
        let files = [
            try scratch.write("#include \"include/xv6.h\"\n#include \"shared.h\"\n" + Source.leak, to: "a.c"),
            try scratch.write("#include \"include/xv6.h\"\n#include \"shared.h\"\n" + Source.fixed.replacingOccurrences(of: "copy_in", with: "copy_b"), to: "b.c"),
            try scratch.write(Source.secondLeak.replacingOccurrences(of: "int copy_out", with: "#include \"include/xv6.h\"\nint copy_out"), to: "c.c"),
        ]
        try backdate(files + [scratch.path("shared.h"), scratch.path("include/xv6.h")])
        return files
    }

    static func options(_ paths: [String], cache: String, identity: String = "test-build") -> LintOptions {
        var options = LintOptions.files(paths)
        options.cache = .directory(CacheSettings(directory: cache, toolIdentity: identity))
        return options
    }

    @Test("an unchanged re-run parses nothing and reports the same")
    func unchanged() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        let frontends = CountingFrontends()
        let first = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 3)
        #expect(first.database?.parsed == 3)
        let second = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 3, "nothing parsed again")
        #expect(second.database?.reused == 3)
        #expect(second.database?.rechecked == 0)
        #expect(second.report.findings == first.report.findings)
        #expect(second.report.findings.count == 2)
        #expect(second.files.map(\.functions) == first.files.map(\.functions))
    }

    @Test("a file that does not compile is not parsed again until a file it read changes")
    func compileErrorRemembered() throws {
        let scratch = try Scratch()
        try scratch.write("#define BROKEN_TYPE undeclared_type_t\n", to: "broken.h")
        let files = [try scratch.write("#include \"broken.h\"\nBROKEN_TYPE value;\nint f(void) { return 0; }\n", to: "bad.c")]
        try Self.backdate(files + [scratch.path("broken.h")])
        let cache = scratch.path("cache")
        let frontends = CountingFrontends()
        let first = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 1)
        #expect(first.report.errors.count == 1)
        #expect(first.report.errors.first?.message.contains("undeclared_type_t") == true, "\(first.report.errors)")
        let second = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 1, "the error comes from the cache")
        #expect(second.report.errors == first.report.errors)
        // The header is mended: the unit parses, and its error is gone.
        try scratch.write("#define BROKEN_TYPE int\n", to: "broken.h")
        try Self.backdate([scratch.path("broken.h")])
        let third = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 2)
        #expect(third.report.errors.isEmpty, "\(third.report.errors)")
        #expect(third.database?.parsed == 1)
    }

    @Test("a missing header is not remembered: the run after it appears parses the file")
    func missingHeaderNotRemembered() throws {
        let scratch = try Scratch()
        let files = [try scratch.write("#include \"generated.h\"\nint f(void) { return GENERATED; }\n", to: "uses.c")]
        try Self.backdate(files)
        let cache = scratch.path("cache")
        let frontends = CountingFrontends()
        let first = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(first.report.errors.first?.message.contains("generated.h") == true, "\(first.report.errors)")
        // The build generates the header: nothing the failed parse read has changed.
        try scratch.write("#define GENERATED 0\n", to: "generated.h")
        try Self.backdate([scratch.path("generated.h")])
        let second = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 2)
        #expect(second.report.errors.isEmpty, "\(second.report.errors)")
    }

    /// Three files whose summaries depend on each other: `use` in c.c leaks what
    /// `outer_alloc` (b.c) returns from `inner_alloc` (a.c); phase 2 takes rounds to see it.
    static func chain(_ scratch: borrowing Scratch, innerAllocates: Bool = true) throws -> [String] {
        let inner = innerAllocates ? "if((p = kalloc()) == 0)\n    return 0;" : "p = (char*)&inner_buffer;"
        let files = [
            try scratch.write("#include \"include/xv6.h\"\nstatic char inner_buffer[16];\nchar *inner_alloc(void) {\n  char *p;\n  \(inner)\n  return p;\n}\n", to: "a.c"),
            try scratch.write("#include \"include/xv6.h\"\nchar *inner_alloc(void);\nchar *outer_alloc(void) {\n  char *q;\n  if((q = inner_alloc()) == 0)\n    return 0;\n  return q;\n}\n", to: "b.c"),
            try scratch.write("#include \"include/xv6.h\"\nchar *outer_alloc(void);\nint use(int fail) {\n  char *r;\n  if((r = outer_alloc()) == 0)\n    return -1;\n  if(fail)\n    return -1;\n  kfree(r);\n  return 0;\n}\n", to: "c.c"),
        ]
        try backdate(files + [scratch.path("include/xv6.h")])
        return files
    }

    @Test("an unchanged re-run takes phase 2's outcome whole; an edit, or records another run replaced, run the rounds")
    func settledRunReused() throws {
        let scratch = try Scratch()
        let files = try Self.chain(scratch)
        let cache = scratch.path("cache")
        let first = try LintDriver().run(Self.options(files, cache: cache))
        #expect(first.report.findings.map(\.location.line) == [8], "\(first.report.findings.map(\.message))")
        #expect((first.database?.rounds ?? 0) >= 2)
        #expect(first.database?.settledRunReused == false)

        let second = try LintDriver().run(Self.options(files, cache: cache))
        #expect(second.database?.settledRunReused == true)
        #expect(second.database?.rounds == 0)
        #expect(second.report.findings == first.report.findings)

        // Records replaced behind the run's back (another set of files linted with the same
        // units): the kept outcome no longer matches them, and the rounds run again.
        let checks = try FileManager.default.subpathsOfDirectory(atPath: cache).filter { $0.hasSuffix("checks.json") }
        #expect(!checks.isEmpty)
        for path in checks { try "{}".write(toFile: cache + "/" + path, atomically: true, encoding: .utf8) }
        let third = try LintDriver().run(Self.options(files, cache: cache))
        #expect(third.database?.settledRunReused == false)
        #expect(third.report.findings == first.report.findings)

        // An edit two files away from the finding: the outcome is the cold run's, not the kept one.
        _ = try Self.chain(scratch, innerAllocates: false)
        let edited = try LintDriver().run(Self.options(files, cache: cache))
        #expect(edited.database?.settledRunReused == false)
        var cold = LintOptions.files(files)
        cold.cache = .none
        let fresh = try LintDriver().run(cold)
        #expect(edited.report.findings == fresh.report.findings)
        #expect(fresh.report.findings.isEmpty, "\(fresh.report.findings.map(\.message))")
    }

    @Test("after an edit the rounds replay from the records they gave last time: nothing unaffected is walked again")
    func roundsReplayFromKeptRecords() throws {
        let scratch = try Scratch()
        var files = try Self.chain(scratch)
        files.append(try scratch.write("#include \"include/xv6.h\"\nint unrelated(void) {\n  return 0;\n}\n", to: "d.c"))
        try Self.backdate([files[3]])
        let cache = scratch.path("cache")
        let first = try LintDriver().run(Self.options(files, cache: cache))
        #expect((first.database?.rechecked ?? 0) > 0, "use() needs outer_alloc's summary, which needs inner_alloc's")
        try scratch.write("#include \"include/xv6.h\"\nint unrelated(void) {\n  return 1;\n}\n", to: "d.c")
        try Self.backdate([files[3]])
        let edited = try LintDriver().run(Self.options(files, cache: cache))
        #expect(edited.database?.parsed == 1)
        #expect(edited.database?.settledRunReused == false)
        #expect(edited.database?.rechecked == 1, "d.c's edited function alone: every record of a.c, b.c and c.c was kept")
        #expect(edited.report.findings == first.report.findings)
    }

    @Test("an edit to one function of a file walks that function again, not the others of its file")
    func editedFileKeepsUnchangedFunctions() throws {
        let scratch = try Scratch()
        let text = { (value: Int) in
            "#include \"include/xv6.h\"\nint first(void) {\n  char *p = kalloc();\n  kfree(p);\n  return 0;\n}\nint second(void) {\n  return \(value);\n}\n"
        }
        let file = try scratch.write(text(1), to: "a.c")
        try Self.backdate([file, scratch.path("include/xv6.h")])
        let cache = scratch.path("cache")
        let first = try LintDriver().run(Self.options([file], cache: cache))
        #expect(first.database?.rechecked == 2)
        try scratch.write(text(2), to: "a.c")
        try Self.backdate([file])
        let edited = try LintDriver().run(Self.options([file], cache: cache))
        #expect(edited.database?.parsed == 1)
        #expect(edited.database?.rechecked == 1, "first() is as it was: its record from the last run stands")
        #expect(edited.report.findings == first.report.findings)
    }

    @Test("touching one .c parses that file alone")
    func oneFileEdited() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        let frontends = CountingFrontends()
        _ = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        // The fixed version: its finding must go.
        try scratch.write("#include \"include/xv6.h\"\n#include \"shared.h\"\n" + Source.fixed, to: "a.c")
        try Self.backdate([files[0]])
        let after = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 4)
        #expect(after.database?.parsed == 1)
        #expect(after.database?.reused == 2)
        #expect(after.report.findings.map(\.location.file) == [files[2]])
    }

    @Test("touching a header parses the files that include it, and only those")
    func headerEdited() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        _ = try LintDriver().run(Self.options(files, cache: cache))
        try scratch.write("#define SHARED_FAIL (-2)\n", to: "shared.h")
        try Self.backdate([scratch.path("shared.h")])
        let recorder = CountingFrontends()
        let after = try LintDriver(loaders: recorder).run(Self.options(files, cache: cache))
        #expect(recorder.count == 2)
        #expect(after.database?.parsed == 2)
        #expect(after.database?.reused == 1)
    }

    @Test("the same contents under a touch (new time, same bytes) are not parsed again")
    func contentsNotTimes() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        _ = try LintDriver().run(Self.options(files, cache: cache))
        try Self.backdate(files + [scratch.path("shared.h")], by: 30)
        let frontends = CountingFrontends()
        _ = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 0)
    }

    @Test("another pack or another ladder build starts afresh")
    func keyedByPackAndBuild() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        _ = try LintDriver().run(Self.options(files, cache: cache))
        let frontends = CountingFrontends()
        _ = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache, identity: "another-build"))
        #expect(frontends.count == 3)
        var linux = Self.options(files, cache: cache)
        linux.rulePacks = ["xv6", "linux"]
        _ = try LintDriver(loaders: frontends).run(linux)
        #expect(frontends.count == 6)
    }

    @Test("an unsaved buffer is checked, not the disk's file, and is a change like any edit")
    func unsavedBuffer() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        _ = try LintDriver().run(Self.options(files, cache: cache))
        var options = Self.options(files, cache: cache)
        options.unsavedFiles = [files[0]: "#include \"include/xv6.h\"\n#include \"shared.h\"\n" + Source.fixed]
        let frontends = CountingFrontends()
        let outcome = try LintDriver(loaders: frontends).run(options)
        #expect(frontends.count == 1)
        #expect(outcome.report.findings.map(\.location.file) == [files[2]])
    }

    @Test("a file written within a second of its parse is not kept: the next run parses it again")
    func racyFilesAreNotKept() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        try scratch.write(Source.leak, to: "fresh.c")
        let all = files + [scratch.path("fresh.c")]
        _ = try LintDriver().run(Self.options(all, cache: cache))
        let frontends = CountingFrontends()
        _ = try LintDriver(loaders: frontends).run(Self.options(all, cache: cache))
        #expect(frontends.count == 1)
    }

    @Test("a damaged cache entry is a miss, never an error")
    func damagedEntry() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        let first = try LintDriver().run(Self.options(files, cache: cache))
        let entries = try FileManager.default.subpathsOfDirectory(atPath: cache).filter { $0.hasSuffix("entry.json") }
        #expect(entries.count == 3)
        try "{\"file\": 1".write(toFile: cache + "/" + entries[0], atomically: true, encoding: .utf8)
        let frontends = CountingFrontends()
        let second = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 1)
        #expect(second.report.findings == first.report.findings)
        #expect(second.report.errors.isEmpty)
    }

    @Test("a unit whose IR left the cache is parsed again when phase 2 needs it")
    func missingIR() throws {
        let scratch = try Scratch()
        let ring = "  if((ring = kalloc()) == 0)\n    return 0;\n"
        for name in ["foo.h", "foo_hw.c", "foo_main.c"] {
            var text = try String(contentsOfFile: Repository.path("fixtures/crossfile/leak/" + name), encoding: .utf8)
            text = text.replacingOccurrences(of: "../../checks/include/xv6.h", with: "include/xv6.h")
            // First a helper that acquires nothing: foo_probe leaks nothing.
            try scratch.write(text.replacingOccurrences(of: ring, with: "  ring = (char*)f;\n"), to: name)
        }
        let files = [scratch.path("foo_hw.c"), scratch.path("foo_main.c")]
        try Self.backdate(files + [scratch.path("foo.h"), scratch.path("include/xv6.h")])
        let cache = scratch.path("cache")
        #expect(try LintDriver().run(Self.options(files, cache: cache)).report.findings.isEmpty)
        // foo_main.c's IR goes; then the helper acquires again, so foo_probe must be walked again.
        var removed = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: cache) where path.hasSuffix("entry.json") {
            let entry = try String(contentsOfFile: cache + "/" + path, encoding: .utf8)
            guard entry.contains("\"file\":\"\(files[1])\"") else { continue }
            let dir = cache + "/" + (path as NSString).deletingLastPathComponent
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasPrefix("ir-") {
                try FileManager.default.removeItem(atPath: dir + "/" + name)
                removed += 1
            }
        }
        #expect(removed == 1)
        let hw = try String(contentsOfFile: Repository.path("fixtures/crossfile/leak/foo_hw.c"), encoding: .utf8)
        try scratch.write(hw, to: "foo_hw.c")
        try Self.backdate([files[0]])
        let frontends = CountingFrontends()
        let outcome = try LintDriver(loaders: frontends).run(Self.options(files, cache: cache))
        #expect(frontends.count == 2, "foo_hw.c for its edit, foo_main.c for its missing IR")
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.map(\.function) == ["foo_probe"])
    }

    @Test("two runs sharing a cache at once parse each unit once between them")
    func concurrentRuns() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        let cache = scratch.path("cache")
        let frontends = CountingFrontends()
        let driver = LintDriver(loaders: frontends)
        let outcomes = Workers.map(count: 2, workers: 2, makeState: {}) { _, _ in
            try? driver.run(Self.options(files, cache: cache))
        }
        #expect(frontends.count == 3)
        let findings = outcomes.map { $0??.report.findings }
        #expect(findings[0] == findings[1])
        #expect(findings[0]?.count == 2)
    }

    @Test("a cache that cannot be written costs parses, never the run")
    func unwritableCache() throws {
        let scratch = try Scratch()
        let files = try Self.tree(scratch)
        // A directory cannot be made under a regular file, whoever runs the test.
        try scratch.write("not a directory\n", to: "blocker")
        let outcome = try LintDriver().run(Self.options(files, cache: scratch.path("blocker/cache")))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.count == 2)
        #expect(outcome.database?.parsed == 3)
    }
}
