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

    @Test("--stats says what the cache saved and the peak memory")
    func stats() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try CLI.run(["lint", Self.tree, "--cache", dir])
        let again = try CLI.run(["lint", Self.tree, "--cache", dir, "--stats"])
        #expect(again.err.contains("ladder: phase 1: 0 files parsed, 2 reused"), "\(again.err)")
        #expect(again.err.contains("ladder: phase 2: "))
        #expect(again.err.contains("ladder: peak memory "))
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
