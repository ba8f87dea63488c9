/// Calls that run a function they are given (`RulePack.callsBack`): `kref_put(&dev->kref,
/// demo_delete)` runs `demo_delete(&dev->kref)` when the count drops to zero, and that
/// release callback is where a driver frees its object and everything hanging off it. Read
/// as a call that releases nothing, every failure label that drops the last reference looks
/// like a leak of the whole object.
///
/// The rule: right after such a call, the function gets a call of the callback with the
/// arguments the pack names, at the same place, so the callback's summary applies as for
/// any call (its `container_of` reaches the caller's object, `AccessPath.Step.container`).
/// Only a callback named directly (`demo_delete`, not a pointer read from somewhere) and
/// defined in the file: its summary is what the call means. Known only from the pack and the
/// unit, so written where the unit is annotated.
///
/// Limits: the count is not tracked; the callback is taken to run at every such call. On a
/// failure path after `kref_init` that is so; after a `kref_get` it may not be, and what
/// the callback releases is then taken as released too early: leaks missed, and no
/// `release-unacquired` for what the caller does not hold (a summary's release of it is
/// accepted). What the callback releases in the wrong order is still reported at the call.
struct CalledBack {
    let pack: RulePack

    func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        guard !pack.callsBack.isEmpty else { return unit }
        let defined = Set(unit.functions.map(\.name))
        var result = unit
        for f in result.functions.indices {
            for b in result.functions[f].blocks.indices {
                let statements = result.functions[f].blocks[b].statements
                var rewritten: [Statement] = []
                rewritten.reserveCapacity(statements.count)
                for statement in statements {
                    rewritten.append(statement)
                    if let call = callBack(in: statement, defined) { rewritten.append(.call(call)) }
                }
                if rewritten.count != statements.count { result.functions[f].blocks[b].statements = rewritten }
            }
        }
        return result
    }

    /// The callback's call a statement makes, if it is a `callsBack` call naming a function
    /// the unit defines (`demo_delete` or `&demo_delete`; not a function pointer variable).
    private func callBack(in statement: Statement, _ defined: Set<String>) -> Call? {
        // A walk over a device's children (`childrenOf`) has no child to name: `ChildWalks`.
        guard case .call(let call) = statement, let callee = call.callee, let spec = pack.callsBack[callee], spec.childrenOf == nil,
              spec.arguments.allSatisfy({ $0 < call.arguments.count }),
              let function = ChildWalks.named(call, spec), defined.contains(function) else { return nil }
        let arguments = spec.arguments.map { call.arguments[$0] }
        return Call(callee: function, arguments: arguments, result: nil, location: call.location,
                    text: function + "(" + arguments.map(\.text).joined(separator: ", ") + ")")
    }
}
