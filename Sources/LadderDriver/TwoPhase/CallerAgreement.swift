import LadderCore

/// Settles the lock contracts functions infer from their own shape (`HeldForCaller`) over
/// every caller the database shows, not only those in the function's file: `filealloc`'s
/// callers are in `sysfile.c` and `pipe.c`, and xv6's `sys_sleep` is called only through
/// `syscall.c`'s table. A static function's callers, and the places that take its address,
/// are in its file. What is decided, given the callers, is `ContractSettlement`'s, as for
/// `Analyzer.analyse` over one unit.
///
/// Run once, after phase 2 has settled: it reads the final records and changes no summary,
/// so the fixed point is not involved. A sharded run sees the callers in the shards whose
/// phase 1 the cache holds (`DatabaseStats.otherShardFilesMissing` says when some are not):
/// an exported function whose address its file takes, called only from a file of a shard
/// not in the cache, is then judged as a callback.
struct CallerAgreement {

    private var uses: [LinkName: [(caller: String, use: ContractUse)]] = [:]
    private var calledByName: Set<LinkName> = []
    private var addressTaken: Set<LinkName> = []

    init(_ units: [FixedPoint.Unit]) {
        for unit in units {
            let statics = Set(unit.entry.functions.filter(\.isStatic).map(\.name))
            func key(_ name: String) -> LinkName { LinkName(name, statics: statics, in: unit) }
            for (record, check) in zip(unit.entry.functions, unit.current) {
                for use in check.contractUses {
                    uses[key(use.callee), default: []].append((record.name, use))
                }
            }
            calledByName.formUnion((unit.entry.calledByName ?? []).map(key))
            addressTaken.formUnion((unit.entry.addressTaken ?? []).map(key))
        }
    }

    /// The held-back leaks of `unit`'s functions that stand.
    func findings(_ unit: FixedPoint.Unit) -> [[Finding]] {
        let pairs = Array(zip(unit.entry.functions, unit.current))
        let actions = ManagedActions(pairs.map { ($0.0.name, $0.1.summary, $0.0.callees) })
        let statics = Set(unit.entry.functions.filter(\.isStatic).map(\.name))
        return pairs.map { record, check in
            guard !check.heldForCallers.isEmpty else { return [] }
            let key = LinkName(record, in: unit)
            let callers = ContractSettlement.Callers(calledInView: calledByName.contains(key),
                                                     addressTaken: addressTaken.contains(key))
            // An unlock helper beside a lock helper is in the same file (`partnerReleases`).
            let partners = zip(unit.entry.functions, unit.current).filter { $0.0.name != record.name }.flatMap(\.1.summary.releases)
            // A caller moved to is in the helper's file (`DisagreeingCallers`).
            return ContractSettlement.findings(check.heldForCallers, of: record.name, callers: callers, uses: uses[key] ?? [],
                                               partners: partners, actions: actions, passesOn: { caller in
                                                   statics.contains(caller) && calledByName.contains(LinkName(file: unit.command.file, name: caller))
                                               })
        }
    }
}

/// A function as the linker knows it across the run: a static one by its file and name, any
/// other by its name alone.
struct LinkName: Hashable {
    var file: String?
    var name: String

    init(file: String?, name: String) {
        self.file = file
        self.name = name
    }

    /// A name as `unit` refers to it: its own static function, else the external one.
    init(_ name: String, statics: Set<String>, in unit: FixedPoint.Unit) {
        self.init(file: statics.contains(name) ? unit.command.file : nil, name: name)
    }

    /// A function `unit` defines.
    init(_ record: FunctionRecord, in unit: FixedPoint.Unit) {
        self.init(file: record.isStatic ? unit.command.file : nil, name: record.name)
    }
}
