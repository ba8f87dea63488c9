import Foundation
import Testing

/// The flags `ladder lint` hands to LadderDriver that no other test drives end to end
/// (`--shard`), and the commands that load through the driver besides lint.
@Suite struct DriverFlagsTests {
    /// The file count of a text run's summary line (`ladder: 8 files, …`).
    static func files(_ run: CLI.Run) -> Int? {
        guard let line = run.out.split(separator: "\n").last(where: { $0.hasPrefix("ladder: ") }) else { return nil }
        return Int(line.dropFirst("ladder: ".count).prefix { $0.isNumber })
    }

    @Test("--shard K/N over a tree: the shards' files add up to the whole run")
    func shardsCoverTheTree() throws {
        let whole = try CLI.run(["lint", "fixtures/xv6", "--color", "never"])
        let total = try #require(Self.files(whole))
        var sum = 0
        for k in 1...3 {
            let run = try CLI.run(["lint", "fixtures/xv6", "--shard", "\(k)/3", "--color", "never"])
            #expect(run.status == 0, "\(run.err)")
            sum += try #require(Self.files(run))
        }
        #expect(sum == total)
    }

    @Test("a shard that names no shard is a usage error that says why")
    func badShard() throws {
        let run = try CLI.run(["lint", "fixtures/xv6", "--shard", "3/2"])
        #expect(run.status == 2)
        #expect(run.err.contains("K must be between 1 and N"), "\(run.err)")
    }

    /// A baseline of one shard would silently accept nothing from the others.
    @Test("--write-baseline refuses a shard and leaves the file alone")
    func baselineNeedsEveryFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-shard-\(UUID().uuidString).json").path
        let run = try CLI.run(["lint", "fixtures/xv6", "--shard", "1/2", "--write-baseline", path])
        #expect(run.status == 2)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("dump-cfg loads through the driver's front end; a missing file exits 2")
    func dumpCFG() throws {
        let run = try CLI.run(["dump-cfg", "fixtures/checks/missing-release/proc_pagetable_no_unmap.c", "--function", "proc_pagetable"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("proc_pagetable"))
        #expect(run.out.contains("mappages"))
        #expect(try CLI.run(["dump-cfg", "no/such.c"]).status == 2)
    }

    @Test("rules NAME loads through the driver's pack cache; an unknown pack exits 2")
    func rules() throws {
        #expect(try CLI.run(["rules", "linux"]).out.contains("linux"))
        let unknown = try CLI.run(["rules", "no-such-pack"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no-such-pack"))
    }
}
