import Foundation
import LadderClang
import LadderDriver
import LadderReport
import Testing

/// `--shard K/N`: N runs together check every file exactly once, and a file stays in its
/// shard from one process, machine or Swift version to the next.
@Suite struct ShardTests {
    static let paths: [String] = Repository.checkFixtures + (0..<300).map { "drivers/d\($0 % 17)/file\($0).c" }

    @Test("every path is in exactly one of N shards", arguments: 1...8)
    func partition(count: Int) throws {
        let shards = try (1...count).map { try Shard(index: $0, count: count) }
        for path in Self.paths {
            let owners = shards.filter { $0.contains(path) }
            #expect(owners.count == 1, "\(path) is in \(owners.count) of \(count) shards")
        }
        // Not all in one: a hash that ignored the path would pass the check above.
        if count > 1 {
            let sizes = shards.map { shard in Self.paths.filter(shard.contains).count }
            #expect(sizes.allSatisfy { $0 > 0 }, "\(sizes)")
        }
    }

    /// Pinned values of FNV-1a, so a change of hash (Swift's `Hasher` is seeded per
    /// process) or of what is hashed fails here instead of splitting CI runs wrongly.
    @Test("a path's shard is fixed")
    func stable() {
        #expect([2, 3, 4, 7].map { Shard.bucket(of: "fixtures/xv6/vm.c", count: $0) } == [1, 0, 3, 1])
        #expect([2, 3, 4, 7].map { Shard.bucket(of: "drivers/net/ethernet/intel/e1000/e1000_main.c", count: $0) } == [0, 2, 0, 5])
        #expect(Shard.bucket(of: "a.c", count: 7) == 6)
    }

    @Test("K/N parses; anything else is refused with a reason")
    func parsing() throws {
        #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        #expect(try Shard(parsing: "1/1") == .whole)
        for bad in ["0/4", "5/4", "1/0", "-1/2", "a/b", "2", "2/4/8", "", "/4"] {
            #expect(throws: ShardError.self, "\(bad)") { try Shard(parsing: bad) }
        }
    }

    @Test("the driver's shards of a tree are disjoint and cover it")
    func driverShards() throws {
        let tree = Repository.path("fixtures/xv6")
        let all = SourceSet.cFiles(under: tree)
        let driver = LintDriver()
        var seen: [String] = []
        for index in 1...3 {
            var options = LintOptions.files([tree])
            options.stopAfter = .parse
            options.shard = try Shard(index: index, count: 3)
            let outcome = try driver.run(options)
            #expect(outcome.files.allSatisfy { options.shard.contains($0.file) })
            seen += outcome.files.map(\.file)
        }
        #expect(seen.sorted() == all)
    }

    @Test("a shard the hash gave no file is clean, not untrusted; a missing input still is")
    func emptyShard() throws {
        let file = Repository.path("fixtures/checks/missing-release/proc_pagetable_no_unmap.c")
        let count = 64
        let other = (1...count).first { !(try! Shard(index: $0, count: count)).contains(file) }!
        var options = LintOptions.files([file])
        options.shard = try Shard(index: other, count: count)
        let outcome = try LintDriver().run(options)
        #expect(outcome.shardSelectedNothing)
        #expect(outcome.report.stats.files == 0)
        #expect(outcome.exitStatus == ExitStatus.clean)

        options.paths = [file, "/no/such/file.c"]
        let missing = try LintDriver().run(options)
        #expect(missing.report.errors.count == 1)
        #expect(missing.exitStatus == ExitStatus.untrusted)
    }
}
