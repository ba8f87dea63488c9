import Foundation
@testable import LadderDriver
import Testing

/// `--cache-max-size`: whole units go, least recently used first, until the cache is back
/// under nine tenths of the limit; a run marks each unit it uses.
@Suite struct CacheEvictionTests {
    @Test("least recently used units go first, and a trimmed unit is simply parsed again")
    func leastRecentlyUsedFirst() throws {
        let scratch = try Scratch()
        let files = try CacheTests.tree(scratch)
        let cache = scratch.path("cache")
        _ = try LintDriver().run(CacheTests.options(files, cache: cache))
        let store = UnitStore.persistent(CacheSettings(directory: cache, toolIdentity: "test-build"))
        var units = CacheEviction.list(store)
        #expect(units.count == 3)
        // Date them a.c oldest, c.c newest, by the file each unit is of.
        func file(of unit: CacheEviction.Unit) throws -> String {
            let data = try #require(FileManager.default.contents(atPath: unit.path + "/entry.json"))
            return try JSONDecoder().decode(UnitEntry.self, from: data).file
        }
        for unit in units {
            let age = Double(3 - (try files.firstIndex(of: file(of: unit)) ?? 0)) * 100
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: unit.path)
        }
        units = CacheEviction.list(store)
        let bytes = { (name: String) in units.first { (try? file(of: $0)) == name }!.bytes }
        let keep = bytes(files[1]) + bytes(files[2])
        let limited = UnitStore(root: store.root, persistent: true, maxBytes: keep * 10 / 9 + 1)
        let left = CacheEviction.trim(limited)
        #expect(left == keep)
        #expect(try CacheEviction.list(store).map(file).sorted() == [files[1], files[2]])

        let frontends = CountingFrontends()
        _ = try LintDriver(loaders: frontends).run(CacheTests.options(files, cache: cache))
        #expect(frontends.count == 1, "only a.c's unit was trimmed")
    }

    @Test("a run marks the units it uses as recently used")
    func useIsRecorded() throws {
        let scratch = try Scratch()
        let files = try CacheTests.tree(scratch)
        let cache = scratch.path("cache")
        _ = try LintDriver().run(CacheTests.options(files, cache: cache))
        let store = UnitStore.persistent(CacheSettings(directory: cache, toolIdentity: "test-build"))
        let old = Date().addingTimeInterval(-1000)
        for unit in CacheEviction.list(store) {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: unit.path)
        }
        _ = try LintDriver().run(CacheTests.options([files[2]], cache: cache))
        let recent = CacheEviction.list(store).filter { $0.used > old.addingTimeInterval(500) }
        #expect(recent.count == 1)
    }

    @Test("sizes: bytes, K, M, G")
    func sizes() {
        #expect(CacheSettings.parseSize("1024") == 1024)
        #expect(CacheSettings.parseSize("2k") == 2048)
        #expect(CacheSettings.parseSize("500M") == 500 << 20)
        #expect(CacheSettings.parseSize("2G") == 2 << 30)
        for bad in ["", "G", "-1", "1.5G", "1T", "99999999999999999999G"] {
            #expect(CacheSettings.parseSize(bad) == nil, "\(bad)")
        }
    }

    @Test("the default directory follows XDG, then HOME")
    func defaultDirectory() {
        #expect(CacheSettings.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/ladder")
        #expect(CacheSettings.defaultDirectory(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"]) == "/h/.cache/ladder")
        #expect(CacheSettings.defaultDirectory(environment: [:]) == nil)
    }
}
