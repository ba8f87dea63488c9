import Foundation
import LadderTestSupport
import Testing

/// `ladder lint` under what a CI machine does to it: odd output targets, closed or full
/// standard output, files that crash, hang or exhaust the parser, flags spelled tightly. Each
/// case names what happened before its fix. Device nodes, FIFOs and links are made privately
/// in a temporary directory, never in the system's `/dev`.
@Suite struct HardeningCLITests {
    /// A leak in a file of its own: the finding every run below must not lose.
    static let leak = SampleSources.leak

    static func chain(_ term: String, _ op: String, _ count: Int) -> String {
        Array(repeating: term, count: count).joined(separator: " \(op) ")
    }

    /// 2^30 tokens from 31 lines: clang works on it for minutes and gigabytes.
    static let exponentialMacro = (["#define X0 1+"] + (1...30).map { "#define X\($0) X\($0 - 1) X\($0 - 1)" }
        + ["int boom(void) { return X30 1; }", ""]).joined(separator: "\n")

    /// 50,000 nested `!`: clang's parser recurses once per level and overflows its stack.
    static let parserOverflow = "int f(int a) { return \(String(repeating: "!", count: 50_000))a; }\n"

    /// A directory with include/xv6.h and leak.c.
    static func scratch() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("include"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/include/xv6.h", toPath: dir.path("include/xv6.h"))
        try leak.write(toFile: dir.path("leak.c"), atomically: true, encoding: .utf8)
        return dir
    }

    /// `script` in /bin/sh with `$LADDER` the binary under test, for redirections `CLI.run`
    /// cannot make. Its standard output and error are captured through files.
    static func shell(_ script: String, in directory: String) throws -> CLI.Run {
        try CLI.run(["-c", script], in: directory, executable: "/bin/sh", environment: ["LADDER": CLI.binary])
    }

