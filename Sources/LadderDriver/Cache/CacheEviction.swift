import Foundation

/// Keeps a cache under its size: when it has grown past `maxBytes`, whole units go, least
/// recently used first (a unit's directory time is set each time a run uses it), until it is
/// back under nine tenths of it, so the next few runs do not trim again.
///
/// A unit another run holds locked (it is being parsed) is left alone. A unit is renamed
/// away before it is deleted, so no reader ever sees half of one.
enum CacheEviction {
    struct Unit {
        var path: String
        var bytes: UInt64
        var used: Date
    }

    /// The bytes left after trimming.
    @discardableResult
    static func trim(_ store: UnitStore) -> UInt64 {
        let units = list(store)
        var total = units.reduce(0) { $0 + $1.bytes }
        guard total > store.maxBytes else { return total }
        let target = store.maxBytes - store.maxBytes / 10
        for unit in units.sorted(by: { ($0.used, $0.path) < ($1.used, $1.path) }) {
            guard total > target else { break }
            let trash = store.root + "/units/.evicted-\(UUID().uuidString)"
            guard moveAway(unit.path, to: trash) else { continue }
            try? FileManager.default.removeItem(atPath: trash)
            total -= unit.bytes
        }
        return total
    }

    private static func moveAway(_ path: String, to trash: String) -> Bool {
        FileLock.with(path + "/lock", wait: false) { held in held && rename(path, trash) == 0 }
    }

    static func list(_ store: UnitStore) -> [Unit] {
        let fm = FileManager.default
        let base = store.root + "/units"
        var units: [Unit] = []
        for shard in (try? fm.contentsOfDirectory(atPath: base)) ?? [] {
            // What a killed run was deleting.
            if shard.hasPrefix(".evicted-") { try? fm.removeItem(atPath: base + "/" + shard); continue }
            for name in (try? fm.contentsOfDirectory(atPath: base + "/" + shard)) ?? [] {
                let path = base + "/" + shard + "/" + name
                guard let attributes = try? fm.attributesOfItem(atPath: path),
                      let used = attributes[.modificationDate] as? Date else { continue }
                var bytes: UInt64 = 0
                for file in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
                    bytes += ((try? fm.attributesOfItem(atPath: path + "/" + file))?[.size] as? NSNumber)?.uint64Value ?? 0
                }
                units.append(Unit(path: path, bytes: bytes, used: used))
            }
        }
        return units
    }
}
