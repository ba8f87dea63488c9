import Foundation
import Testing

/// `ladder lint --cache/--phase/--progress/--stats` and `ladder merge`, as a CI matrix and a
/// terminal use them.
@Suite struct KernelRunCLITests {
    static let tree = "fixtures/crossfile/leak"

    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "ladder-kernelrun-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The `"findings": [...]` part of a JSON report, as written.
    static func findings(inReportAt path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let start = text.range(of: "\"findings\""), let end = text.range(of: "\"errors\"") else { return "" }
        return String(text[start.lowerBound..<end.lowerBound])
    }

    @Test("two shards in two steps, then merge: the same JSON findings as one run, and the same exit")
    func ciFlow() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let whole = try CLI.run(["lint", Self.tree, "--cache", dir + "/whole", "--format", "json", "-o", dir + "/whole.json"])
        #expect(whole.status == 1)
        for k in 1...2 {
            let step1 = try CLI.run(["lint", Self.tree, "--shard", "\(k)/2", "--phase", "summarize", "--cache", dir + "/c\(k)"])
            #expect(step1.status == 0, "\(step1.err)")
        }
        // Each step-2 job downloads both caches into one directory.
        for k in 1...2 {
            for source in ["c1", "c2"] {
                let copy = Process()
                copy.executableURL = URL(fileURLWithPath: "/bin/cp")
                copy.arguments = ["-R", "-n", dir + "/" + source + "/.", dir + "/d\(k)"]
                try FileManager.default.createDirectory(atPath: dir + "/d\(k)", withIntermediateDirectories: true)
                try copy.run()
                copy.waitUntilExit()
            }
            let step2 = try CLI.run(["lint", Self.tree, "--shard", "\(k)/2", "--cache", dir + "/d\(k)", "--format", "json",
                                     "-o", dir + "/s\(k).json", "--fail-on", "never"])
            #expect(step2.status == 0, "\(step2.err)")
            #expect(!step2.err.contains("per-shard summaries"), "\(step2.err)")
        }
        let merge = try CLI.run(["merge", dir + "/s1.json", dir + "/s2.json", "--format", "json", "-o", dir + "/merged.json"])
        #expect(merge.status == 1)
        let expected = try Self.findings(inReportAt: dir + "/whole.json")
        #expect(expected.contains("foo_probe"))
        #expect(try Self.findings(inReportAt: dir + "/merged.json") == expected)

