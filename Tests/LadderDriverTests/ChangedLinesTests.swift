import Foundation
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// `--changed-since`: which lines a diff changed, and which findings a run then keeps, on
/// hand-written diffs and on temporary git repositories (a shallow clone among them).
@Suite struct ChangedLinesTests {
    static let root = "/repo"

    static func spans(_ diff: String) -> [String: [ClosedRange<Int>]] {
        ChangedLines.parse(diff: diff, root: root, workingDirectory: root).files
    }

    @Test("a hunk's new lines are changed; a count left out is one")
    func hunks() {
        let diff = """
            diff --git a/kernel/vm.c b/kernel/vm.c
            index 1111111..2222222 100644
            --- a/kernel/vm.c
            +++ b/kernel/vm.c
            @@ -10,2 +10,3 @@ uvmcreate()
            -a
            -b
            +a
            +b
            +c
            @@ -40 +41 @@ mappages()
            -x
            +y

            """
        #expect(Self.spans(diff) == ["/repo/kernel/vm.c": [10...12, 41...41]])
    }

    @Test("a deletion changes the lines on both sides of the gap it leaves")
    func deletion() {
        let diff = """
            diff --git a/a.c b/a.c
            --- a/a.c
            +++ b/a.c
            @@ -7 +6,0 @@ f()
            -    kfree(mem);
            @@ -1 +0,0 @@
            -/* first line */

            """
        #expect(Self.spans(diff) == ["/repo/a.c": [1...1, 6...7]])
    }

    @Test("content lines that look like headers are content; new, deleted and quoted paths")
    func headersInsideHunks() {
        let diff = """
            diff --git a/new.c b/new.c
            new file mode 100644
            --- /dev/null
            +++ b/new.c
            @@ -0,0 +1,3 @@
            +++ not a header
            +@@ -1 +1 @@ neither
            +--- nor this
            diff --git a/gone.c b/gone.c
            deleted file mode 100644
            --- a/gone.c
            +++ /dev/null
            @@ -1,2 +0,0 @@
            -int x;
            -int y;
            diff --git "a/sp ace\\"q.c" "b/sp ace\\"q.c"
            --- "a/sp ace\\"q.c"
            +++ "b/sp ace\\"q.c"
            @@ -3 +3 @@
            -u
            +v
            \\ No newline at end of file

            """
        #expect(Self.spans(diff) == ["/repo/new.c": [1...3], "/repo/sp ace\"q.c": [3...3]])
    }

