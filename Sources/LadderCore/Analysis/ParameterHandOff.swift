/// A caller's pointer that a function handed on, on one path: stored into memory that
/// outlives the call (a ring slot reached from another parameter, a global), given to a
/// call that takes it over, or freed. The summary turns the paths that do so into a
/// transfer for the callers: "argument N is no longer yours when I return these values".
///
/// Why paths and not statements: a helper typically keeps the buffer only once nothing
/// failed (`if (ring full) return -EBUSY; … slot->buf = buf; return 0;`). Taken as kept on
/// every return, its caller's `kfree(buf)` on the failure branch would be a second release
/// and a caller that forgot it would go unreported; taken as kept on none, every caller's
/// success return is a false leak. The same holds one helper up (`ret = queue(buf); if (ret)
/// return -EIO; return ret;`): a hand-off waits on the callee's result like an acquisition
/// does, and is settled when the path tests it.
///
/// A parameter freed on some returns only (`kfree(ctx); return err;`) is handed on the
/// same way, on those returns: its caller must not free it after that failure.
///
/// What it cannot see: a local pointer into the caller's stack (`p = &req; p->buf = buf`)
/// looks like memory that outlives the call; a parameter reassigned before it is stored is
/// still taken as the caller's value; a caller that frees the argument again after the
/// callee freed it is not told (the hand-off makes the second free look like the caller
/// taking back what it gave).
public struct ParameterHandOff: Sendable, Hashable {
    /// The parameter's position.
    public var parameter: Int
    /// Handed on only if this variable turns out to have these signs; nil once it is known.
    public var outcome: HeldResource.Outcome?
}

extension ParameterHandOff {
    /// Whether any assignment stores a pointer parameter through memory: only then can a
    /// function with no resource call of its own hand one on, and be worth walking.
    static func mayStoreParameter(_ function: Function) -> Bool {
        let pointers = Set(function.parameters.filter { $0.type.shape == .pointer }.map(\.name))
        guard !pointers.isEmpty else { return false }
        return function.blocks.contains { block in
            block.statements.contains { statement in
                guard case .assign(let target, let value, _) = statement,
                      let v = value.path.object.variable, v.storage == .parameter, pointers.contains(v.name) else { return false }
                if case .variable(let t) = target.kind { return t.storage == .global }
                return true
            }
        }
    }

    /// The transfers a function's walked paths show (`SummaryDerivation`): for each pointer
    /// parameter handed on at some return, the return values that mean it was. Parameters the
    /// summary already transfers or releases everywhere are left to those rules.
    static func transfers(_ function: Function, _ result: FunctionAnalysis.Result, declared: FunctionSummary) -> [TransferRule] {
        var rules: [TransferRule] = []
        // Pointers, and any parameter some path handed on (a page passed by its address to
        // an acquisition that takes it).
        let handedOn = Set(result.exits.flatMap { $0.parameterHandOffs.map(\.parameter) })
        // Any parameter some return released whole: an I/O port or IRQ number given back on
        // the callee's own failure (`release_region(smba, …); return -ENOMEM;`) is as much
        // the caller's as a pointer is.
        let freedSomewhere = Set(function.parameters.indices.filter { i in
            result.exits.contains { $0.parameterReleases.contains { $0.template == PathTemplate(.argument(i)) } }
        })
        let nullOnly = handedOn.isEmpty && !result.exits.contains(where: { !$0.parameterReleases.isEmpty }) ? [:] : nullOnlyReturns(function)
        for (i, parameter) in function.parameters.enumerated() where parameter.type.shape == .pointer || handedOn.contains(i) || freedSomewhere.contains(i) {
            let bare = PathTemplate(.argument(i))
            guard !declared.transfers.contains(where: { $0.argument == i }),
                  !declared.releases.contains(where: { $0.handle == bare }) else { continue }
            var gone: SignSet = []
            var kept: SignSet = []
            for exit in result.exits {
                // A return only reached when the caller passed no object (`if (!input)
                // return err;` in a helper that also deletes) tells nothing about what
                // happens to one it did pass: neither handed on nor kept.
                if nullOnly[i]?.contains(exit.snapshot.location) == true { continue }
                let signs = exit.value?.signs ?? .always
                let handOffs = exit.parameterHandOffs.filter { $0.parameter == i }
                let freed = exit.parameterReleases.contains { $0.template == bare }
                if freed || handOffs.contains(where: { $0.outcome == nil }) {
                    gone.formUnion(signs)
                } else if let pending = handOffs.first?.outcome {
                    // Still waiting on a callee's result: returned as it is, the caller's
                    // test of this function's result settles it; tested nowhere, it is taken
                    // as done, as an unchecked acquisition is.
                    if exit.snapshot.returned?.path == pending.variable {
                        gone.formUnion(signs.intersection(pending.success))
                        kept.formUnion(signs.subtracting(pending.success))
                    } else {
                        gone.formUnion(signs)
                    }
                } else {
                    kept.formUnion(signs)
                }
            }
            guard !gone.isEmpty else { continue }
            // Handed on at every return, or by a void helper: whatever it returns. Else only
            // on values no keeping return can have: a caller's failure branch must not lose
            // what a failing path kept (`spi_register_controller` returns an unknown status
            // both after linking the controller in and after failing; taken as handed on,
            // its callers' error paths lost their leaks and then released what they no
            // longer held, on drivers/spi).
            let success: SignSet
            if kept.isEmpty || function.returnType.shape == .void {
                success = .always
            } else {
                success = gone.subtracting(kept)
                guard !success.isEmpty else { continue }
            }
            rules.append(TransferRule(call: function.name, argument: i, success: success))
        }
        return rules
    }

