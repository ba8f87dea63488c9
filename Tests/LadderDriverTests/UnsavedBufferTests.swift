import Foundation
import LadderCore
import LadderDriver
import Testing

/// An editor's buffers are what gets checked, not the files on disk: the main file, the
/// headers it includes, and the comments suppressions are read from.
@Suite struct UnsavedBufferTests {
    @Test("a buffer with a leak is reported though the disk's file is clean")
    func bufferOverDisk() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Source.fixed, to: "a.c")
        #expect(try LintDriver().run(.files([file])).report.findings.isEmpty)

        var options = LintOptions.files([file])
        options.unsavedFiles = [file: Source.leak]
        let findings = try LintDriver().run(options).report.findings
        #expect(findings.map(\.rule) == [.missingRelease], "\(findings)")
        #expect(findings.first?.location.line == Source.leakLine)
    }

    @Test("a fixed buffer hides the disk's leak")
    func fixedBuffer() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Source.leak, to: "a.c")
        var options = LintOptions.files([file])
        options.unsavedFiles = [file: Source.fixed]
        let outcome = try LintDriver().run(options)
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings)")
        #expect(outcome.report.stats.files == 1)
    }

    @Test("a buffer keyed by its absolute path applies to a database entry naming the file relatively")
    func absoluteKeyForRelativeEntry() throws {
        let scratch = try Scratch()
        try scratch.write(Source.fixed, to: "a.c")
        let entry: [[String: Any]] = [["directory": scratch.root, "file": "a.c", "arguments": ["cc", "-c", "a.c"]]]
        try JSONSerialization.data(withJSONObject: entry).write(to: URL(fileURLWithPath: scratch.path("compile_commands.json")))
        var options = LintOptions(compileDatabase: .at(scratch.root), rulePacks: ["xv6"])
        options.unsavedFiles = [scratch.path("a.c"): Source.leak]
        let outcome = try LintDriver().run(options)
        // The database names it relatively; reports name it by its joined, absolute path.
        #expect(outcome.files.map(\.file) == [scratch.path("a.c")])
        #expect(outcome.report.findings.map(\.rule) == [.missingRelease], "\(outcome.report.findings)")
    }

    @Test("an included header's buffer is used too")
    func headerBuffer() throws {
        let scratch = try Scratch()
        // On disk the header lacks BAIL, so the disk's version does not even parse.
        try scratch.write("#include \"include/xv6.h\"\n", to: "bail.h")
        let main = try scratch.write(Source.leak.replacingOccurrences(of: "include/xv6.h", with: "bail.h")
            .replacingOccurrences(of: "  if(src == 0)\n    return -1;", with: "  if(src == 0)\n    BAIL;"), to: "a.c")
        let onDisk = try LintDriver().run(.files([main])).report
        #expect(onDisk.errors.first?.message.contains("parse error") == true, "\(onDisk.errors)")

        var options = LintOptions.files([main])
        options.unsavedFiles = [scratch.path("bail.h"): "#include \"include/xv6.h\"\n#define BAIL return -1\n"]
        let report = try LintDriver().run(options).report
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.findings.map(\.rule) == [.missingRelease], "\(report.findings)")
    }

    @Test("suppressions are read from the buffer, not the disk")
    func suppressionFromBuffer() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Source.leak, to: "a.c")
        var options = LintOptions.files([file])
        options.unsavedFiles = [file: Source.leak.replacingOccurrences(
            of: "    return -1;\n  kfree(mem);",
            with: "    return -1;   // ladder-ignore[missing-release]: the caller frees it\n  kfree(mem);")]
        let findings = try LintDriver().run(options).report.findings
        #expect(findings.isEmpty, "\(findings)")
    }
}
