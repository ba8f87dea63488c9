import Foundation
import LadderCore
import LadderReport

/// The files on disk behind a run's database of units: one directory per unit key,
///
///     ROOT/v3/units/ab/abcd…/entry.json      UnitEntry (phase 1: inclusions, functions, a shard's local checks)
///                            ir-<digest>.bin  the unit's functions, one after another (`IRBinary`)
///                            checks.json      each function's checks in phase 2, by inputs
///                            lock             held while the unit is parsed
///
/// Every file is written whole to a temporary name and renamed (`writeAtomically`), so a
/// reader sees an old file or a new one, never part of one; the IR blob is named by its
/// digest and written before the entry that names it. A reader that finds a piece missing
/// (evicted, or replaced by another run meanwhile) treats the unit as not cached.
///
/// File workers write units here too (`WorkerSetup.store`): the atomic renames and the
/// per-unit lock are what make that safe, as they are between runs.
///
/// A run with no cache (`--no-cache`) keeps its IR in a private store, removed when it
/// ends: `ROOT/units/<key>-<digest>.bin` only, written plainly (`write`).
struct UnitStore: Sendable, Codable {
    /// Where the units are.
    let root: String
    /// Kept between runs: entries are validated against the files they record, written only
    /// when that is possible, and trimmed to `maxBytes`. A run's private store is none of these.
    let persistent: Bool
    let maxBytes: UInt64

    /// The cache format. Bump it when UnitEntry or the IR changes shape incompatibly.
    static let format = "v3"

    static func persistent(_ settings: CacheSettings) -> UnitStore {
        UnitStore(root: settings.directory + "/" + format, persistent: true, maxBytes: settings.maxBytes)
    }

    /// A fresh private directory; `removeAll` when the run is done.
    static func temporary() -> UnitStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-run-\(UUID().uuidString)").path
        return UnitStore(root: path, persistent: false, maxBytes: .max)
    }

    func removeAll() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Marks the cache as one for backup tools to skip (https://bford.info/cachedir/).
    func prepare() {
        try? FileManager.default.createDirectory(atPath: root + "/units", withIntermediateDirectories: true)
        guard persistent else { return }
        let tag = URL(fileURLWithPath: root).deletingLastPathComponent().path + "/CACHEDIR.TAG"
        if !FileManager.default.fileExists(atPath: tag) {
            try? writeAtomically("Signature: 8a477f597d28d172789f06886806bc55\n# ladder's cache (ladder lint --cache); safe to delete.\n", to: tag)
        }
    }

    func directory(_ key: Digest) -> String {
        root + "/units/" + key.hex.prefix(2) + "/" + key.hex
    }

    /// Where a unit's IR blob lies: in its directory, or flat in a private store.
    func blob(_ key: Digest, ir: Digest) -> String {
        persistent ? directory(key) + "/ir-\(ir.hex).bin" : root + "/units/" + key.hex + "-" + ir.hex + ".bin"
    }

    // MARK: Reading

    func entry(_ key: Digest) -> UnitEntry? {
        read(UnitEntry.self, at: directory(key) + "/entry.json")
    }

    /// One function of a unit's IR blob (`ir` is the blob's digest), read from where its
    /// record says it lies: phase 2 walks functions one at a time, in an order that crosses
    /// units, and a kernel-sized blob runs to megabytes.
    func function(_ record: FunctionRecord, key: Digest, ir: Digest) -> Function? {
        guard record.offset >= 0, record.length > 0,
              let handle = FileHandle(forReadingAtPath: blob(key, ir: ir)) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(record.offset))) != nil,
              let bytes = try? handle.read(upToCount: record.length), bytes.count == record.length,
              // Damage the decoder cannot see (a block number changed) would be walked. A
              // run's private store is not checked (the digest was a sixth of reading IR
              // back): only this run's workers write it, each blob under a name that holds
              // its digest, front to back. So whatever lies there is a prefix of the right
              // bytes, whether a write failed (the disk filled), a worker was killed
              // mid-write, or a second unit of the same key was rewriting it; a prefix too
              // short for the record fails the length check above.
              !persistent || Digest.of(bytes) == record.ir,
              let function = try? IRBinary.decode(Array(bytes)), function.name == record.name else { return nil }
        return function
    }

    /// Each function's records from the last run that checked the unit against other files:
    /// the one it settled on first, then those of the rounds before (`FixedPoint.Unit.seen`).
    func checks(_ key: Digest) -> [String: [CheckRecord]] {
        read([String: [CheckRecord]].self, at: directory(key) + "/checks.json") ?? [:]
    }

    private func read<T: Decodable>(_ type: T.Type, at path: String) -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    // MARK: Writing

    /// `body` once any other run parsing the same unit is done; see `FileLock`.
    func locked<R>(_ key: Digest, _ body: (Bool) -> R) -> R {
        let dir = directory(key)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return FileLock.with(dir + "/lock", body)
    }

    /// The IR first, then the entry naming it; then the older version's IR goes. Its checks
    /// (`checks.json`) stay: a record is reused only when its inputs, the function's own IR
    /// among them, match, so after an edit every function the edit left as it was keeps
    /// its record instead of being walked again. Failures are not errors: a cache that cannot
    /// be written costs the next run a parse, nothing else.
    @discardableResult
    func write(_ entry: UnitEntry, ir: [UInt8], for key: Digest) -> Bool {
        // A run's private store is read back only by that run, after the file worker that
        // wrote it has answered, and holds no other version of the unit: the IR alone, in
        // one flat directory (a directory per unit cost more than the writes, in the file
        // system's search for a free inode), with nothing to flush.
        guard persistent else { return Self.writePlainly(ir, to: blob(key, ir: entry.ir)) }
        let dir = directory(key)
        let blob = "ir-\(entry.ir.hex).bin"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try writeAtomically(ir, to: dir + "/" + blob)
            try writeAtomically(Self.encode(entry), to: dir + "/entry.json")
        } catch {
            return false
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        for name in names where name.hasPrefix("ir-") && name != blob {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
        return true
    }

    /// `bytes` as the whole of a new file, neither renamed into place nor flushed
    /// (`FileManager.createFile` does both).
    private static func writePlainly(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            written += n
        }
        return true
    }

    func writeChecks(_ checks: [String: [CheckRecord]], for key: Digest) {
        try? writeAtomically(Self.encode(checks), to: directory(key) + "/checks.json")
    }

    /// Marks the unit as just used, for least-recently-used trimming.
    func touch(_ key: Digest) {
        guard persistent else { return }
        _ = utimes(directory(key), nil)
    }

    /// A function's IR as the store keeps it (`IRBinary`): equal functions are equal bytes,
    /// and its digest names it.
    static func encodeIR(_ function: Function) -> [UInt8] {
        IRBinary.encode(function)
    }

    /// Sorted keys: equal values are equal bytes, which digests of summaries rely on.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The C library's `write`, which `UnitStore.write` hides inside the type.
private func posixWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
