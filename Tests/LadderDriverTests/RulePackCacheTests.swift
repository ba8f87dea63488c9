import Foundation
import LadderDriver
import Testing

/// Each pack is parsed once per cache (once per process for the CLI), however often and
/// from however many threads it is asked for; a YAML file that changes is parsed again.
@Suite struct RulePackCacheTests {
    @Test("a built-in pack is parsed once across lookups, merges and runs")
    func once() throws {
        let cache = RulePackCache()
        _ = try cache.pack("xv6")
        _ = try cache.merged(["xv6"])
        _ = try cache.merged([])
        #expect(cache.parses == 1)
        _ = try cache.merged(["xv6", "linux"])
        #expect(cache.parses == 2)

        let driver = LintDriver(packs: cache)
        let file = Repository.path("fixtures/checks/missing-release/proc_pagetable_no_unmap.c")
        for _ in 0..<3 { _ = try driver.run(.files([file], rules: ["linux", "xv6"])) }
        #expect(cache.parses == 2)
    }

    @Test("threads asking at once share one parse")
    func concurrent() throws {
        let cache = RulePackCache()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in _ = try? cache.pack("linux") }
        #expect(cache.parses == 1)
        #expect(try cache.pack("linux").name == "linux")
    }

    @Test("a pack file edited on disk is parsed again; an unchanged one is not")
    func editedFile() throws {
        let scratch = try Scratch()
        let file = try scratch.write("name: mine\n", to: "mine.yaml")
        let cache = RulePackCache()
        #expect(try cache.pack(file).name == "mine")
        #expect(try cache.pack(file).name == "mine")
        #expect(cache.parses == 1)
        try scratch.write("name: mine-too\n", to: "mine.yaml")
        #expect(try cache.pack(file).name == "mine-too")
        #expect(cache.parses == 2)
    }

    @Test("an unknown pack fails with its name, every time")
    func unknown() {
        let cache = RulePackCache()
        for _ in 0..<2 {
            #expect { try cache.pack("no-such-pack") } throws: { error in
                "\(error)".contains("no-such-pack")
            }
        }
    }
}
