/// A field that owns a resource, cleared (or replaced after its value was saved) while it
/// may still hold one that nothing released.
///
/// Teardown code releases what an object's fields hold and then clears the fields, so that
/// no one uses or frees them again: xv6's `freeproc` frees `p->trapframe` and sets it to 0,
/// `exit` puts `p->cwd` and sets it to 0. When the release is lost, the clear drops the only
/// pointer to the resource, and no exit of the function shows it: the resource was never
/// this function's acquisition, so the path walk has nothing held.
///
/// Wrong (`demo_open` keeps a `kmalloc()` buffer in `priv->buf`):
///
///     void demo_close(struct demo_priv *priv)
///     {
///         clk_disable_unprepare(priv->clk);
///         priv->buf = NULL;
///     }
///
/// Right: `kfree(priv->buf);` before the clear.
///
/// The same holds for a swap (`old = p->pagetable; p->pagetable = pagetable;`, xv6's
/// `exec`): saving the old value says it is still live, so a copy that is then dropped
/// loses it. A store of anything but 0 is judged only when the function saves the field's
/// value in a local: without that, it is as often the first fill of an empty field.
///
/// The rule: a store of 0 (`NULL` where the unit spells null pointers so) into a field the
/// unit keeps acquisitions in (`OwnedFields`), in a function that releases something itself
/// (a teardown; one that releases nothing is bookkeeping after its caller's release), or
/// that acquires something and clears the field only on the way to error returns (undoing
/// its own failed step, `pci_enable_msix_range()` failing before `adapter->msix_entries =
/// NULL; return vectors;`), is reported (`missing-release`, medium
/// confidence: the ownership is inferred) unless, on some path before it, the field's
/// value could have gone somewhere: the field (`kfree(p->trapframe)`), an object it lies in
/// (`demo_free_all(priv)`), or a local copied from it (`f = p->ofile[fd]; fileclose(f)`)
/// was passed to a call, or stored anywhere but a local. Two calls are known not to take
/// it: a pack acquisition whose resources all lie in its arguments
/// (`register_netdev(vsi->netdev)` lends the netdev, and returns nothing that could be a
/// copy of it), and a function of the unit given the enclosing object whose summary
/// neither releases nor hands on anything at or under the field
/// (`igb_reset_interrupt_capability(adapter)` frees `msix_entries`, not `vf_mac_list`).
/// A copy still used after the clear (`old = priv->cur; priv->cur = NULL; kfree(old)`) keeps
/// the value too. Left alone as well: a clear only reached when a test found the field zero
/// (directly or through a local copy) or equal to another pointer, or asked a predicate about it (`if (IS_ERR(priv->clk))
/// priv->clk = NULL;`), a clear after which a release of the field's kind can run under
/// any name but another field of the same object (`line->hog = NULL; kfree(hog);`, not
/// `adapter->vf_mac_list = NULL; kfree(adapter->vf_data);`), and a
/// function that itself stores something other than 0 into the field (its own acquisition,
/// judged by the path walk).
///
/// Not seen: a function of the unit given the object that passes it on to an unknown
/// call, which frees the field, reads as keeping out (its summary records releases and
/// hand-offs, not lending); "before" is any block that can reach the clear, not the clear's own path, so a
/// release on another branch, or in a loop's later statements, hides the leak; a field
/// emptied when it was already empty by a condition the test does not show (a flag that
/// says the buffer was never allocated) is reported; clearing the field under another name
/// than the acquisition's (`memset(p, 0, sizeof *p)`) is not a clear here.
enum ClearedOwners {
    /// `analysed`: the function's walk, for the returns every walked path reaches as an error
    /// exit (none known without it).
    static func events(_ function: Function, calls: CallSemantics, analysed: FunctionAnalysis.Result? = nil) -> [AnalysisEvent] {
        guard let owned = function.ownedFields, !owned.isEmpty else { return [] }
        let errorReturns = analysed?.errorReturnLocations ?? []
        let teardown = releasesAnything(function, calls: calls)
        let byFields = Dictionary(owned.map { ($0.fields, $0) }, uniquingKeysWith: { a, _ in a })
        // Fields the function fills itself: its own acquisitions, for the path walk.
        var filled: Set<[String]> = []
        // Locals copied from each owned field.
        var copies: [[String]: Set<Variable>] = [:]
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements {
                if let fields = OwnedField.fields(of: target.path), value.constantValue != 0 { filled.insert(fields) }
                if let v = target.path.variable, let fields = OwnedField.fields(of: value.path), byFields[fields] != nil {
                    copies[fields, default: []].insert(v)
                }
            }
            for case .call(let call) in block.statements {
                if let result = call.result, let fields = OwnedField.fields(of: result.path) { filled.insert(fields) }
            }
        }
        var events: [AnalysisEvent] = []
        var reported: Set<SourceLocation> = []
        for (id, block) in function.blocks.enumerated() {
            for (index, statement) in block.statements.enumerated() {
                guard case .assign(let target, let value, let location) = statement,
                      let fields = OwnedField.fields(of: target.path), let field = byFields[fields],
                      !reported.contains(location) else { continue }
                // A clear in a function that never fills the field; or a store of anything
                // else once the old value was saved in a local (a swap whose copy was dropped).
                let replaced = !field.clears(with: value) && value.constantValue != 0
                if replaced ? copies[fields] == nil : filled.contains(fields) { continue }
                if !replaced && !teardown && !onlyErrorReturnsAfter(function, block: id, errorReturns) { continue }
                let clear = Clear(function: function, block: id, index: index, target: target.path, fields: fields,
                                  copies: copies[fields] ?? [], calls: calls)
                if !replaced && !teardown && !clear.acquisitionGivenFieldBefore { continue }
                // A swap saves the old value first; a copy taken after the store is of the new one.
                if replaced && !clear.savedBefore { continue }
                guard !clear.valueMayHaveGone, !clear.copyUsedAfter, !clear.underEmptyTest,
                      !clear.releasesKindAfter(field.kind) else { continue }
                reported.insert(location)
                events.append(.ownedFieldCleared(location: location, fieldText: target.text, field: field, replaced: replaced))
            }
        }
        return events
    }

    /// A teardown releases things; a function that releases nothing at all and clears a
    /// field is bookkeeping for a caller that already released or handed on what the field
    /// held (`e1000_consume_page` after the caller gave the page to the skb,
    /// `ixgbe_fcoe_clear_ddp` after `dma_pool_free`, a surprise-removal marker). Unless the
    /// clear leads only to error returns after an acquisition that was given the field
    /// (`Clear.acquisitionGivenFieldBefore`): undoing its own failed step
    /// (`pci_enable_msix_range(pdev, adapter->msix_entries, …)` failed, `adapter->msix_entries
    /// = NULL; return vectors;`) is where a release of what the field held belongs, not a
    /// caller's bookkeeping.
    static func releasesAnything(_ function: Function, calls: CallSemantics) -> Bool {
        function.blocks.contains { block in
            block.statements.contains { statement in
                guard case .call(let call) = statement, let callee = call.callee else { return false }
                return calls.releases(callee) != nil
            }
        }
    }

    /// Every return the block `block` can go on to (its own included) is an error return.
    static func onlyErrorReturnsAfter(_ function: Function, block: BlockID, _ errorReturns: Set<SourceLocation>) -> Bool {
        var found = false
        for id in function.reachableBlocks(from: [block]) {
            guard case .return(_, let location) = function.blocks[id].terminator else { continue }
            guard errorReturns.contains(location) else { return false }
            found = true
        }
        return found
    }

    private struct Clear {
        let function: Function
        let block: BlockID
        let index: Int
        let target: AccessPath
        let fields: [String]
        let copies: Set<Variable>
        let calls: CallSemantics
        /// Statements that may run before the clear: those of every block that can reach it,
        /// and the clear's own block up to it (all of it, when a loop brings it back).
        let before: [Statement]
        private var pack: RulePack { calls.pack }

        init(function: Function, block: BlockID, index: Int, target: AccessPath, fields: [String],
             copies: Set<Variable>, calls: CallSemantics) {
            self.function = function
            self.block = block
            self.index = index
            self.target = target
            self.fields = fields
            self.copies = copies
            self.calls = calls
            // The blocks that reach the clear's, by one walk back along the edges.
            var predecessors: [BlockID: [BlockID]] = [:]
            for (id, b) in function.blocks.enumerated() {
                for next in b.terminator.successors { predecessors[next, default: []].append(id) }
            }
            var reaching: Set<BlockID> = []
            var stack = predecessors[block] ?? []
            while let id = stack.popLast() {
                guard reaching.insert(id).inserted else { continue }
                stack += predecessors[id] ?? []
            }
            var statements: [Statement] = []
            for (id, b) in function.blocks.enumerated() {
                if id == block {
                    // A loop brings the clear's own block back: all of it may run before.
                    statements += reaching.contains(block) ? b.statements : Array(b.statements[..<index])
                } else if reaching.contains(id) {
                    statements += b.statements
                }
            }
            before = statements
        }

        /// Whether `path` names the field's value or what lies inside it, an object the field
        /// lies in (`enclosing`), or a copy of the value.
        private func carries(_ path: AccessPath, enclosing: Bool = true) -> Bool {
            let object = path.isAddressOf ? AccessPath(path.root, Array(path.steps.dropLast())) : path
            if let named = OwnedField.fields(of: object), named.starts(with: fields) { return true }
            if enclosing, object.root == target.root, target.steps.starts(with: object.steps) { return true }
            return copies.contains { object.mentions($0) }
        }

        /// A function of the unit given the object the field lies in, whose summary shows
        /// it releases other things but nothing at or under the field, and hands on neither
        /// (`igb_reset_interrupt_capability(adapter)` frees `msix_entries`, not the field
        /// cleared after it). Not seen: its own opaque calls, which are in its summary only as
        /// far as they release or hand on (one that passes the object to an unknown function
        /// which frees the field); and a release it makes on some paths only, in a helper
        /// that returns a value, which its summary drops while it keeps others.
        private func summaryKeepsOut(_ call: Call, argument: Int) -> Bool {
            guard let callee = call.callee, calls.bodies.contains(callee), !calls.declares(callee) else { return false }
            let path = call.arguments[argument].path
            // The field itself, or a copy of its value, is the object: only its enclosing
            // object is judged here.
            guard OwnedField.fields(of: path.isAddressOf ? AccessPath(path.root, Array(path.steps.dropLast())) : path) == nil,
                  !copies.contains(where: { path.mentions($0) }) else { return false }
            // No summary yet (a cycle), or one that releases nothing: a helper that frees only
            // on some paths keeps no release in its summary (`SummaryDerivation.derive`), so
            // only a helper seen to release something is taken at its word.
            guard let summary = calls.summaries[callee], !summary.unknown, !summary.releases.isEmpty,
                  !summary.transfers.contains(where: { $0.argument == argument }) else { return false }
            let released = summary.releases.map(\.handle) + summary.releasesOnFailure.map(\.rule.handle)
                + (summary.acquire?.resources.map(\.handle) ?? [])
            return !released.contains { template in
                guard let named = template.path(result: call.result, arguments: call.arguments) else { return true }
                guard named.rootPath == target.rootPath else { return false }
                guard let namedFields = OwnedField.fields(of: named) else { return true }
                return namedFields.starts(with: fields) || fields.starts(with: namedFields)
            }
        }

        /// A pack acquisition, not managed, was given the field itself on a path before the
        /// clear (`register_netdev(vsi->netdev)`): the step whose failure the clear undoes.
        var acquisitionGivenFieldBefore: Bool {
            before.contains { statement in
                guard case .call(let call) = statement, let callee = call.callee, let rule = pack.acquires[callee],
                      !rule.managed else { return false }
                return call.arguments.contains { carries($0.path, enclosing: false) }
            }
        }

        /// Some copy of the field is taken on a path before the store.
        var savedBefore: Bool {
            before.contains { statement in
                guard case .assign(let target, _, _) = statement, let v = target.path.variable else { return false }
                return copies.contains(v)
            }
        }

        var valueMayHaveGone: Bool {
            before.contains { statement in
                switch statement {
                case .call(let call):
                    // An acquisition given the object (`proc_pagetable(p)`) makes something
                    // new; it frees none of the object's fields. One whose resources all lie
                    // in its arguments (`register_netdev(vsi->netdev)`,
                    // `pci_enable_msix_range(pdev, adapter->msix_entries, …)`) only lends
                    // the field's value: it returns nothing that could be a copy of it.
                    let rule = call.callee.flatMap { pack.acquires[$0] }
                    if let rule, !rule.resources.contains(where: { $0.handle.root == .result }) { return false }
                    return call.arguments.enumerated().contains { i, argument in
                        guard carries(argument.path, enclosing: rule == nil) else { return false }
                        return !summaryKeepsOut(call, argument: i)
                    }
                case .assign(let target, let value, _):
                    return target.path.variable == nil && carries(value.path)
                }
            }
        }

        /// Whether a copy's value is read after the clear, before the copy is assigned again.
        var copyUsedAfter: Bool {
            copies.contains { copy in
                func reads(_ expr: Expr) -> Bool { expr.path.mentions(copy) }
                // nil: the block neither reads nor reassigns it, so the walk goes on.
                func verdict(_ statements: ArraySlice<Statement>, _ terminator: Terminator) -> Bool? {
                    for statement in statements {
                        switch statement {
                        case .call(let call):
                            if call.arguments.contains(where: reads) { return true }
                            if call.result?.path.variable == copy { return false }
                        case .assign(let target, let value, _):
                            if reads(value) || (target.path.variable == nil && reads(target)) { return true }
                            if target.path.variable == copy { return false }
                        }
                    }
                    switch terminator {
                    case .branch(let condition, _, _, _): return reads(condition) ? true : nil
                    case .return(let value?, _): return reads(value) ? true : nil
                    default: return nil
                    }
                }
                let own = function.blocks[block]
                if let known = verdict(own.statements[(index + 1)...], own.terminator) { return known }
                var seen: Set<BlockID> = []
                var stack = own.terminator.successors
                while let next = stack.popLast() {
                    guard function.blocks.indices.contains(next), seen.insert(next).inserted else { continue }
                    let b = function.blocks[next]
                    switch verdict(b.statements[...], b.terminator) {
                    case true?: return true
                    case false?: continue
                    case nil: stack += b.terminator.successors
                    }
                }
                return false
            }
        }

        /// A release of `kind` can run after the clear, under any name: the object the field
        /// pointed to is freed where the function names it otherwise (`line->hog = NULL;
        /// kfree(hog);`, `hog` found from the config item).
        func releasesKindAfter(_ kind: ResourceKind) -> Bool {
            func releases(_ statement: Statement) -> Bool {
                guard case .call(let call) = statement, let callee = call.callee else { return false }
                return (calls.releases(callee) ?? []).contains { rule in
                    guard rule.kinds.contains(kind) else { return false }
                    // Another field of the same object is another object (`kfree(adapter->vf_data)`
                    // after clearing `adapter->vf_mac_list`).
                    if let named = rule.handle.path(result: call.result, arguments: call.arguments),
                       named.rootPath == target.rootPath, let namedFields = OwnedField.fields(of: named),
                       !namedFields.starts(with: fields), !fields.starts(with: namedFields) {
                        return false
                    }
                    return true
                }
            }
            let own = function.blocks[block]
            if own.statements[(index + 1)...].contains(where: releases) { return true }
            return function.firstReachable(from: own.terminator.successors) { id in
                function.blocks[id].statements.contains(where: releases)
            } != nil
        }

        /// Reached only through a test that found the field zero, or equal to another pointer
        /// (`if (xfer->tx_buf == ctlr->dummy_tx)`: it holds that object, owned elsewhere), or
        /// through either side of a predicate asked about it (`IS_ERR(priv->clk)`).
        var underEmptyTest: Bool {
            for (id, b) in function.blocks.enumerated() {
                guard case .branch(let condition, let then, let otherwise, _) = b.terminator, then != otherwise else { continue }
                if case .binary(let op, let lhs, let rhs) = condition.kind, op == .eq || op == .ne,
                   lhs.constantValue == nil, rhs.constantValue == nil,
                   OwnedField.fields(of: lhs.path) == fields || OwnedField.fields(of: rhs.path) == fields,
                   dominates(edgeFrom: id, to: op == .eq ? then : otherwise) {
                    return true
                }
                guard let (key, op, constant) = Transfer.constraint(condition) else { continue }
                var guarded: [BlockID] = []
                // A local copy tested stands for the field (`iov_data = interface->iov_data;
                // if (iov_data) return -EBUSY;`).
                if OwnedField.fields(of: key) == fields || key.variable.map(copies.contains) == true {
                    let whenTrue = Transfer.signs(satisfying: op, constant)
                    let zeroWhenTrue = whenTrue == .zero
                    let zeroWhenFalse = SignSet.always.subtracting(whenTrue) == .zero
                    if zeroWhenTrue { guarded.append(then) }
                    if zeroWhenFalse { guarded.append(otherwise) }
                } else if asksPredicate(about: key, in: b) {
                    guarded = [then, otherwise]
                }
                for side in guarded where dominates(edgeFrom: id, to: side) { return true }
            }
            return false
        }

        /// `key` is the result of a pack predicate asked about the field in that block.
        private func asksPredicate(about key: AccessPath, in b: Block) -> Bool {
            b.statements.contains { statement in
                guard case .call(let call) = statement, let callee = call.callee, pack.predicates[callee] != nil,
                      call.result?.path == key else { return false }
                return call.arguments.contains { OwnedField.fields(of: $0.path) == fields }
            }
        }

        /// Every path from the entry to the clear takes the edge `from` → `to`.
        private func dominates(edgeFrom from: BlockID, to: BlockID) -> Bool {
            function.firstReachable(from: [function.entry], following: { !($0 == from && $1 == to) }) { $0 == block } == nil
        }
    }
}
