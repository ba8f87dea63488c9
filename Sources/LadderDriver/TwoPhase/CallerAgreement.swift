import LadderCore

/// Settles the lock contracts functions infer from their own shape (`HeldForCaller`) over
/// every caller the database shows, not only those in the function's file: `filealloc`'s
/// callers are in `sysfile.c` and `pipe.c`. A static function's callers are in its file.
///
/// Run once, after phase 2 has settled: it reads the final records and changes no summary,
/// so the fixed point is not involved. A sharded run sees the callers in the shards whose
/// phase 1 the cache holds (`DatabaseStats.otherShardFilesMissing` says when some are not).
struct CallerAgreement {
    private struct Key: Hashable {
        var file: String?
        var name: String
    }

    private var uses: [Key: [(caller: String, use: ContractUse)]] = [:]

    init(_ units: [FixedPoint.Unit]) {
        for unit in units {
            let statics = Set(unit.entry.functions.filter(\.isStatic).map(\.name))
            for (record, check) in zip(unit.entry.functions, unit.current) {
                for use in check.contractUses {
                    let key = Key(file: statics.contains(use.callee) ? unit.command.file : nil, name: use.callee)
                    uses[key, default: []].append((record.name, use))
                }
            }
        }
    }

    /// The held-back leaks of `unit`'s functions that no caller in view agrees to.
    func findings(_ unit: FixedPoint.Unit) -> [[Finding]] {
        zip(unit.entry.functions, unit.current).map { record, check in
            guard !check.heldForCallers.isEmpty else { return [] }
            let key = Key(file: record.isStatic ? unit.command.file : nil, name: record.name)
            return ContractUse.unconfirmed(check.heldForCallers, uses: uses[key] ?? [])
        }
    }
}