    @Test("git's octal escapes are bytes of UTF-8")
    func unquote() {
        #expect(ChangedLines.parse(diff: "+++ \"b/caf\\303\\251.c\"\n@@ -1 +1 @@\n-a\n+b\n", root: "/r", workingDirectory: "/r").files
            == ["/r/café.c": [1...1]])
    }

    @Test("a finding is kept when its statement or its acquire site is on a changed line")
    func filter() {
        func finding(_ line: Int, acquiredAt: Int?, file: String = "kernel/a.c") -> Finding {
            Finding(rule: .missingRelease, message: "m\(line)", function: "f",
                    location: SourceLocation(file: file, line: line, column: 3),
                    resource: acquiredAt.map { ResourceInfo(kind: "page", handle: "p", acquiredBy: "kalloc",
                                                            acquiredAt: SourceLocation(file: file, line: $0, column: 7)) })
        }
        let changed = ChangedLines(files: ["/repo/kernel/a.c": [10...12]], workingDirectory: "/repo")
        let report = Report(findings: [finding(11, acquiredAt: 2), finding(30, acquiredAt: 12), finding(30, acquiredAt: 20),
                                       finding(11, acquiredAt: nil, file: "kernel/b.c"), finding(9, acquiredAt: nil)],
                            errors: [ProcessingError(file: "kernel/c.c", message: "did not parse")])
        let kept = changed.filter(report)
        #expect(kept.findings.map(\.message) == ["m11", "m30"])
        #expect(kept.errors == report.errors, "a file not checked is still said")
    }

    @Test("a statement over several lines is kept when any of them changed")
    func multiLine() {
        var location = SourceLocation(file: "/repo/a.c", line: 5, column: 3)
        location.end = SourcePosition(line: 7, column: 10)
        let report = Report(findings: [Finding(rule: .doubleRelease, message: "m", function: "f", location: location)])
        #expect(ChangedLines(files: ["/repo/a.c": [7...7]], workingDirectory: "/").filter(report).findings.count == 1)
        #expect(ChangedLines(files: ["/repo/a.c": [8...9]], workingDirectory: "/").filter(report).findings.isEmpty)
    }

    // MARK: - On real repositories

    @Test("a run since the last commit reports the leak the edit made, not the one already there")
    func newLeakOnly() throws {
        let scratch = try Scratch()
        let repo = try GitRepo(scratch.root)
        try scratch.write(Source.fixed + Source.secondLeak, to: "a.c")
        try repo.commit("clean copy_in, leaky copy_out")
        // The edit deletes copy_in's kfree (and its braces): the leak is at the `return`
        // right after the gap.
        try scratch.write(Source.leak + Source.secondLeak, to: "a.c")

        let everything = try LintDriver().run(.files([scratch.path("a.c")])).report.findings
        #expect(Set(everything.map(\.function)) == ["copy_in", "copy_out"])

        var options = LintOptions.files([scratch.path("a.c")])
        options.changedLines = try ChangedLines.since("HEAD", in: scratch.root)
        let outcome = try LintDriver().run(options)
        #expect(outcome.report.findings.map(\.function) == ["copy_in"], "\(outcome.report.findings)")
        #expect(outcome.report.findings.first?.location.line == Source.leakLine)
        #expect(outcome.exitStatus == ExitStatus.findings)

        // Undo the edit: nothing changed since HEAD, so the old leak alone passes the gate.
        try scratch.write(Source.fixed + Source.secondLeak, to: "a.c")
        options.changedLines = try ChangedLines.since("HEAD", in: scratch.root)
        let clean = try LintDriver().run(options)
        #expect(clean.report.findings.isEmpty)
        #expect(clean.exitStatus == ExitStatus.clean)
    }

    @Test("an untracked file is changed throughout; the path matches from a subdirectory too")
    func untracked() throws {
        let scratch = try Scratch()
        let repo = try GitRepo(scratch.root)
        try scratch.write("int unused;\n", to: "README.c")
        try repo.commit("first")
        try FileManager.default.createDirectory(atPath: scratch.path("sub"), withIntermediateDirectories: true)
        try scratch.write(Source.leak.replacingOccurrences(of: "include/xv6.h", with: "../include/xv6.h"), to: "sub/new.c")
        let changed = try ChangedLines.since("HEAD", in: scratch.path("sub"))
        var options = LintOptions.files([scratch.path("sub/new.c")])
        options.changedLines = changed
        #expect(try LintDriver().run(options).report.findings.map(\.function) == ["copy_in"])
    }

    @Test("a revision the clone does not have is an error naming it and fetch-depth; so is a directory outside git")
    func missingRevision() throws {
        let scratch = try Scratch()
        let outside = #expect(throws: ChangedLinesError.self) { try ChangedLines.since("HEAD", in: scratch.root) }
        #expect(outside?.description.contains("not in a git work tree") == true, "\(String(describing: outside))")
        let repo = try GitRepo(scratch.root)
        try scratch.write("int a;\n", to: "a.c")
        try repo.commit("one")
        try scratch.write("int a;\nint b;\n", to: "a.c")
        try repo.commit("two")

        // A CI checkout: one commit deep.
        let shallow = scratch.path("shallow")
        try GitRepo.git(["clone", "-q", "--depth=1", "file://" + scratch.root, shallow], in: scratch.root)
        #expect(try ChangedLines.since("HEAD", in: shallow).files.values.allSatisfy(\.isEmpty))
        let missing = #expect(throws: ChangedLinesError.self) { try ChangedLines.since("HEAD~1", in: shallow) }
        let text = missing?.description ?? ""
        #expect(text.contains("--changed-since HEAD~1") && text.contains("fetch-depth") && text.contains("git fetch --depth=1 origin HEAD~1"), "\(text)")
        #expect(throws: ChangedLinesError.self) { try ChangedLines.since("no-such-branch", in: scratch.root) }
        #expect(throws: ChangedLinesError.self) { try ChangedLines.since("--output=x", in: scratch.root) }
        // The full clone has both.
        let changed = try ChangedLines.since("HEAD~1", in: scratch.root)
        let real = URL(fileURLWithPath: scratch.path("a.c")).resolvingSymlinksInPath().path
        #expect(changed.files[real] == [2...2])
    }
}

/// A git repository in a scratch directory, with an identity of its own for commits.
struct GitRepo {
    let root: String

    init(_ root: String) throws {
        self.root = root
        try Self.git(["init", "-q", "-b", "main", "."], in: root)
    }

    func commit(_ message: String) throws {
        try Self.git(["add", "-A", "."], in: root)
        try Self.git(["-c", "user.name=ladder tests", "-c", "user.email=tests@ladder.invalid", "commit", "-q", "-m", message], in: root)
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "git \(arguments.joined(separator: " ")) in \(directory) exited \(process.terminationStatus)")
        }
    }
}