    /// For each pointer parameter the function never assigns, the returns reached only
    /// through the null edge of a test of it (`if (!input) return err;`): the locations of
    /// the return blocks that no path from the entry reaches without taking such an edge.
    /// Read off the graph rather than the path facts, which forget the test as soon as
    /// nothing later reads the parameter. Not seen: a parameter changed through its address.
    static func nullOnlyReturns(_ function: Function) -> [Int: Set<SourceLocation>] {
        var assigned: Set<String> = []
        for block in function.blocks {
            for case .assign(let target, _, _) in block.statements {
                if let v = target.path.variable, v.storage == .parameter { assigned.insert(v.name) }
            }
        }
        var index: [String: Int] = [:]
        for (i, parameter) in function.parameters.enumerated() where parameter.type.shape == .pointer && !assigned.contains(parameter.name) {
            index[parameter.name] = i
        }
        guard !index.isEmpty else { return [:] }
        struct Edge: Hashable { var from: BlockID; var to: BlockID }
        var nullEdges: [Int: Set<Edge>] = [:]
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator, then != otherwise,
                  let (key, op, c) = Transfer.constraint(condition), c == 0, key.steps.isEmpty,
                  let v = key.variable, v.storage == .parameter, let i = index[v.name] else { continue }
            switch op {
            case .eq: nullEdges[i, default: []].insert(Edge(from: block.id, to: then))
            case .ne: nullEdges[i, default: []].insert(Edge(from: block.id, to: otherwise))
            default: continue
            }
        }
        var result: [Int: Set<SourceLocation>] = [:]
        for (i, edges) in nullEdges {
            let reached = function.reachableBlocks(from: [function.entry]) { !edges.contains(Edge(from: $0, to: $1)) }
            var only: Set<SourceLocation> = []
            var other: Set<SourceLocation> = []
            for block in function.blocks {
                guard case .return(_, let location) = block.terminator else { continue }
                if reached.contains(block.id) { other.insert(location) } else { only.insert(location) }
            }
            // Unreachable blocks count as null-only too; they have no exit record anyway.
            only.subtract(other)
            if !only.isEmpty { result[i] = only }
        }
        return result
    }
}

extension Transfer {
    /// The parameter a value is, if it is a pointer parameter unchanged (casts and constant
    /// offsets seen through: `(void *)buf`, `buf + 4` point into the same object).
    func pointerParameter(_ value: Expr) -> Int? {
        guard let v = value.path.object.variable, v.storage == .parameter else { return nil }
        return function.parameters.firstIndex { $0.name == v.name && $0.type.shape == .pointer }
    }

    /// The parameter a value is, of any type (casts and constant offsets seen through): what
    /// an acquisition's `takes` argument names (`mappages(…, pa, …)` with `uint64 pa`).
    func takenParameter(_ value: Expr) -> Int? {
        guard let v = value.path.object.variable, v.storage == .parameter else { return nil }
        return function.parameters.firstIndex { $0.name == v.name }
    }

