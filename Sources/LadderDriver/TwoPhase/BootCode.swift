import LadderClang
import LadderCore

/// `BootReach` over every file of a run: static functions are known by file and name, the
/// rest by name, and a caller in any file counts.
struct BootCode {
    private var boot: Set<LinkName> = []

    /// `unparsed`: the text of the run's files that could not be parsed. Their calls are
    /// unknown, so a function whose name any of them spells is not taken as boot-only.
    init(_ units: [FixedPoint.Unit], entries: Set<String>, unparsed: [String] = []) {
        guard !entries.isEmpty else { return }
        var callers: [LinkName: Set<LinkName>] = [:]
        var addressTaken: Set<LinkName> = []
        var defined: Set<LinkName> = []
        for unit in units {
            let statics = Set(unit.entry.functions.filter(\.isStatic).map(\.name))
            func key(_ name: String) -> LinkName { LinkName(name, statics: statics, in: unit) }
            for record in unit.entry.functions {
                defined.insert(key(record.name))
                for callee in record.callees { callers[key(callee), default: []].insert(key(record.name)) }
            }
            addressTaken.formUnion((unit.entry.addressTaken ?? []).map(key))
        }
        // A name an unparsed file spells may be called from there: reached from outside, as
        // an address taken is.
        var spelled: Set<Substring> = []
        for text in unparsed {
            spelled.formUnion(text.split { !($0.isLetter || $0.isNumber || $0 == "_") })
        }
        addressTaken.formUnion(defined.filter { $0.file == nil && spelled.contains(Substring($0.name)) })
        boot = BootReach.functions(entries: Set(entries.map { LinkName(file: nil, name: $0) }), defined: defined,
                                   callers: callers, addressTaken: addressTaken)
    }

    /// The findings that stand for a function: all of them outside boot code.
    func findings(_ findings: [Finding], of record: FunctionRecord, in file: String) -> [Finding] {
        let isBoot = boot.contains(LinkName(file: record.isStatic ? file : nil, name: record.name))
        return BootReach.droppingUnchecked(findings, inBoot: { _ in isBoot })
    }
}
