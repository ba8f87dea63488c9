/// Which flag bits of a driver's own state code outside a function may set while it runs,
/// so that a bit of a zero-filled object handed to a call the analysis cannot see into stays
/// known when nothing that call can reach sets it (`BitFlags`).
///
/// The kernel does not know a driver's private flags (`priv->flags & ID_P_PM_BLOCKED`,
/// `test_and_set_bit(__E1000_DISABLED, &adapter->flags)`). Code that has no body, pack entry
/// or summary anywhere in view (`i2c_add_numbered_adapter(&priv->adap)`,
/// `netif_napi_add(netdev, …)`) reaches them only by running the unit's own functions: those
/// whose address the unit takes (ops tables, callback arguments), those other files call
/// (not `static`), and what those call. So the bits such a call may change are the bits
/// those functions set, less the function itself.
///
/// A probe has fewer: the driver core holds the device lock across probe, remove, shutdown
/// and the PCI error callbacks, and system sleep waits for probes to finish before it
/// suspends anything. Functions named only in the pack's `probeExcludes` fields of the
/// unit's tables (and what only they call) do not run during the same driver's probe.
/// Runtime PM callbacks do run then, and so do a net device's once it is registered.
///
/// Known only from the whole unit, so written onto its functions where it is parsed, as
/// `OwnedFields` is: a function checked alone keeps what its unit said.
///
/// Limits: a bit is named by its field's name and mask (two structs with a `flags` field are
/// one field here); a store of an unknown value sets every bit of its field. Functions in
/// other files of the same driver that set the bit (an `ethtool` file's callbacks) are not
/// seen: a callback registered from there may set it unnoticed, which can only hide a
/// finding. A function named in an excluded field that is also handed on as a callback
/// argument is taken as excluded, and fields are matched by name whatever the table's type
/// (a `clk_ops.prepare` or `uart_ops.shutdown` can run during a probe, yet counts as excluded).
public struct FlagBit: Sendable, Hashable, Codable, Comparable {
    /// The word's last field (`flags`, `state`).
    public var field: String
    /// The bits set; nil: any (a store of an unknown value).
    public var mask: Int64?

    public init(field: String, mask: Int64?) {
        self.field = field
        self.mask = mask
    }

    public static func < (a: FlagBit, b: FlagBit) -> Bool {
        (a.field, a.mask ?? 0, a.mask == nil ? 0 : 1) < (b.field, b.mask ?? 0, b.mask == nil ? 0 : 1)
    }

    /// Whether setting these bits may set bit `mask` of a word whose last field is `field`.
    func mayChange(field other: String, mask tested: Int64) -> Bool {
        field == other && (mask.map { $0 & tested != 0 } ?? true)
    }
}

/// What `FlagSetters` wrote onto one function: the bits of `fields` that code able to run
/// during it sets. A field not listed was not looked at.
public struct FlagSettersNote: Sendable, Hashable, Codable {
    public var fields: [String]
    public var bits: [FlagBit]
}

struct FlagSetters {
    let pack: RulePack

    func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        // A unit that records no tables (made by hand, not parsed) says nothing new: keep
        // what its functions carry.
        guard let addressTaken = unit.addressTaken, let tables = unit.callbackTables else { return unit }
        let testedBy = unit.functions.map(testedFields)
        let tested = testedBy.reduce(into: Set<String>()) { $0.formUnion($1) }
        guard !tested.isEmpty else { return unit }
        let bodies = Dictionary(unit.functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let sets = bodies.mapValues { setBits($0, fields: tested) }
        let callees = bodies.mapValues { Set(CalleeNames.of($0)).filter { bodies[$0] != nil } }
        var fields: [String: Set<String>] = [:]
        for table in tables {
            for (field, function) in table.entries { fields[function, default: []].insert(field) }
        }
        let entries = bodies.values.filter { !$0.isStatic || addressTaken.contains($0.name) }.map(\.name)
        let serialised = Set(entries.filter { name in
            guard let named = fields[name], !named.isEmpty, bodies[name]?.isStatic == true else { return false }
            return named.isSubset(of: pack.probeExcludes)
        })
        var result = unit
        for i in result.functions.indices where !testedBy[i].isEmpty {
            let name = result.functions[i].name
            let isProbe = fields[name]?.contains("probe") == true
            let starts = entries.filter { $0 != name && !(isProbe && serialised.contains($0)) }
            var reached: Set<String> = []
            var stack = starts
            while let next = stack.popLast() {
                guard next != name, reached.insert(next).inserted else { continue }
                stack.append(contentsOf: callees[next] ?? [])
            }
            let bits = reached.reduce(into: Set<FlagBit>()) { $0.formUnion(sets[$1] ?? []) }
            result.functions[i].flagSetters = FlagSettersNote(fields: tested.sorted(), bits: bits.sorted())
        }
        return result
    }

    /// The fields whose bits the function tests (`BitFlags.masks`).
    private func testedFields(_ function: Function) -> Set<String> {
        var found: Set<String> = []
        func add(_ word: AccessPath) {
            if case .field(let name, _)? = word.steps.last { found.insert(name) }
        }
        for block in function.blocks {
            if case .branch(let condition, _, _, _) = block.terminator, let (key, _, _) = Transfer.constraint(condition),
               let (word, _) = BitFlags.split(key) {
                add(word)
            }
            for case .call(let call) in block.statements {
                guard let callee = call.callee, pack.bits[callee] != nil, let (word, _) = BitFlags.operands(call) else { continue }
                add(word)
            }
        }
        return found
    }

    /// The bits of `fields` the function's own statements may set.
    private func setBits(_ function: Function, fields: Set<String>) -> Set<FlagBit> {
        var found: Set<FlagBit> = []
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    guard case .field(let name, _)? = target.path.steps.last, fields.contains(name) else { continue }
                    switch value.kind {
                    case .constant(let k): if k != 0 { found.insert(FlagBit(field: name, mask: k)) }
                    case .binary(.bitAnd, let a, _) where a.path == target.path: break   // clears only
                    case .binary(.bitOr, let a, let b) where a.path == target.path:
                        found.insert(FlagBit(field: name, mask: b.constantValue))
                    default: found.insert(FlagBit(field: name, mask: nil))
                    }
                case .call(let call):
                    guard let callee = call.callee, pack.bits[callee]?.leaves == true, call.arguments.count >= 2 else { continue }
                    if let (word, mask) = BitFlags.operands(call) {
                        if case .field(let name, _)? = word.steps.last, fields.contains(name) {
                            found.insert(FlagBit(field: name, mask: mask))
                        }
                    } else if let name = call.arguments[1].path.steps.dropLast().last.flatMap({ step -> String? in
                        if case .field(let name, _) = step { name } else { nil }
                    }), fields.contains(name) {
                        found.insert(FlagBit(field: name, mask: nil))
                    }
                }
            }
        }
        return found
    }
}
