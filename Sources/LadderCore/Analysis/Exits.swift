extension Transfer {
    /// The state at a `return`: what is returned is handed to the caller, the rest is
    /// what the path still holds.
    func exit(state original: PathState, value: Expr?, location: SourceLocation, steps: [PathStep], afterFailure: Bool) -> FunctionAnalysis.ExitRecord {
        // The newest iteration's element and the older ones are one finding.
        var state = original
        normalizeElements(in: &state)
        // Elements of a collection that a loop elsewhere releases are taken as released,
        // unless the path knows which elements it still holds (`ElementSpan`).
        var held = state.held.filter { resource in
            !resource.managed && !resource.callerOwned && resource.pendingTransfer == nil
                && (resource.elements?.isKnown == true || !resource.handles.contains(where: scan.releasedCollections.contains))
        }
        var fact: ValueFact?
        var returned: [HeldResource] = []
        if let value {
            let key = value.path
            fact = value.constantValue.map(ValueFact.constant) ?? state.facts[key] ?? .unknown
            // `return d->status` hands back an int, not the object whose mutex is still held.
            var names = Set([key] + value.carriedVariables.map(AccessPath.init(variable:)))
            // An address inside an object, reached through locals (`dattr = &hattr->dev_attr;
            // a = &dattr->attr; return a;`): the object goes back with it (`container_of`).
            let resolved = canonical(key, state)
            if resolved != key, resolved.isAddressOf { names.formUnion([resolved, resolved.rootPath]) }
            // The object around a place (`container_of(bridge_dev, …, dev)`, what a "get"
            // helper returns on success): what the place names goes back inside it. Only
            // where the path has ruled an error value out (`IS_ERR(bridge)` not taken): the
            // helper's result names the object only where it succeeded, and a caller that
            // returns it untested, or tests it for NULL only, hands back an error pointer
            // with the reference still held.
            for path in [key, resolved] where fact.map({ !$0.signs.contains(.negative) && $0.signs.contains(.positive) }) == true {
                if case .container(let member)? = path.steps.last {
                    names.insert(path.appending([.field(member, arrow: true), .addressOf]))
                }
            }
            // `return input_register_device(keys)`: what the call whose status is returned as
            // it is acquired goes to the caller with that status (held on success, never
            // taken on failure). Unregistering before the return would undo the very call.
            // Not a lock: those are judged by the function's contract.
            returned = held.filter { resource in
                resource.handles.contains(where: names.contains) || resource.handles.contains { names.contains($0.rootPath) }
                    || (resource.pending?.variable == key && key.variable?.storage == .temporary && !pack.locks.contains(resource.kind))
            }
            held.removeAll { r in returned.contains { $0.id == r.id } }
        }
        let snapshot = ExitSnapshot(location: location, held: held, pendingOrders: state.pendingOrders,
                                    returned: value, steps: steps)
        var record = FunctionAnalysis.ExitRecord(snapshot: snapshot, value: fact, afterFailure: afterFailure,
                                                 parameterReleases: state.parameterReleases, returned: returned,
                                                 retaken: state.held.filter(\.callerOwned), expected: state.expected,
                                                 reachingCaller: reachingCaller(state), parameterHandOffs: state.parameterHandOffs,
                                                 returnedBits: returnedBits(value, in: state))
        if let key = value?.path, !returned.isEmpty {
            record.returnedAlsoStored = state.stored.contains { place, stored in stored == key && reachesCaller(place) }
        }
        return record
    }
}

/// Decides which exits return the function's error value: by the rule pack's entry for
/// the function, else by its return type's convention, and for unsigned returns also by
/// inference from what the function returns after a failed call.
public struct ErrorExits: Sendable {
    let shape: CType.Shape
    let declared: [Int64]?
    let convention: ErrorConvention
    let inferred: Set<Int64>
    /// No return of the function succeeds: a PCI probe that only reads a few registers and
    /// always declines the device (`return -ENODEV`) so that another driver can bind to it.
    /// A constant it returns with no failure behind it is then its normal end, judged like
    /// a success return (what it keeps there, it keeps on purpose unless nothing outlives
    /// the call); its returns after a failure stay error exits.
    private(set) var declines = false

    init(function: Function, pack: RulePack, exits: [FunctionAnalysis.ExitRecord]) {
        shape = function.returnType.shape
        declared = pack.declaredErrors(of: function.name)
        convention = pack.convention
        var inferred: Set<Int64> = []
        if declared == nil, shape == .unsignedInteger {
            for exit in exits where exit.afterFailure {
                if let v = exit.value?.exact { inferred.insert(v) }
            }
            // A value returned on success too is not an error value.
            for exit in exits where !exit.afterFailure {
                if let v = exit.value?.exact, v != 0 || inferred.count > 1 { inferred.remove(v) }
            }
        }
        self.inferred = inferred
        declines = !exits.isEmpty && exits.allSatisfy(byConvention)
    }

    public func isError(_ exit: FunctionAnalysis.ExitRecord) -> Bool {
        if declines && !exit.afterFailure && exit.value?.exact != nil { return false }
        return byConvention(exit)
    }

    private func byConvention(_ exit: FunctionAnalysis.ExitRecord) -> Bool {
        guard let fact = exit.value else { return false }
        if let declared {
            return fact.exact.map(declared.contains) ?? false
        }
        switch shape {
        case .pointer:
            return !fact.signs.isEmpty && fact.signs.isSubset(of: convention.pointer)
        case .signedInteger:
            return convention.signedFailure(fact.signs)
                && (fact.exact.map { convention.signed.contains(SignSet(of: $0)) } ?? true)
        case .unsignedInteger:
            guard let v = fact.exact else { return false }
            return convention.unsignedValues.contains(v) || inferred.contains(v)
        case .void, .other:
            return false
        }
    }
}
