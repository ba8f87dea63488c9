import Foundation
import LadderCore
import LadderReport

/// Phase 2's outcome over one database, kept in the cache so that a re-run over the same
/// files, none of them changed, takes it whole instead of replaying the rounds.
///
/// Otherwise a warm run goes through phase 2 again from no check, as a cold run does,
/// reusing every record whose inputs match (with Jacobi rounds that was 96 of real
/// xv6-riscv's 195 functions walked again, a third of a warm lint; callees first, it is
/// none, but each function's inputs are still worked out). Starting from last time's
/// summaries instead would not be safe: a cycle's passes start from a fixed place, and
/// another start may settle elsewhere. So the outcome is reused only when the database is
/// the same one, unit for unit and byte for byte: then phase 2, which depends on nothing
/// else (`FixedPoint`), would give it again.
///
/// What is kept: a digest of each unit's final records (the records themselves are the
/// units' `checks.json`, which another run over another set of files may have replaced:
/// then the digests disagree and the rounds run), the problems the rounds reported, and
/// their statistics.
struct SettledRun: Codable, Sendable {
    /// The database's content (`SettledRun.content`): which units, and what each holds.
    var content: Digest
    /// Per unit, in the database's order: the digest of its final records.
    var records: [Digest]
    var problems: [[ProcessingError]]
    var converged: Bool
    var widened: Int
    var writesWidened: Int
    var ambiguousNames: Int

    /// The file it is kept in: one per set of units (their keys, in order), replaced when
    /// any of them changes, so the cache holds one per set of files linted, not one per edit.
    static func name(_ units: [FixedPoint.Unit]) -> Digest {
        var builder = DigestBuilder()
        builder.add("settled-run")
        for unit in units { builder.add(unit.key.hex) }
        return builder.finish()
    }

    /// Each unit's key (its file, flags, the pack, ladder's build) and what its files held
    /// when it was parsed (its entry is valid only while they still hold it).
    static func content(_ units: [FixedPoint.Unit]) -> Digest {
        var builder = DigestBuilder()
        for unit in units {
            builder.add(unit.key.hex)
            builder.add(unit.entry.ir.hex)
            for stamp in unit.entry.inclusions {
                builder.add(stamp.path)
                builder.add(stamp.digest.hex)
            }
        }
        return builder.finish()
    }

    static func digest(_ records: [CheckRecord]) -> Digest {
        Digest.of(UnitStore.encode(records))
    }

    init(_ units: [FixedPoint.Unit], stats: DatabaseStats) {
        content = Self.content(units)
        records = units.map { Self.digest($0.current) }
        problems = units.map(\.problems)
        converged = stats.converged
        widened = stats.widened
        writesWidened = stats.writesWidened
        ambiguousNames = stats.ambiguousNames
    }

    /// Gives `units` the kept outcome, if it is this database's and every unit's records are
    /// still in the store; false (and `units` untouched) otherwise.
    func apply(to units: inout [FixedPoint.Unit], stats: inout DatabaseStats, store: UnitStore) -> Bool {
        guard content == Self.content(units), records.count == units.count, problems.count == units.count else { return false }
        var settled: [[CheckRecord]] = []
        for (unit, digest) in zip(units, records) {
            let stored = store.checks(unit.key)
            let current = unit.entry.functions.map { stored[$0.name]?.first ?? $0.local }
            guard Self.digest(current) == digest else { return false }
            settled.append(current)
        }
        for i in units.indices {
            units[i].current = settled[i]
            units[i].problems = problems[i]
        }
        stats.converged = converged
        stats.widened = widened
        stats.writesWidened = writesWidened
        stats.ambiguousNames = ambiguousNames
        stats.settledRunReused = true
        return true
    }
}

extension UnitStore {
    func settledRun(_ name: Digest) -> SettledRun? {
        guard let data = FileManager.default.contents(atPath: settledPath(name)) else { return nil }
        return try? JSONDecoder().decode(SettledRun.self, from: data)
    }

    /// How many sets of files keep their outcome: a hook linting `git diff --name-only`
    /// makes a new set at every commit, and each file is outside the units' size accounting.
    static let settledRunsKept = 32

    func writeSettledRun(_ run: SettledRun, as name: Digest) {
        let dir = root + "/settled"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? writeAtomically(Self.encode(run), to: settledPath(name))
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }
        guard names.count > Self.settledRunsKept else { return }
        let dated = names.map { name in
            (name, (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.modificationDate] as? Date) ?? .distantPast)
        }
        for (name, _) in dated.sorted(by: { $0.1 > $1.1 }).dropFirst(Self.settledRunsKept) {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
    }

    private func settledPath(_ name: Digest) -> String {
        root + "/settled/" + name.hex + ".json"
    }
}
