import Foundation
import LadderTestSupport
import Testing

/// `ladder lint --changed-since REV` as CI runs it: in a checkout, relative paths, the gate
/// on new findings only, and a clear stop when the revision is not in the clone.
@Suite struct ChangedSinceCLITests {
    static func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=ladder tests", "-c", "user.email=tests@ladder.invalid"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    /// A checkout whose last commit has a leak in `copy_out`; the working tree adds one in `copy_in`.
    static func checkout(_ dir: borrowing TemporaryDirectory) throws {
        try FileManager.default.createDirectory(atPath: dir.path("include"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/include/xv6.h", toPath: dir.path("include/xv6.h"))
        let old = """
            int copy_out(char *dst) {
              char *page;
              if((page = kalloc()) == 0)
                return -1;
              if(dst == 0)
                return -1;
              kfree(page);
              return 0;
            }

            """
        try ("#include \"include/xv6.h\"\n" + old).write(toFile: dir.path("a.c"), atomically: true, encoding: .utf8)
        try git(["init", "-q", "."], in: dir.url.path)
        try git(["add", "-A", "."], in: dir.url.path)
        try git(["commit", "-q", "-m", "old leak"], in: dir.url.path)
        try (SampleSources.leak + old).write(toFile: dir.path("a.c"), atomically: true, encoding: .utf8)
    }

    @Test("only the finding on the changed lines is reported, and it alone sets the exit status")
    func gate() throws {
        let dir = try TemporaryDirectory()
        try Self.checkout(dir)
        let all = try CLI.run(["lint", "a.c", "--no-cache", "--format", "json"], in: dir.url.path)
        let allFunctions = try Self.functions(all.out)
        #expect(allFunctions.sorted() == ["copy_in", "copy_out"], "\(all.err)")

        let changed = try CLI.run(["lint", "a.c", "--no-cache", "--format", "json", "--changed-since", "HEAD"], in: dir.url.path)
        #expect(changed.status == 1)
        #expect(try Self.functions(changed.out) == ["copy_in"])

        // Committed: nothing changed since HEAD, and the old leak does not fail the run.
        try Self.git(["commit", "-q", "-am", "new leak"], in: dir.url.path)
        let none = try CLI.run(["lint", "a.c", "--no-cache", "--changed-since", "HEAD"], in: dir.url.path)
        #expect(none.status == 0, "\(none.out)\(none.err)")
        // Against the first commit, the new one is back.
        let since = try CLI.run(["lint", "a.c", "--no-cache", "--format", "json", "--changed-since", "HEAD~1"], in: dir.url.path)
        #expect(try Self.functions(since.out) == ["copy_in"])
    }

    @Test("a revision the clone lacks stops the run with exit 2, naming it; so does --write-baseline with it")
    func errors() throws {
        let dir = try TemporaryDirectory()
        try Self.checkout(dir)
        let missing = try CLI.run(["lint", "a.c", "--no-cache", "--changed-since", "origin/main"], in: dir.url.path)
        #expect(missing.status == 2)
        #expect(missing.err.contains("--changed-since origin/main") && missing.err.contains("fetch-depth"), "\(missing.err)")
        #expect(missing.out.isEmpty, "text: the error line on stderr is all")
        let json = try CLI.run(["lint", "a.c", "--no-cache", "--format", "json", "--changed-since", "origin/main"], in: dir.url.path)
        #expect(json.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let errors = try #require(document["errors"] as? [[String: Any]])
        #expect((errors.first?["message"] as? String)?.contains("--changed-since origin/main") == true, "\(errors)")
        #expect((document["findings"] as? [Any])?.isEmpty == true, "a report that knows nothing lists no finding")

        let baseline = try CLI.run(["lint", "a.c", "--no-cache", "--changed-since", "HEAD", "--write-baseline", dir.path("b.json")],
                                   in: dir.url.path)
        #expect(baseline.status == 2)
        #expect(baseline.err.contains("--write-baseline"), "\(baseline.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("b.json")))
    }

    static func functions(_ json: String) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (object["findings"] as? [[String: Any]] ?? []).compactMap { $0["function"] as? String }
    }
}
