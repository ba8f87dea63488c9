import Foundation
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// The CI flow of docs/ci.md: each shard runs phase 1 into its own cache; each shard then
/// gets every shard's cache and runs phase 2 for its files; `ladder merge` makes one report.
@Suite struct ShardMergeTests {
    static let trees = [Repository.path("fixtures/crossfile/leak"), Repository.path("fixtures/checks"),
                        Repository.path("fixtures/xv6")]

    static func options(_ paths: [String], cache: String, shard: Shard = .whole, phase: LintPhase = .all) -> LintOptions {
        var options = LintOptions.files(paths, rules: ["xv6", "linux"])
        options.cache = .directory(CacheSettings(directory: cache, toolIdentity: "test-build"))
        options.shard = shard
        options.phase = phase
        return options
    }

    /// What CI's artifact download does: every file of `source` into `target`.
    static func copyTree(_ source: String, into target: String) throws {
        let fm = FileManager.default
        // Listed in directory order, a file at the top may come before any subdirectory.
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        for path in try fm.subpathsOfDirectory(atPath: source) {
            var isDirectory: ObjCBool = false
            fm.fileExists(atPath: source + "/" + path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try fm.createDirectory(atPath: target + "/" + path, withIntermediateDirectories: true)
            } else if !fm.fileExists(atPath: target + "/" + path) {
                try fm.copyItem(atPath: source + "/" + path, toPath: target + "/" + path)
            }
        }
    }

    /// The JSON report without its timings, which differ from run to run.
    static func json(_ report: Report) -> String {
        var report = report
        report.stats = Stats(files: report.stats.files, functions: report.stats.functions)
        return ReportRenderer.render(report, as: .json, options: RenderOptions(toolVersion: "test"))
    }

    @Test("four shards in two steps, merged, give byte for byte the report of one run")
    func twoStepsMatchOneRun() throws {
        let scratch = try Scratch()
        let one = try LintDriver().run(Self.options(Self.trees, cache: scratch.path("whole")))
        #expect(one.report.findings.count > 10)
        #expect(one.report.findings.contains { $0.function == "foo_probe" }, "the cross-file leak")

        let shards = try (1...4).map { try Shard(index: $0, count: 4) }
        for shard in shards {
            let step1 = try LintDriver().run(Self.options(Self.trees, cache: scratch.path("step1-\(shard.index)"), shard: shard, phase: .summarize))
            #expect(step1.report.findings.isEmpty)
            #expect(step1.database?.rounds == 0)
        }
        let frontends = CountingFrontends()
        var reports: [Report] = []
        for shard in shards {
            let cache = scratch.path("step2-\(shard.index)")
            for other in shards { try Self.copyTree(scratch.path("step1-\(other.index)"), into: cache) }
            let step2 = try LintDriver(loaders: frontends).run(Self.options(Self.trees, cache: cache, shard: shard))
            #expect(step2.database?.otherShardFilesMissing == 0)
            #expect(step2.report.findings.allSatisfy { shard.contains($0.location.file) })
            // Through the JSON file each shard uploads.
            reports.append(try ReportMerge.parse(Data(Self.json(step2.report).utf8), file: "shard-\(shard.index).json"))
        }
        #expect(frontends.count == 0, "step 2 parses nothing: every unit comes from step 1's caches")
        let merged = ReportMerge.merge(reports)
        #expect(merged.duplicateFindings == 0)
        #expect(Self.json(merged.report) == Self.json(one.report))
    }

    @Test("a shard without the others' summaries still runs, on its own summaries, and says so")
    func shardAlone() throws {
        let main = Repository.path("fixtures/crossfile/leak/foo_main.c")
        let hw = Repository.path("fixtures/crossfile/leak/foo_hw.c")
        // A split that puts the helper and its caller in different shards (the hash is of the
        // absolute path, so which N does depends on where the repository is).
        let count = try #require((2...32).first { Shard.bucket(of: main, count: $0) != Shard.bucket(of: hw, count: $0) })
        let mainShard = try Shard(index: Shard.bucket(of: main, count: count) + 1, count: count)
        let hwShard = try Shard(index: Shard.bucket(of: hw, count: count) + 1, count: count)
        let scratch = try Scratch()
        let cache = scratch.path("cache")
        let tree = [Repository.path("fixtures/crossfile/leak")]

        let alone = try LintDriver().run(Self.options(tree, cache: cache, shard: mainShard))
        #expect(alone.database?.otherShardFilesMissing == 1)
        #expect(alone.report.findings.isEmpty, "foo_ring_alloc is unknown to this shard")

        _ = try LintDriver().run(Self.options(tree, cache: cache, shard: hwShard, phase: .summarize))
        let together = try LintDriver().run(Self.options(tree, cache: cache, shard: mainShard))
        #expect(together.database?.otherShardFilesMissing == 0)
        #expect(together.report.findings.map(\.function) == ["foo_probe"])
    }

    @Test("input errors every shard repeats are kept once; a report given twice is flagged")
    func mergeDuplicates() throws {
        let error = ProcessingError(file: "missing.c", message: "no such file")
        let finding = Finding(rule: .missingRelease, message: "m", function: "f",
                              location: SourceLocation(file: "a.c", line: 3, column: 1))
        let a = Report(findings: [finding, finding], errors: [error], stats: Stats(files: 2, functions: 3, seconds: 4))
        let b = Report(findings: [], errors: [error], stats: Stats(files: 1, functions: 1, seconds: 6))
        let merged = ReportMerge.merge([a, b])
        #expect(merged.report.findings == [finding, finding], "two equal findings of one report are two findings")
        #expect(merged.report.errors == [error])
        #expect(merged.report.stats.files == 3)
        #expect(merged.report.stats.seconds == 6)
        #expect(merged.duplicateFindings == 0)
        #expect(ReportMerge.merge([a, a]).duplicateFindings == 2)
    }

    /// Before: a merged sharded run said 0 path-insensitive functions and dropped every note.
    @Test("notes and the path-insensitive count survive the JSON round trip and the merge")
    func mergeKeepsNotesAndCounts() throws {
        var a = Report(stats: Stats(files: 1, functions: 1, seconds: 1))
        a.notes = ["dropped 1 option libclang rejects (unknown, or not for this target): -fno-ipa-cp-clone"]
        a.stats.pathInsensitiveFunctions = 2
        var b = a
        b.stats.pathInsensitiveFunctions = 1
        let readBack = try [a, b].map { report in
            try ReportMerge.parse(Data(ReportRenderer.render(report, as: .json, options: RenderOptions(toolVersion: "t")).utf8), file: "s.json")
        }
        let merged = ReportMerge.merge(readBack).report
        #expect(merged.notes == a.notes)
        #expect(merged.stats.pathInsensitiveFunctions == 3)
    }

    @Test("what is not a version-1 JSON report is refused with a reason naming the file")
    func mergeRefuses() {
        for (text, reason) in [("[]", "not a JSON object"), ("{\"version\": 2}", "version 2"),
                               ("{\"version\": 1, \"findings\": []}", "not a ladder JSON report: the report has no \"errors\""), ("ladder: 1 file", "not a JSON object")] {
            #expect {
                _ = try ReportMerge.parse(Data(text.utf8), file: "shard.json")
            } throws: { error in
                let description = (error as? ReportError)?.description ?? ""
                return description.hasPrefix("shard.json: ") && description.contains(reason)
            }
        }
    }
}
