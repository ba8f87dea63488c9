extension Transfer {
    func acquire(_ rule: AcquireRule, call: Call, site: Int, inLoop: Bool, vacant: Set<AccessPath> = [], in state: inout PathState,
                 steps: inout [PathStep]) {
        let nested = nestsOnHeld(rule, call: call, in: state)
        if nested, let result = call.result, scan.relevant.contains(result.path) {
            state.facts[result.path] = ValueFact(signs: rule.success, exact: rule.success == .zero ? 0 : nil)
        }
        // In a loop, counted on what is held already, which then stands for one or more: the
        // path cannot count how many, so the release that drops it and a loop of releases
        // at one call both balance it (`Release.classifyNotHeld`). Elsewhere it is a resource
        // of its own (`clk_prepare_enable(pclk)` where `pclk` may be `clk`), only sure to succeed.
        if nested && inLoop {
            for i in state.held.indices where nestedOn(state.held[i], rule, call) { state.held[i].counted = true }
            return
        }
        let outcome: HeldResource.Outcome? = rule.success == .always || nested ? nil : call.result.map {
            HeldResource.Outcome(variable: $0.path, success: rule.success)
        }
        // An unchecked acquisition of something the caller names (`clk_prepare_enable(clk)`)
        // is held from the call: unchecked-acquire reports the ignored failure, and the rest
        // of the function is judged as if it succeeded, so the disable in its unwind is no
        // release of nothing and an exit without one leaks. An ignored result is lost.
        let heldFromCall = rule.resources.contains { $0.handle.root != .result }
        if rule.success != .always && call.result == nil && !heldFromCall {
            // Result ignored: nothing to follow (unchecked-acquire reports it), but what the
            // call takes over (`mappages` taking the page) is no longer this function's.
            for index in rule.takes where index < call.arguments.count {
                let key = call.arguments[index].path.object
                for i in state.held.indices where state.held[i].handles.contains(key) {
                    state.held[i].pendingTransfer = HeldResource.Transfer(into: nil, outcome: nil)
                }
            }
            settleTransfers(in: &state)
            return
        }
        var newIDs: [Int] = []
        for (index, spec) in rule.resources.enumerated() {
            guard let filled = spec.handle.path(result: call.result, arguments: call.arguments) else { continue }
            // Not in a loop: one object per pass (`e100_rx_alloc_skb(nic, rx)` over the ring),
            // which the caller's cleanup reaches by walking the ring, not by these names.
            if spec.intoHeldObjectOnly,
               inLoop || !insideOwnObject(filled, state) { continue }
            let key = scan.collective(filled)
            // Made only because the caller's object had none (`if (!udev->dev)
            // udev->dev = input_allocate_device();`): a member the object keeps across calls,
            // which its own teardown frees. Whatever this call does next, it stays.
            if vacant.contains(filled), !pack.locks.contains(spec.kind) {
                state.handedOn.insert(key)
                continue
            }
            // An acquisition stored straight into a global's field, or through a pointer this
            // function does not own, is handed on at once (`p->trapframe = kalloc()`). One
            // stored into the caller's object stays until a return decides
            // (`inCallerObject`). One that manages later acquisitions on its handle stays,
            // managed, to say so (`ts->input = devm_input_allocate_device(dev)`, then
            // `input_register_device(ts->input)`).
            if let result = call.result, spec.handle.single == .result, !staysLocal(result, state: state),
               !inCallerObject(result), !(rule.managed && !rule.manages.isEmpty) { continue }
            let id = AcquireRule.resourceID(site: site, index: index)
            let text = spec.handle.text(result: call.result, arguments: call.arguments) ?? key.description
            var dependsOn: Set<Int> = []
            if !spec.independent {
                var related = [key.rootPath]
                for i in rule.dependsOn where i < call.arguments.count {
                    let argument = call.arguments[i]
                    related.append(argument.path)
                    if let root = argument.rootVariable { related.append(AccessPath(variable: root)) }
                }
                // A state of the object (`pack.states`: runtime PM's count and enable, MSI) is not
                // made from what else the object holds, nor is anything made from it: taken on
                // one name, they are not ordered by the name alone.
                for held in state.held where held.id != id && held.handles.contains(where: related.contains)
                    && !pack.states.contains(held.kind) && !pack.states.contains(spec.kind) {
                    dependsOn.insert(held.id)
                }
                for enclosure in pack.enclosures where enclosure.inner.contains(spec.kind) {
                    for held in state.held where held.kind == enclosure.outer { dependsOn.insert(held.id) }
                }
            }
            // `release_firmware(*{0})` with `&fw` reads `release_firmware(fw)`.
            // An argument a macro's body supplies (`dma_map_single(d, a, s, r)` is
            // `dma_map_single_attrs(d, a, s, r, 0)`) has only the macro's whole use for text:
            // its value is spelled instead, and with no value there is no fix to offer.
            var unspellable = false
            let fix = spec.fix?.fill(result: call.result, arguments: call.arguments, render: { argument in
                guard argument.text == call.text else { return argument.text }
                if let value = argument.constantValue { return String(value) }
                unspellable = true
                return argument.text
            }).map(HandleTemplate.foldingAddressOfDeref).flatMap { unspellable ? nil : $0 }
            if let existing = state.held.firstIndex(where: { $0.id == id }) {
                // Re-acquired at the same site (a loop) while the previous one is held: the
                // previous one becomes "older", and older ones merge into one, so loops converge.
                retire(at: existing, in: &state)
            }
            // Other names for the same value: where it was stored before, and its canonical name.
            var names = [key]
            for (place, variable) in state.stored where variable == key && !names.contains(place) { names.append(place) }
            let canonicalName = canonical(key, state)
            if !names.contains(canonicalName) { names.append(canonicalName) }
            for name in storedNames(of: key, in: state) where !names.contains(name) { names.append(name) }
            if rule.returnsIt, spec.handle.root != .result, let result = call.result, !names.contains(result.path) {
                names.append(result.path)
            }
            // Names another held resource has for the same value (`ts->input` after
            // `ts->input = input_dev`): registering through the field is registering what the
            // local points to. Not a loop's merged older instances, nor elements.
            for other in state.held where other.id & HeldResource.olderFlag == 0 && other.elements == nil && other.handles.contains(key) {
                for name in other.handles where !names.contains(name) && !name.isCollection { names.append(name) }
            }
            let managedHere = managesLater(spec.kind, key: key, in: state) || managedUnlessHeld(rule, key: key, in: state)
            state.held.append(HeldResource(
                id: id, kind: spec.kind, handles: names, handleText: text, acquiredBy: rule.call, site: call.location,
                fix: fix, dependsOn: dependsOn, contents: [], pending: outcome, pendingTransfer: nil, lastGoto: nil,
                managed: rule.managed || managedHere, range: rule.range?.resolve(known(call.arguments, state)),
                elements: key.isCollection ? acquiredElements(spec.handle, call: call, in: state) : nil, takenAs: key))
            if rule.releasableByHand || managedHere { state.held[state.held.count - 1].releasableByHand = true }
            if spec.storedForCaller { state.held[state.held.count - 1].storedByCallee = true }
            if spec.handle.single == .result, rule.success.contains(.zero), rule.success.contains(.positive) {
                state.held[state.held.count - 1].mayBeNull = true
            }
            // Taken on a handle the path has not ruled NULL out for (`regulator_enable(data->vref_reg)`
            // after a get whose success only rules out an ERR_PTR): an unwind that tests the
            // handle (`if (data->vref_reg) regulator_disable(…)`) finds nothing on its NULL edge,
            // where the acquisition was a no-op (`clk_prepare_enable(NULL)`) or never ran.
            // Not a handle the call's own result overwrote (`ret = request_irq(ret, …)`): the
            // name then stands for the status, and its test says nothing of the handle.
            if spec.handle.single != .result, !key.isAddressOf, !key.isCollection, state.fact(key).signs.contains(.zero),
               !(call.result.map { key.mentions($0.path) } ?? false) {
                state.held[state.held.count - 1].mayBeNull = true
            }
            if let result = call.result, spec.handle.single == .result, inCallerObject(result) {
                state.held[state.held.count - 1].inCallerObject = true
            }
            if let query = rule.shownBy?.path(result: call.result, arguments: call.arguments) {
                state.held[state.held.count - 1].shownBy = query
            }
            newIDs.append(id)
            state.failed.removeAll { $0.handles.contains(key) && $0.kind == spec.kind }
            // Retaking a lock this path dropped without taking it: the caller's, given back.
            let retaken = state.pendingUnacquired.contains { $0.key == key && $0.kinds.contains(spec.kind) }
            state.pendingUnacquired.removeAll { $0.key == key && $0.kinds.contains(spec.kind) }
            // Only a handle a caller can name was held on entry: a local freed and allocated
            // again holds something new, this function's to release.
            if retaken, callerTemplate(key, state) != nil, let last = state.held.indices.last {
                state.held[last].callerOwned = true
            }
        }
        guard let holder = newIDs.first else { return }
        for (index, spec) in rule.resources.enumerated() where !spec.needs.isEmpty {
            guard let me = state.held.firstIndex(where: { $0.id == AcquireRule.resourceID(site: site, index: index) }) else { continue }
            for other in spec.needs.map({ AcquireRule.resourceID(site: site, index: $0) }) where newIDs.contains(other) {
                state.held[me].dependsOn.insert(other)
            }
        }
        for index in rule.takes where index < call.arguments.count {
            let argument = call.arguments[index]
            let key = argument.path.object
            var took = false
            for i in state.held.indices where state.held[i].handles.contains(key) && !newIDs.contains(state.held[i].id) {
                state.held[i].pendingTransfer = HeldResource.Transfer(into: holder, outcome: outcome)
                took = true
            }
            // Nothing this function holds: the page belongs to someone else (a global, the caller).
            // Not a null one (`krealloc(NULL, …)` on the first pass of a growing buffer): that is
            // a fresh allocation.
            if !took, argument.constantValue == nil, state.fact(key).signs != .zero,
               let h = state.held.firstIndex(where: { $0.id == holder }) {
                state.held[h].borrowed = argument.text
            }
            // The caller's page, taken over: the parameter is handed on when the acquisition
            // succeeds. By any type: xv6 passes a page as an address (`kvmmap`'s `uint64 pa`).
            if !took, let i = takenParameter(argument) {
                forgetUndoneStores(ofParameter: i, in: &state)
                if !state.parameterHandOffs.contains(ParameterHandOff(parameter: i, outcome: nil)) {
                    state.parameterHandOffs.insert(ParameterHandOff(parameter: i, outcome: outcome))
                }
            }
        }
        takeContainers(rule, call: call, holder: holder, newIDs: newIDs, outcome: outcome, in: &state)
        settleTransfers(in: &state)
        if outcome == nil {
            steps.append(PathStep(location: call.location, message: "\(rule.call)() acquires \(state.held.last?.kind ?? "a resource")"))
        }
    }

    /// Whether something held on this path, not known to have failed, makes a later
    /// acquisition of `kind` on `key` managed (`pcim_enable_device(pdev)`, then
    /// `pci_request_regions(pdev, …)`; `devm_input_allocate_device()`, then
    /// `input_register_device(input)`). A pointer tested only against NULL keeps its outcome
    /// open (an ERR_PTR is not excluded), but a failed one was already dropped from `held`, and
    /// using it at all would be the bug, not the leak.
    func managesLater(_ kind: ResourceKind, key: AccessPath, in state: PathState) -> Bool {
        state.held.contains { held in
            (held.pending.map { !state.fact($0.variable).signs.isDisjoint(with: $0.success) } ?? true)
                && (held.handles.contains(key) || held.handles.contains(key.rootPath))
                && calls.acquire(held.acquiredBy)?.manages.contains(kind) == true
        }
    }

    /// Whether an acquisition with `managedUnlessHeld` kinds is managed here: the path holds
    /// no unmanaged resource of those kinds under its handle, and did not hand one on (an
    /// input device allocated by hand and stored in the caller's struct before registering
    /// it is still one it allocated by hand). A managed resource that manages others is
    /// never handed on (`Transfer.assign`), so what was handed on was taken by hand.
    func managedUnlessHeld(_ rule: AcquireRule, key: AccessPath, in state: PathState) -> Bool {
        guard !rule.managedUnlessHeld.isEmpty else { return false }
        let names = [key, key.rootPath, canonical(key, state)]
        if names.contains(where: state.handedOn.contains) { return false }
        return !state.held.contains { held in
            !held.managed && rule.managedUnlessHeld.contains(held.kind) && names.contains(where: held.handles.contains)
        }
    }

    /// The places an acquisition fills that are fields of memory the caller reaches
    /// (`udev->dev`; not `&pdev->dev`, a local, nor an out-parameter `*f0`) and that this
    /// path knows are empty before the call, by a test: the function is filling in a member
    /// its object lacked. One the function empties itself (`p->buf = NULL;` before
    /// `p->buf = kmalloc(…)`, xv6's `*f0 = 0`) is its own to fill and undo.
    ///
    /// An element of a table (`ctx->qmat_tab[i]`) has no fact to read: the path keeps none for
    /// one of many. It is vacant where the acquisition's block is the empty arm of a test of
    /// that same element (`if (!ctx->qmat_tab[i]) ctx->qmat_tab[i] = kmalloc(…)`: a cache the
    /// object fills once and its release frees).
    func vacantMembers(_ rule: AcquireRule, call: Call, at site: FunctionPrescan.CallSite, in state: PathState) -> Set<AccessPath> {
        var vacant: Set<AccessPath> = []
        for spec in rule.resources {
            guard let filled = spec.handle.path(result: call.result, arguments: call.arguments),
                  filled.steps.contains(where: { if case .field = $0 { true } else { false } }),
                  !filled.isAddressOf, reachesCaller(canonical(filled, state)),
                  filled.isCollection ? emptyArm(of: filled, as: call.result?.text, is: site.block) : state.fact(filled).signs == .zero,
                  !emptiesItself(filled), !returnsWhenSet(filled) else { continue }
            vacant.insert(filled)
        }
        return vacant
    }

    /// `block` is entered only from a test finding `place` empty, written as the acquisition
    /// writes it: an element's path does not say which index (`tab[i]` and `tab[i + 1]` are
    /// both `tab[*]`), its text does.
    private func emptyArm(of place: AccessPath, as written: String?, is block: BlockID) -> Bool {
        guard let written else { return false }
        let spelled = { (text: String) in text.filter { !$0.isWhitespace } }
        var entered = false
        for b in function.blocks where b.terminator.successors.contains(block) {
            guard case .branch(let condition, let then, let otherwise, _) = b.terminator,
                  let tested = Self.testedOperand(condition), spelled(tested.text) == spelled(written),
                  let (key, op, c) = Transfer.constraint(condition), key == place, c == 0,
                  (op == .eq && then == block && otherwise != block) || (op == .ne && otherwise == block && then != block)
            else { return false }
            entered = true
        }
        return entered
    }

    /// A test of the member whose set side goes straight to a return (`if (d->ctx) return
    /// -EBUSY;`): the member says the object is in use, and a failure after filling it must
    /// empty it again. Lazy creation joins the set side to the code after the acquisition.
    private func returnsWhenSet(_ place: AccessPath) -> Bool {
        function.blocks.contains { block in
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator,
                  let (key, op, c) = Transfer.constraint(condition), key == place, c == 0, op == .eq || op == .ne else { return false }
            var next = op == .eq ? otherwise : then
            var seen: Set<BlockID> = []
            while seen.insert(next).inserted {
                let b = function.blocks[next]
                guard b.statements.allSatisfy({ if case .assign = $0 { true } else { false } }) else { return false }
                switch b.terminator {
                case .return: return true
                case .jump(let target, _): next = target
                case .branch, .unreachable: return false
                }
            }
            return false
        }
    }

    /// The value a null test reads: `x` of `x`, `!x`, `x == NULL`, `NULL != x`.
    static func testedOperand(_ condition: Expr) -> Expr? {
        switch condition.kind {
        case .unary(.logicalNot, let inner): return testedOperand(inner)
        case .binary(let op, let lhs, let rhs) where op == .eq || op == .ne:
            if rhs.constantValue == 0 { return lhs }
            if lhs.constantValue == 0 { return rhs }
            return nil
        default: return condition.constantValue == nil ? condition : nil
        }
    }

    private func emptiesItself(_ place: AccessPath) -> Bool {
        function.blocks.contains { block in
            block.statements.contains { statement in
                guard case .assign(let target, let value, _) = statement else { return false }
                return target.path == place && value.constantValue == 0
            }
        }
    }

    /// Older instances of a loop's acquisition share one id; their handles and contents merge.
    func retire(at index: Int, in state: inout PathState) {
        var resource = state.held.remove(at: index)
        let olderID = resource.id | HeldResource.olderFlag
        resource.id = olderID
        if let o = state.held.firstIndex(where: { $0.id == olderID }) {
            for handle in resource.handles where !state.held[o].handles.contains(handle) { state.held[o].handles.append(handle) }
            for content in resource.contents where !state.held[o].contents.contains(where: { $0.id == content.id }) {
                state.held[o].contents.append(content)
            }
            state.held[o].handles.sort()
            state.held[o].elements = ElementSpan.merged(state.held[o].elements, resource.elements)
        } else {
            state.held.insert(resource, at: index)
        }
        for i in state.held.indices where state.held[i].dependsOn.contains(olderID & ~HeldResource.olderFlag) {
            state.held[i].dependsOn.insert(olderID)
        }
    }

    /// The held resources a transfer's argument names: the object itself, and what hangs
    /// off it unless it is a lock.
    func handedOnIDs(_ rule: TransferRule, call: Call, state: PathState) -> Set<Int> {
        guard let key = handedPlace(rule, call: call) else { return [] }
        if rule.member != nil {
            // Only what the field itself names, or what the path stored there
            // (`usb_fill_bulk_urb(urb, …, buf, …)`): not the rest of the argument.
            let names = [key] + [throughStores(canonical(key, state), state)].compactMap { $0 }
            return Set(state.held.filter { !$0.managed && $0.handles.contains(where: names.contains) }.map(\.id))
        }
        // `list_add(&e->node, head)` hands on `e`, whose member it links; handing on `seg`
        // hands on what hangs off it (`seg->trbs`) too.
        let root = key.rootVariable.map(AccessPath.init(variable:))
        let names = Set([key] + (root.map { [$0] } ?? []))
        // Managed resources stay held (never leaked): releasing them by hand is still a bug.
        return Set(state.held.filter { resource in
            guard !resource.managed, rule.kinds?.contains(resource.kind) ?? true else { return false }
            if resource.handles.contains(where: names.contains) { return true }
            // A lock on the object stays with whoever holds it; so does a state of the
            // caller's object the handed one merely points to (`dmac->dev = &pdev->dev`).
            return !pack.locks.contains(resource.kind) && resource.handles.contains { names.contains($0.rootPath) }
                && !resource.handles.contains(where: namesCallersObject)
        }.map(\.id))
    }

    /// The place a transfer hands on: its argument, or a field of it (`member`); nil when
    /// the call hands nothing on here.
    /// - A registration that keeps the pointer it is given (`pointerOnly`) and is given a
    ///   member's address (`&chg->desc`) keeps no more than the member, which is no resource.
    /// - Only a one-shot urb, one the function names by a local (`urb`, `ctx.urbs[i]`), gives
    ///   its buffer to the completion (`member`): an urb the driver keeps in its object
    ///   (`d->irq`) is resubmitted or killed by the driver, which frees the buffer itself.
    func handedPlace(_ rule: TransferRule, call: Call) -> AccessPath? {
        guard rule.argument < call.arguments.count else { return nil }
        let argument = call.arguments[rule.argument].path.object
        if rule.pointerOnly, argument.isAddressOf { return nil }
        guard let member = rule.member else { return argument }
        guard let root = argument.rootVariable, root.storage == .local || root.storage == .temporary,
              !argument.steps.contains(where: { step in
                  if case .field(_, true) = step { return true }
                  return step == .deref
              }) else { return nil }
        return argument.appending(.field(member, arrow: true))
    }

    /// `also`: resources the argument named before the call's result overwrote it.
    func transfer(_ rule: TransferRule, call: Call, also: Set<Int> = [], in state: inout PathState) {
        guard let key = handedPlace(rule, call: call) else { return }
        let managed = rule.action.map { manageByAction($0, call: call, argument: rule.argument, in: &state) } ?? false
        let outcome: HeldResource.Outcome? = rule.success == .always ? nil : call.result.map {
            HeldResource.Outcome(variable: $0.path, success: rule.success)
        }
        let ids = handedOnIDs(rule, call: call, state: state).union(also)
        for i in state.held.indices where !state.held[i].managed && ids.contains(state.held[i].id) {
            state.held[i].pendingTransfer = HeldResource.Transfer(into: nil, outcome: outcome)
            // `hlist_add_head(&w->entry, …)` hands on `w`: a later `kfree(w)` (after
            // `hlist_del`) frees what the function took back, by the name it was held by.
            if outcome == nil && !managed { state.handedOn.formUnion(state.held[i].handles) }
        }
        // Released by hand after the framework took it over is a second release, not the
        // function taking back what it handed on.
        // Not under a name the call's result just took over (`retval = f(dev, retval)`).
        if !managed, !(call.result.map { key.mentions($0.path) } ?? false) {
            state.handedOn.insert(key)
            // Under the names the buffer has too (`buf` for `urb->transfer_buffer`): the
            // function may take it back by any of them once the completion ran.
            if rule.member != nil {
                if let stored = throughStores(canonical(key, state), state) { state.handedOn.insert(stored) }
                for resource in state.held where ids.contains(resource.id) { state.handedOn.formUnion(resource.handles) }
            }
        }
        handOnParameter(rule, call: call, outcome: outcome, in: &state)
        settleTransfers(in: &state)
    }

    /// `devm_add_action_or_reset(dev, fn, data)`: `fn(data)` runs at once if registering
    /// fails, and at unbind otherwise, so what `fn` releases of `data` (its pack entry or
    /// its summary) is managed from here on: never leaked, and released by hand it is
    /// released twice. What else `data` names is left to the transfer (handed on): what
    /// `fn` does to it cannot be seen.
    func manageByAction(_ action: Int, call: Call, argument: Int, in state: inout PathState) -> Bool {
        guard action < call.arguments.count, case .variable(let function) = call.arguments[action].kind,
              function.storage == .global, let releases = calls.releases(function.name) else { return false }
        let data = [call.arguments[argument]]
        var managedAny = false
        for rule in releases {
            guard let written = rule.handle.path(result: nil, arguments: data) else { continue }
            // The action's summary names places from its data down, as a release does
            // (`&iio_priv(data)->client->dev`): read them back through this path's names and
            // stores (`chip = iio_priv(indio_dev); chip->client = client` makes it `&client->dev`).
            // Read at the registration: a store to that field after it (`chip->client = aux`),
            // which the action would read when it runs, is not seen.
            let canonicalKey = canonical(written, state)
            let keys = [written, canonicalKey] + [throughStores(canonicalKey, state)].compactMap { $0 }
            for i in state.held.indices where rule.kinds.contains(state.held[i].kind)
                && !pack.locks.contains(state.held[i].kind)
                && keys.contains(where: { state.held[i].handles.contains($0) || state.held[i].handles.contains($0.object) }) {
                state.held[i].managed = true
                state.held[i].releasableByHand = false
                state.held[i].pendingTransfer = nil
                state.held[i].managedBy = call.callee
                managedAny = true
            }
        }
        return managedAny
    }

    /// Carries out transfers whose condition is met (or that had none).
    func settleTransfers(in state: inout PathState) {
        while let i = state.held.firstIndex(where: { $0.pendingTransfer != nil && $0.pendingTransfer!.outcome == nil }) {
            var moved = state.held.remove(at: i)
            let into = moved.pendingTransfer!.into
            moved.pendingTransfer = nil
            if let into, let j = state.held.firstIndex(where: { $0.id == into }) {
                state.held[j].contents.removeAll { $0.id == moved.id }
                state.held[j].contents.append(moved)
            }
        }
    }

    /// Taking again what this path already holds, of a kind whose acquisitions nest
    /// (`RulePack.nesting`: `clk_enable` on a clock the probe enabled) only counts up: the
    /// call succeeds, so a test of its result finds success and its error branch is no path.
    /// Known limit: one release after two such acquisitions is taken as balancing both.
    /// Not for elements (`clks[i]` names every element: the one held is another clock), nor
    /// for a helper's summary (it may fail for reasons of its own).
    func nestsOnHeld(_ rule: AcquireRule, call: Call, in state: PathState) -> Bool {
        guard rule.success != .always, !rule.resources.isEmpty, !rule.fromSummary else { return false }
        return rule.resources.allSatisfy { spec in
            guard pack.nesting.contains(spec.kind), spec.handle.single != .result else { return false }
            return state.held.contains { nestedOn($0, spec, call) }
        }
    }

    /// Whether `held` is what `spec` of this call takes again: same kind and handle, no
    /// element, not waiting on an untested result.
    func nestedOn(_ held: HeldResource, _ spec: ResourceSpec, _ call: Call) -> Bool {
        guard held.kind == spec.kind, held.pending == nil, held.elements == nil,
              let filled = spec.handle.path(result: call.result, arguments: call.arguments) else { return false }
        let key = scan.collective(filled)
        return !key.isCollection && held.handles.contains(key)
    }

    func nestedOn(_ held: HeldResource, _ rule: AcquireRule, _ call: Call) -> Bool {
        rule.resources.contains { nestedOn(held, $0, call) }
    }
}

extension Transfer {
    /// Whether `path` lies in an object of this function's own: named through a local, not
    /// through memory its caller reaches (a parameter, a global, `pci_get_drvdata(pdev)`),
    /// and inside something the path holds (`info` of `iio_priv(indio_dev)` once
    /// `iio_device_register(indio_dev)` holds the device, a `devm_kzalloc()`'d struct). An
    /// object the caller passed in (`pcim_enable_device(pdev)` holds `pdev`) outlives this
    /// function's failure.
    func insideOwnObject(_ path: AccessPath, _ state: PathState) -> Bool {
        let canonical = canonical(path, state)
        guard !reachesCaller(path), !reachesCaller(canonical) else { return false }
        return insideHeldObject(path, state) || insideHeldObject(canonical, state)
    }
}