    /// A private copy of a character device (`1,7` is full, `1,3` null), or nil when this
    /// user may not make one.
    static func device(_ path: String, minor: UInt64) -> String? {
        mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | minor)) == 0 ? path : nil
    }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    // MARK: 1. -o over links, FIFOs and devices

    /// Before: the rename replaced the link with a regular file and left its target stale.
    @Test("-o through a symbolic link writes its target and keeps the link")
    func outputThroughLink() throws {
        let dir = try Self.scratch()
        try "stale\n".write(toFile: dir.path("real.json"), atomically: true, encoding: .utf8)
        #expect(symlink("real.json", dir.path("link.json")) == 0)
        let run = try CLI.run(["lint", "leak.c", "--format", "json", "-o", "link.json"], in: dir.url.path)
        #expect(run.status == 1, "\(run.err)")
        #expect(Self.kind(dir.path("link.json")) == S_IFLNK)
        let written = try String(contentsOfFile: dir.path("real.json"), encoding: .utf8)
        #expect(written.contains("\"missing-release\""))
    }

    /// Before: a temporary was renamed over the FIFO, and the reader waited for ever.
    @Test("-o into a FIFO: the reader on the other end gets the report")
    func outputIntoFIFO() throws {
        let dir = try Self.scratch()
        #expect(mkfifo(dir.path("pipe"), 0o600) == 0)
        let run = try Self.shell(#"cat pipe > got & "$LADDER" lint leak.c --format json -o pipe; status=$?; wait; exit $status"#,
                                 in: dir.url.path)
        #expect(run.status == 1, "\(run.err)")
        #expect(Self.kind(dir.path("pipe")) == S_IFIFO)
        #expect(try String(contentsOfFile: dir.path("got"), encoding: .utf8).contains("\"missing-release\""))
    }

    /// Before: as root, the device node was replaced by a regular file (with `/dev/null`,
    /// the system's).
    @Test("-o onto a character device writes through it and leaves the node",
          .enabled(if: geteuid() == 0, "mknod needs root"))
    func outputOntoDevice() throws {
        let dir = try Self.scratch()
        let null = try #require(Self.device(dir.path("null"), minor: 3))
        let run = try CLI.run(["lint", "leak.c", "-o", null], in: dir.url.path)
        #expect(run.status == 1, "\(run.err)")
        #expect(Self.kind(null) == S_IFCHR)
    }

    // MARK: 2. Files that crash, and long flat expressions

    /// Before: SIGSEGV in lowering or in libclang's 8 MB parse thread, and no report at all.
    @Test("20,000-term && and comma chains and a 5,200-term + chain are checked like any file")
    func longChains() throws {
        let dir = try Self.scratch()
        try "int f(int a) { return \(Self.chain("a", "+", 5_200)); }\n".write(toFile: dir.path("sum.c"), atomically: true, encoding: .utf8)
        try "int g(int a) { if (\(Self.chain("a", "&&", 20_000))) return 1; return 0; }\n"
            .write(toFile: dir.path("and.c"), atomically: true, encoding: .utf8)
        try "int h(int a) { return (\(Self.chain("a", ",", 20_000))); }\n".write(toFile: dir.path("comma.c"), atomically: true, encoding: .utf8)
        for mode in [[], ["--in-process"]] {
            let run = try CLI.run(["lint", "sum.c", "and.c", "comma.c", "leak.c", "-j", "2"] + mode, in: dir.url.path)
            #expect(run.status == 1, "\(mode): \(run.err)")
            #expect(run.out.contains("ladder: 4 files, 4 functions, 1 finding (1 error), 0 processing errors"), "\(mode): \(run.out)")
        }
    }

    /// Before: the process died with the file, and every other file's findings with it.
    @Test("a file that crashes its worker is an error of that file; the others are checked, on a restarted worker")
    func crashIsolated() throws {
        let dir = try Self.scratch()
        try Self.parserOverflow.write(toFile: dir.path("deep.c"), atomically: true, encoding: .utf8)
        try Self.leak.replacingOccurrences(of: "copy_in", with: "copy_in2").write(toFile: dir.path("later.c"), atomically: true, encoding: .utf8)
        // One worker: deep.c kills it, leak.c and later.c need the one started after it.
        let run = try CLI.run(["lint", "deep.c", "leak.c", "later.c", "-j1", "--format", "json"], in: dir.url.path)
        #expect(run.status == 2, "a file not checked makes the run untrusted: \(run.err)")
        let report = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
        let findings = report?["findings"] as? [[String: Any]] ?? []
        #expect(Set(findings.compactMap { $0["function"] as? String }) == ["copy_in", "copy_in2"])
        let errors = report?["errors"] as? [[String: Any]] ?? []
        #expect(errors.count == 1)
        #expect(errors.first?["file"] as? String == "deep.c")
        let message = errors.first?["message"] as? String ?? ""
        #expect(message.hasPrefix("not checked: the file worker died while checking this file (signal 11"), "\(message)")
    }

    // MARK: 3. Standard output that cannot take the report

    /// Before: exit 1 (the findings' status) and not a word: the report was simply gone.
    @Test("closed standard output: exit 2 and a message, for the report and for dump-cfg")
    func closedStandardOutput() throws {
        let dir = try Self.scratch()
        let lint = try Self.shell(#""$LADDER" lint leak.c >&-"#, in: dir.url.path)
        #expect(lint.status == 2)
        #expect(lint.err.contains("ladder: error: cannot write the report to standard output: Bad file descriptor"), "\(lint.err)")
        let json = try Self.shell(#""$LADDER" lint leak.c --format json >&-"#, in: dir.url.path)
        #expect(json.status == 2 && json.err.contains("cannot write the report to standard output"), "\(json.err)")
        let dump = try Self.shell(#""$LADDER" dump-cfg leak.c >&-"#, in: dir.url.path)
        #expect(dump.status == 2 && dump.err.contains("cannot write the graphs to standard output"), "\(dump.err)")
    }

    @Test("a full device as standard output, as -o and as the baseline: exit 2 and a message each")
    func fullDevice() throws {
        let dir = try Self.scratch()
        let full = Self.device(dir.path("full"), minor: 7) ?? "/dev/full"
        let stdout = try Self.shell(#""$LADDER" lint leak.c > "$0""#.replacingOccurrences(of: "$0", with: full), in: dir.url.path)
        #expect(stdout.status == 2)
        #expect(stdout.err.contains("cannot write the report to standard output: No space left on device"), "\(stdout.err)")
        let dump = try Self.shell(#""$LADDER" dump-cfg leak.c > "$0""#.replacingOccurrences(of: "$0", with: full), in: dir.url.path)
        #expect(dump.status == 2 && dump.err.contains("No space left on device"), "\(dump.err)")
        let output = try CLI.run(["lint", "leak.c", "--format", "sarif", "-o", full], in: dir.url.path)
        #expect(output.status == 2 && output.err.contains("\(full): cannot write: No space left on device"), "\(output.err)")
        let baseline = try CLI.run(["lint", "leak.c", "--write-baseline", full], in: dir.url.path)
        #expect(baseline.status == 2 && baseline.err.contains("No space left on device"), "\(baseline.err)")
        #expect(Self.kind(full) == S_IFCHR)
    }

    // MARK: 4(c). The gate

    /// Before: exit 1, by the findings alone, as if broken.c had been checked.
    @Test("a file that did not parse: exit 2, listed under errors and counted; --allow-incomplete: exit by findings")
    func incompleteRunFailsTheGate() throws {
        let dir = try Self.scratch()
        try "int broken(void) { return undeclared; }\n".write(toFile: dir.path("broken.c"), atomically: true, encoding: .utf8)
        let strict = try CLI.run(["lint", "leak.c", "broken.c"], in: dir.url.path)
        #expect(strict.status == 2)
        #expect(strict.out.contains("broken.c:1: error: parse error"))
        #expect(strict.out.contains("1 finding (1 error), 1 processing error"))
        let lenient = try CLI.run(["lint", "leak.c", "broken.c", "--allow-incomplete"], in: dir.url.path)
        #expect(lenient.status == 1)
        let never = try CLI.run(["lint", "leak.c", "broken.c", "--allow-incomplete", "--fail-on", "never"], in: dir.url.path)
        #expect(never.status == 0)
        // --fail-on stays about findings: it does not lift the gate.
        let failOnNever = try CLI.run(["lint", "leak.c", "broken.c", "--fail-on", "never"], in: dir.url.path)
        #expect(failOnNever.status == 2)
        // A baseline is written from what was checked, and the run says what it lacks.
        let baseline = try CLI.run(["lint", "leak.c", "broken.c", "--write-baseline", "base.json"], in: dir.url.path)
        #expect(baseline.status == 2)
        #expect(baseline.err.contains("their findings are missing from the baseline"), "\(baseline.err)")
        #expect(try String(contentsOfFile: dir.path("base.json"), encoding: .utf8).contains("copy_in"))
        let allowed = try CLI.run(["lint", "leak.c", "broken.c", "--write-baseline", "base.json", "--allow-incomplete"],
                                  in: dir.url.path)
        #expect(allowed.status == 0)
    }

    // MARK: 6. Smaller things

    /// Before: "Unknown option '-j1'".
    @Test("-j1 is -j 1; -j0 is a usage error")
    func joinedJobs() throws {
        let dir = try Self.scratch()
        #expect(try CLI.run(["lint", "leak.c", "-j1"], in: dir.url.path).status == 1)
        #expect(try CLI.run(["lint", "leak.c", "-j4"], in: dir.url.path).status == 1)
        let zero = try CLI.run(["lint", "leak.c", "-j0"], in: dir.url.path)
        #expect(zero.status == 2 && zero.err.contains("-j takes a number of files, 1 or more"), "\(zero.err)")
    }

    /// Before: 1e20 passed validation and every worker trapped converting it to whole seconds.
    @Test("a time limit out of range is a usage error, not a crash", arguments: ["1e20", "inf", "nan"])
    func timeLimitsOutOfRange(value: String) throws {
        let dir = try Self.scratch()
        let lint = try CLI.run(["lint", "leak.c", "--timeout-per-file", value], in: dir.url.path)
        #expect(lint.status == 2 && lint.err.contains("--timeout-per-file takes a number of seconds"), "\(lint.err)")
        let groundtruth = try CLI.run(["groundtruth", "leak.c", "--time-limit", value], in: dir.url.path)
        #expect(groundtruth.status == 2 && groundtruth.err.contains("--time-limit takes a number of seconds"), "\(groundtruth.err)")
    }

    /// Before: nothing on standard output, so `jq` and friends had no document to read.
    @Test("a fatal error still gives a --format json or sarif consumer a document, with the error under errors")
    func fatalErrorsAsDocuments() throws {
        let dir = try Self.scratch()
        try "name: t\nkinds:\n  page: a\n  page: b\n".write(toFile: dir.path("dup.yaml"), atomically: true, encoding: .utf8)
        let json = try CLI.run(["lint", "leak.c", "--rules", "dup.yaml", "--format", "json"], in: dir.url.path)
        #expect(json.status == 2)
        #expect(json.err.contains("dup.yaml:3:3: error: invalid YAML: the key 'page' appears more than once"), "\(json.err)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let errors = try #require(document["errors"] as? [[String: Any]])
        #expect(errors.first?["file"] as? String == "dup.yaml" && errors.first?["line"] as? Int == 3)
        try json.out.write(toFile: dir.path("fatal.json"), atomically: true, encoding: .utf8)
        #expect(try JSONSchemaCheck.errors(documentAt: dir.path("fatal.json"), schemaAt: JSONSchemaCheck.jsonReportSchema) == [])

        let baseline = try CLI.run(["lint", "leak.c", "--baseline", "missing.json", "--format", "sarif"], in: dir.url.path)
        #expect(baseline.status == 2)
        #expect(baseline.out.contains("missing.json") && baseline.out.contains("\"toolExecutionNotifications\""), "\(baseline.out)")

        let usage = try CLI.run(["lint", "leak.c", "--format", "json", "--no-such-flag"], in: dir.url.path)
        #expect(usage.status == 2)
        let usageDocument = try JSONSerialization.jsonObject(with: Data(usage.out.utf8)) as? [String: Any]
        let usageErrors = usageDocument?["errors"] as? [[String: Any]] ?? []
        #expect((usageErrors.first?["message"] as? String)?.contains("--no-such-flag") == true, "\(usage.out)")

        // With -o the document goes where the report would have: a CI step that uploads the
        // file must not publish the last run's results.
        try "stale".write(toFile: dir.path("out.sarif"), atomically: true, encoding: .utf8)
        let toFile = try CLI.run(["lint", "leak.c", "--format", "sarif", "-o", "out.sarif", "--no-such-flag"], in: dir.url.path)
        #expect(toFile.status == 2 && !toFile.out.contains("toolExecutionNotifications"), "\(toFile.out)")
        let written = try String(contentsOfFile: dir.path("out.sarif"), encoding: .utf8)
        #expect(written.contains("--no-such-flag") && written.contains("\"toolExecutionNotifications\""), "\(written)")
    }

    /// Before: the run went on for minutes and gigabytes on one file, with no way to stop it.
    @Test("--timeout-per-file stops an exponential macro and reports it; the other file's finding stays")
    func timeoutPerFile() throws {
        let dir = try Self.scratch()
        try Self.exponentialMacro.write(toFile: dir.path("boom.c"), atomically: true, encoding: .utf8)
        let start = Date()
        let run = try CLI.run(["lint", "boom.c", "leak.c", "-j1", "--timeout-per-file", "2"], in: dir.url.path)
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(run.status == 2)
        #expect(run.out.contains("boom.c: error: not checked: took longer than 2 s (--timeout-per-file); its worker was stopped"), "\(run.out)")
        #expect(run.out.contains("leak.c:7:5: error: page from kalloc() is not released on this error path"), "\(run.out)")
    }

    @Test("--memory-per-file ends a parse that needs more, as an error of that file")
    func memoryPerFile() throws {
        let dir = try Self.scratch()
        try Self.exponentialMacro.write(toFile: dir.path("boom.c"), atomically: true, encoding: .utf8)
        let run = try CLI.run(["lint", "boom.c", "leak.c", "-j1", "--memory-per-file", "600", "--timeout-per-file", "300"],
                              in: dir.url.path)
        #expect(run.status == 2)
        #expect(run.out.contains("boom.c: error:") && run.out.contains("--memory-per-file"), "\(run.out)")
        #expect(run.out.contains("1 finding (1 error), 1 processing error"), "\(run.out)")
    }

    // MARK: Determinism

    @Test("the same report bytes with one worker process and with three, and in process")
    func deterministicAcrossJobs() throws {
        func report(_ extra: [String]) throws -> String {
            let run = try CLI.run(["lint", "fixtures/checks", "fixtures/reports", "--format", "json"] + extra)
            #expect(run.status == 2, "fixtures/reports/broken.c does not parse: \(run.err)")
            return ReportGoldenTests.normalise(run.out)
        }
        let one = try report(["-j1"])
        #expect(one.contains("\"missing-release\""))
        #expect(try report(["-j3"]) == one)
        #expect(try report(["-j3", "--in-process"]) == one)
    }
}

/// The fuzz harness's fixed sample (bench/fuzz/fuzz.py sample: 150 single-edit mutants of
/// the fixtures, every hostile case and 12 mutants of the built-in packs), run against the
/// binary under test. A crash, a hang, an invalid report, a pack error that does not name
/// the pack, or a hostile case handled otherwise than expected fails it.
@Suite struct FuzzSampleTests {
    @Test("bench/fuzz's fixed sample: no crash, hang or invalid report, every hostile case as expected")
    func sample() throws {
        let run = try CLI.run(["python3", CLI.root + "/bench/fuzz/fuzz.py", "sample", "--ladder", CLI.binary, "-j", "2", "--json"],
                              executable: "/usr/bin/env")
        #expect(run.status == 0, "\(run.err)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]])
        #expect(runs.map { $0["kind"] as? String } == ["mutants", "hostile", "packs"])
        for summary in runs {
            #expect(summary["inputs"] as? Int == summary["ok"] as? Int, "\(summary)")
        }
    }
}