        let text = try CLI.run(["merge", dir + "/s1.json", dir + "/s2.json"])
        #expect(text.out.contains("foo_main.c:14:5: error: page from foo_ring_alloc() is not released on this error path"))
        #expect(try CLI.run(["merge", dir + "/s1.json", dir + "/s2.json", "--fail-on", "never"]).status == 0)
    }

    @Test("merge refuses what it cannot read, as an untrusted run")
    func mergeRefuses() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "ladder: 1 file\n".write(toFile: dir + "/text.txt", atomically: true, encoding: .utf8)
        let text = try CLI.run(["merge", dir + "/text.txt"])
        #expect(text.status == 2 && text.err.contains("text.txt"))
        #expect(try CLI.run(["merge", dir + "/none.json"]).status == 2)
        #expect(try CLI.run(["merge"]).status == 2)
    }

    @Test("merge gates as lint does: a report listing a file not checked exits 2, unless --allow-incomplete")
    func mergeGate() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "int broken(void) { return undeclared; }\n".write(toFile: dir + "/broken.c", atomically: true, encoding: .utf8)
        let lint = try CLI.run(["lint", Self.tree, dir + "/broken.c", "--no-cache", "--allow-incomplete",
                                "--format", "json", "-o", dir + "/r.json"])
        #expect(lint.status == 1, "\(lint.err)")
        #expect(try CLI.run(["merge", dir + "/r.json"]).status == 2)
        #expect(try CLI.run(["merge", dir + "/r.json", "--allow-incomplete"]).status == 1)
        #expect(try CLI.run(["merge", dir + "/r.json", "--allow-incomplete", "--fail-on", "never"]).status == 0)
    }

    @Test("the progress line goes to standard error when asked, never to the report")
    func progress() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let asked = try CLI.run(["lint", Self.tree, "--no-cache", "--progress", "--format", "json"])
        #expect(asked.err.contains("\rladder: parsing"))
        #expect(asked.err.contains("\u{1B}[K"))
        #expect(!asked.out.contains("\r") && !asked.out.contains("\u{1B}"))
        // Standard error is a file here, not a terminal: nothing unless asked.
        let quiet = try CLI.run(["lint", Self.tree, "--no-cache"])
        #expect(!quiet.err.contains("\r") && !quiet.out.contains("\r"))
        let refused = try CLI.run(["lint", Self.tree, "--no-cache", "--progress", "--no-progress"])
        #expect(!refused.err.contains("\r"))
    }

    @Test("--stats says what the cache saved and the peak memory; an unchanged re-run starts no file worker")
    func stats() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try CLI.run(["lint", Self.tree, "--cache", dir, "--stats"])
        #expect(first.err.contains("ladder: phase 1: 2 files parsed, 0 reused"), "\(first.err)")
        #expect(first.err.contains("; largest file worker "), "\(first.err)")
        let again = try CLI.run(["lint", Self.tree, "--cache", dir, "--stats"])
        #expect(again.err.contains("ladder: phase 1: 0 files parsed, 2 reused"), "\(again.err)")
        #expect(again.err.contains("ladder: phase 2: "))
        #expect(again.err.contains("ladder: peak memory "))
        // The driver read both entries itself: no worker was started, so none is measured.
        #expect(!again.err.contains("largest file worker"), "\(again.err)")
    }

    @Test("a re-run of a tree with a file that does not compile starts no file worker, gives the error again, and takes phase 2 whole")
    func rerunWithCompileError() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tree = dir + "/tree"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        for name in ["foo_hw.c", "foo_main.c"] {
            let text = try String(contentsOfFile: CLI.root + "/" + Self.tree + "/" + name, encoding: .utf8)
            try text.replacingOccurrences(of: "#include \"foo.h\"", with: "#include \"\(CLI.root)/\(Self.tree)/foo.h\"")
                .write(toFile: tree + "/" + name, atomically: true, encoding: .utf8)
        }
        try "struct later; int broken(struct later *l) { return l->missing; }\n".write(toFile: tree + "/broken.c", atomically: true, encoding: .utf8)
        // Older than a second: a cache does not keep a parse of a file that may have been
        // changing under it.
        for name in ["foo_hw.c", "foo_main.c", "broken.c"] {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: tree + "/" + name)
        }
        let first = try CLI.run(["lint", tree, "--cache", dir + "/cache", "--stats", "--allow-incomplete"])
        #expect(first.out.contains("broken.c:1: error: parse error"), "\(first.out)")
        #expect(first.err.contains("largest file worker"), "\(first.err)")
        let again = try CLI.run(["lint", tree, "--cache", dir + "/cache", "--stats", "--allow-incomplete"])
        #expect(again.status == first.status)
        // The same report but the summary line's time.
        let report = { (text: String) in text.split(separator: "\n").filter { !$0.hasPrefix("ladder: ") } }
        #expect(report(again.out) == report(first.out))
        #expect(again.out.contains("broken.c:1: error: parse error"), "\(again.out)")
        #expect(!again.err.contains("largest file worker"), "the error came from the cache: \(again.err)")
        #expect(again.err.contains("phase 2: nothing changed since a run over the same files"), "\(again.err)")
    }

    /// Phase 1 runs in file workers unless --in-process: the summaries they send back must
    /// carry the helper's acquisition across files exactly as a run in process does.
    @Test("file workers and --in-process: the same cross-file findings, with a cache and without")
    func workersMatchInProcess() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let modes = [["--no-cache"], ["--no-cache", "--in-process"], ["--cache", dir + "/w"], ["--cache", dir + "/p", "--in-process"]]
        var reports: [String] = []
        for (i, mode) in modes.enumerated() {
            let run = try CLI.run(["lint", Self.tree, "--format", "json", "-o", dir + "/r\(i).json", "-j2"] + mode)
            #expect(run.status == 1, "\(mode): \(run.err)")
            reports.append(try Self.findings(inReportAt: dir + "/r\(i).json"))
        }
        #expect(reports[0].contains("foo_probe"))
        #expect(Set(reports).count == 1, "\(reports)")
    }

    /// A unit copied into a scratch tree with two hostile neighbours.
    static func hostileTree(_ dir: String) throws -> String {
        // foo.h includes ../../checks/include/xv6.h: the same layout under `dir`.
        let tree = dir + "/crossfile/leak"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/checks/include", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/include/xv6.h", toPath: dir + "/checks/include/xv6.h")
        for name in ["foo.h", "foo_hw.c", "foo_main.c"] {
            try FileManager.default.copyItem(atPath: CLI.root + "/" + Self.tree + "/" + name, toPath: tree + "/" + name)
        }
        try HardeningCLITests.parserOverflow.write(toFile: tree + "/deep.c", atomically: true, encoding: .utf8)
        try HardeningCLITests.exponentialMacro.write(toFile: tree + "/boom.c", atomically: true, encoding: .utf8)
        return tree
    }

    /// A crash or a timeout in phase 1 happens in a worker: it is that file's error, and
    /// the other files' two phases (the cross-file finding) go on. Failed units are not
    /// cached, so a re-run tries them again and says the same.
    @Test("a file that crashes or times out its worker in phase 1 is an error naming it; the run goes on, cached or not")
    func crashAndTimeoutInPhaseOne() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tree = try Self.hostileTree(dir)
        for attempt in ["first", "cached"] {
            let run = try CLI.run(["lint", "deep.c", "foo_hw.c", "boom.c", "foo_main.c", "-j1", "--timeout-per-file", "5", "--cache", dir + "/cache", "--stats",
                                   "--format", "json", "-o", dir + "/r.json"], in: tree)
            #expect(run.status == 2, "\(attempt): \(run.err)")
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any]
            let findings = report?["findings"] as? [[String: Any]] ?? []
            #expect(findings.compactMap { $0["function"] as? String } == ["foo_probe"], "\(attempt): \(findings)")
            let errors = (report?["errors"] as? [[String: Any]] ?? []).map { ($0["file"] as? String ?? "", $0["message"] as? String ?? "") }
            #expect(errors.map(\.0).sorted() == ["boom.c", "deep.c"], "\(attempt): \(errors)")
            for (file, message) in errors {
                let expected = file == "deep.c" ? "not checked: the file worker died while checking this file (signal 11"
                    : "not checked: took longer than 5 s (--timeout-per-file); its worker was stopped"
                #expect(message.hasPrefix(expected), "\(attempt): \(file): \(message)")
            }
            if attempt == "cached" {
                #expect(run.err.contains("ladder: phase 1: 0 files parsed, 2 reused"), "\(run.err)")
            }
        }
    }

    /// Phase 2 needs a unit's IR only to walk a function again; when it has gone from the
    /// cache (trimmed, or replaced by another run), the unit is parsed again, in a worker.
    @Test("IR gone from the cache between the two steps: parsed again in a worker, the same finding")
    func missingIRParsedAgainInWorker() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = dir + "/cache"
        #expect(try CLI.run(["lint", Self.tree, "--phase", "summarize", "--cache", cache]).status == 0)
        let blobs = FileManager.default.enumerator(atPath: cache)?.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix("ir-") } ?? []
        #expect(blobs.count == 2)
        for blob in blobs { try FileManager.default.removeItem(atPath: cache + "/" + blob) }
        let run = try CLI.run(["lint", Self.tree, "--cache", cache, "--stats"])
        #expect(run.status == 1, "\(run.err)")
        #expect(run.out.contains("foo_main.c:14:5: error: page from foo_ring_alloc() is not released on this error path"), "\(run.out)")
        #expect(run.out.contains("0 processing errors"), "\(run.out)")
        #expect(run.err.contains("; largest file worker "), "the parse ran in a worker: \(run.err)")
    }

    /// Phase 1 stores a unit's functions with their ops-table partners filled in
    /// (`PairedCallbacks`); a unit parsed again must be compared in that form, or any driver
    /// with an ops table fails the comparison and is reported as not checked (19 lints of the
    /// intel drivers in session 11's Linux seeding, two runs sharing one cache).
    @Test("IR gone from the cache for a file with an ops table: parsed again, compared with its partners, no error")
    func missingIRWithCallbackTable() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/tree", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/include", toPath: dir + "/include")
        try """
            #include "../include/linux.h"
            struct demo { struct mutex lock; void *buf; };
            struct demo_ops { int (*open)(struct demo *d); void (*release)(struct demo *d); };
            static int demo_open(struct demo *d) { mutex_lock(&d->lock); return 0; }
            static void demo_release(struct demo *d) { mutex_unlock(&d->lock); }
            const struct demo_ops demo_ops = { .open = demo_open, .release = demo_release };
            void demo_free(void *p);
            int demo_fill(struct demo *d, int fail) {
                void *p = kzalloc(16, GFP_KERNEL);
                if (!p)
                    return -ENOMEM;
                if (fail) {
                    demo_free(p);
                    return -EIO;
                }
                d->buf = p;
                return 0;
            }

            """.write(toFile: dir + "/tree/demo.c", atomically: true, encoding: .utf8)
        // In another file: the caller is walked again in phase 2, with this summary.
        try """
            #include "../include/linux.h"
            void demo_free(void *p) { kfree(p); }

            """.write(toFile: dir + "/tree/free.c", atomically: true, encoding: .utf8)
        let cache = dir + "/cache"
        let lint = ["lint", dir + "/tree", "--rules", "linux", "--cache", cache, "--stats"]
        #expect(try CLI.run(lint + ["--phase", "summarize"]).status == 0)
        let blobs = FileManager.default.enumerator(atPath: cache)?.compactMap { $0 as? String }
            .filter { ($0 as NSString).lastPathComponent.hasPrefix("ir-") } ?? []
        #expect(blobs.count == 2)
        for blob in blobs { try FileManager.default.removeItem(atPath: cache + "/" + blob) }
        let run = try CLI.run(lint)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("0 findings, 0 processing errors"), "\(run.out)")
        #expect(run.err.contains("1 walked (the others kept a record made with the same summaries)"), "\(run.err)")
    }

    @Test("--phase summarize needs a cache to fill; a shard without the others says so")
    func phases() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLI.run(["lint", Self.tree, "--phase", "summarize", "--no-cache"]).status == 2)
        #expect(try CLI.run(["lint", Self.tree, "--phase", "nonsense"]).status == 2)
        let shard = try CLI.run(["lint", Self.tree, "--shard", "1/2", "--cache", dir])
        let other = try CLI.run(["lint", Self.tree, "--shard", "2/2", "--cache", dir + "/other"])
        // Whichever shard has a file, with the other shard's file missing from its cache.
        #expect((shard.err + other.err).contains("checked with per-shard summaries"))
    }
}