    /// `slot->buf = buf`: a parameter stored where it outlives the call is handed on. Where
    /// that is: through another parameter or a global, or through a local pointer this
    /// function does not own (`slot = &ring->slots[i]`) — but not into a struct on the
    /// stack (`req.data = buf`), whose every step is a `.`, nor through the parameter
    /// itself, nor into an out-parameter (`*out = buf`: the caller's own variable).
    func handOnParameter(storedInto target: Expr, value: Expr, in state: inout PathState) {
        guard let i = pointerParameter(value), let root = target.rootVariable,
              root.name != function.parameters[i].name || root.storage != .parameter else { return }
        if case .variable = target.kind, root.storage != .global { return }
        if staysLocal(target, state: state) { return }
        if root.storage == .local {
            let throughPointer = target.path.steps.contains {
                switch $0 {
                case .field(_, let arrow): arrow
                case .deref, .container: true
                case .addressOf, .element: false
                }
            }
            guard throughPointer else { return }
        }
        state.parameterHandOffs = state.parameterHandOffs.filter { $0.parameter != i }
        state.parameterHandOffs.insert(ParameterHandOff(parameter: i, outcome: nil))
    }

    /// A byte copy (`RulePack.copies`) of a struct on the stack, `memcpy(&ipsec->rx_tbl[i],
    /// &rsa, sizeof(rsa))` after `rsa.xs = xs`: the parameters stored in the struct are
    /// stored where the destination is, as `ipsec->rx_tbl[i].xs = xs` would store them. Which
    /// fields hold a parameter is read off the function's stores into the struct, wherever
    /// they are.
    func handOnCopiedParameters(_ call: Call, in state: inout PathState) {
        guard call.arguments.count > 1 else { return }
        let source = call.arguments[1].path.object
        guard source.steps == [.addressOf], let copied = source.rootVariable, copied.storage == .local else { return }
        // A destination that is a pointer variable (`slot`) is stored through: `*slot`.
        let destination = call.arguments[0]
        let target = destination.path.variable != nil ? Expr(.deref(destination), text: "*" + destination.text) : destination
        for block in function.blocks {
            for case .assign(let stored, let value, _) in block.statements
            where stored.rootVariable == copied && !stored.path.steps.isEmpty && pointerParameter(value) != nil {
                handOnParameter(storedInto: target, value: value, in: &state)
            }
        }
    }

    /// A parameter passed to a call that takes it over (`rule`): handed on when the call's
    /// `outcome` is met. `&e->node` hands on `e`, as it does for a held resource.
    func handOnParameter(_ rule: TransferRule, call: Call, outcome: HeldResource.Outcome?, in state: inout PathState) {
        guard rule.argument < call.arguments.count else { return }
        var argument = call.arguments[rule.argument]
        if rule.member != nil {
            // The parameter the path stored in that field (`usb_fill_bulk_urb(urb, …, buf, …)`).
            guard let place = handedPlace(rule, call: call), let stored = throughStores(canonical(place, state), state),
                  let v = stored.variable, v.storage == .parameter else { return }
            argument = .variable(v)
        }
        var index = pointerParameter(argument)
        if index == nil, argument.path.isAddressOf, argument.path.steps.count > 1, let root = argument.rootVariable,
           root.storage == .parameter {
            index = function.parameters.firstIndex { $0.name == root.name && $0.type.shape == .pointer }
        }
        guard let i = index else { return }
        forgetUndoneStores(ofParameter: i, in: &state)   // handed on here too: undoing the store gives nothing back
        guard !state.parameterHandOffs.contains(ParameterHandOff(parameter: i, outcome: nil)) else { return }
        state.parameterHandOffs.insert(ParameterHandOff(parameter: i, outcome: outcome))
    }

    /// A branch told the signs of `key`: hand-offs waiting on it happened or did not.
    func settleParameterHandOffs(of key: AccessPath, signs: SignSet, in state: inout PathState) {
        guard state.parameterHandOffs.contains(where: { $0.outcome?.variable == key }) else { return }
        var settled: Set<ParameterHandOff> = []
        for handOff in state.parameterHandOffs {
            guard let outcome = handOff.outcome, outcome.variable == key else { settled.insert(handOff); continue }
            if signs.isDisjoint(with: outcome.success) { continue }
            settled.insert(signs.isSubset(of: outcome.success) ? ParameterHandOff(parameter: handOff.parameter, outcome: nil) : handOff)
        }
        state.parameterHandOffs = settled
    }

    /// The variable a hand-off waited on changed before any test: taken as done, as an
    /// unchecked transfer of a held resource is (`forget`).
    func forgetParameterHandOffOutcomes(_ stale: (AccessPath) -> Bool, in state: inout PathState) {
        guard state.parameterHandOffs.contains(where: { $0.outcome.map { stale($0.variable) } ?? false }) else { return }
        state.parameterHandOffs = Set(state.parameterHandOffs.map { handOff in
            guard let outcome = handOff.outcome, stale(outcome.variable) else { return handOff }
            return ParameterHandOff(parameter: handOff.parameter, outcome: nil)
        })
    }
}
