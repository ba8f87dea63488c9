/// Escape analysis at a `return` that is not an error exit: of what the path still holds,
/// what the caller (or a longer-lived object) now owns, and what is simply forgotten.
///
/// A resource escapes when it is returned (directly, or inside a returned object: the
/// exit record's `returned`), stored into memory that outlives the call, handed to a call
/// that takes ownership (a pack transfer or a summary: those are gone from `held` already),
/// or covered by the function's "returns holding" contract. Stores into a parameter's or a
/// global's memory drop the resource from `held` as they happen; what remains to decide
/// here is a resource still *named* through memory the caller reaches, which on an error
/// exit must still be undone but on a success exit is the caller's: a mapping in the
/// caller's page table, `*out`, a buffer in a `devm_` object, a clock hanging off an
/// object this path already handed on.
///
/// Locks (the pack's `locks:`) never escape that way: a lock held at a non-error return is
/// a leak unless the function's contract is to return holding it — by the pack's word, or
/// by its shape when its callers agree (`heldForCallers`, `HeldForCaller`).
///
/// A callback whose partner in an ops table drops a kind (`PairedCallbacks`: `open` and
/// `release`) keeps what it holds of that kind at a success return, lock or not.
///
/// What it cannot see: a callee with no pack entry and no summary that keeps its argument
/// (a registration function in another file) looks like a call that borrows it.
extension Transfer {
    /// Ids of the resources held in `state` that are named through memory the caller
    /// reaches, or hang off an object this path handed on or a managed object.
    func reachingCaller(_ state: PathState) -> Set<Int> {
        let managedNames = Set(state.held.filter(\.managed).flatMap(\.handles))
        let heldNames = Set(state.held.filter { !$0.managed }.flatMap(\.handles))
        var ids: Set<Int> = []
        for resource in state.held where !pack.locks.contains(resource.kind) {
            let reaches = resource.handles.contains { handle in
                if reachesCaller(handle) { return true }
                // In or hanging off an object handed on (a mapping in a page table stored in
                // `p->pagetable`), or one the device owns (`devm_`).
                let root = handle.rootPath
                if state.handedOn.contains(root) || managedNames.contains(root) { return true }
                guard !handle.steps.isEmpty else { return false }
                // Reached through a pointer this function does not own (`p = myproc()`,
                // `priv = container_of(…)`): the object outlives the call, as a store
                // through such a pointer does (`staysLocal`).
                return root.rootVariable != nil && !heldNames.contains(root) && !state.freedHolders.contains(root)
            }
            if reaches { ids.insert(resource.id) }
        }
        return ids
    }

    /// Whether a name is the caller's own object or an address inside it (`pdev`,
    /// `&pdev->dev`), as opposed to a value read out of the caller's memory (`pdev->priv`),
    /// which may be something this function put there. What such a name holds (runtime PM
    /// enabled on `&pdev->dev`) is a state of the caller's object: storing a pointer to it,
    /// or handing on an object that keeps one (`dmac->dev = &pdev->dev`), moves nothing.
    func namesCallersObject(_ path: AccessPath) -> Bool {
        guard case .variable(let v) = path.root, v.storage == .parameter || v.storage == .global else { return false }
        return path.steps.isEmpty || path.isAddressOf
    }

    /// Whether a name reaches memory the caller can see: rooted at a parameter (its object,
    /// an out-parameter, what it points to), a global, something the pack names, or a call
    /// on such names (`netdev_priv(dev)`, `platform_get_irq(pdev, 0)`).
    func reachesCaller(_ path: AccessPath) -> Bool {
        switch path.root {
        case .variable(let v): v.storage == .parameter || v.storage == .global
        // A constant names the same thing everywhere (an I/O port, a fixed address): the
        // module's exit function releases `request_region(0x2e0, …)` by the same number.
        case .named, .constant: true
        case .call(_, let arguments): arguments.contains(where: reachesCaller)
        case .anyElement, .operation: false
        }
    }
}

/// The locks a function returns holding on purpose:
/// - declared: the pack's acquire entry for the function names the lock's kind (xv6's
///   `allocproc` with `p->lock`). Only that kind: `iget` is an acquisition of an inode
///   reference, and returning with `itable.lock` held would still be its bug;
/// - a locked object returned: every non-error exit holds a lock inside the returned value
///   (xv6's `create` returns its inode locked);
/// - a lock helper: every non-error exit holds a lock the caller can name (through a
///   parameter or a global), dropped only on error exits if at all (`mlxbf2_gpio_lock_acquire`
///   returns 0 holding two locks its `_release` partner drops). A success path that forgot
///   the release looks the same when it is the only one: ladder gives it the benefit;
/// - a conditional lock: a `bool` function (or an integer one that returns only 0 and 1) that
///   holds it exactly when it returns true.
/// All but the first are inferred from the function's shape, which a success path that
/// forgot its release shares: they stand only when a caller in view agrees, or no caller
/// is in view (`HeldForCaller`); until the callers are known their leaks are held back.
struct ReturnContracts {
    private let declared: Set<ResourceKind>
    /// Locks held at every non-error exit: (kind, a name they all share).
    private let always: [(ResourceKind, Set<AccessPath>)]
    private let whenTrue: [(ResourceKind, Set<AccessPath>)]
    /// Locks some non-error exit holds on a path that took a `goto` after taking them: a
    /// lock helper has no cleanup to jump over, so the every-return shape reached that way
    /// is that of an `out:`/`unlock:` label whose unlock was forgotten (`weakened`).
    private let jumped: [(ResourceKind, Set<AccessPath>)]

    /// The pack says the function returns an object (`bread`'s `buf` at `{ret}`).
    private let returnsDeclaredObject: Bool

    init(function: Function, pack: RulePack, exits: [FunctionAnalysis.ExitRecord]) {
        declared = Set(pack.acquires[function.name]?.resources.map(\.kind) ?? [])
        returnsDeclaredObject = pack.acquires[function.name]?.resources.contains { $0.handle.single == .result } == true
        always = Self.shared(exits.map { $0.heldLocks(pack) })
        jumped = exits.flatMap { $0.heldLocks(pack) }.filter { $0.lastGoto != nil }.map { ($0.kind, Set($0.handles)) }
        let spelling = function.returnType.spelling
        // An integer every non-error return of which is 0 or 1 is a bool by another name
        // (a trylock-style `int foo_lock_if_idle()`).
        let integer = function.returnType.shape == .signedInteger || function.returnType.shape == .unsignedInteger
        let zeroOrOne = !exits.isEmpty && exits.allSatisfy { $0.value?.exact == 0 || $0.value?.exact == 1 }
        if spelling == "bool" || spelling == "_Bool" || (integer && zeroOrOne) {
            let yes = exits.filter { $0.value?.exact == 1 }
            let no = exits.filter { $0.value?.exact == 0 }
            let shared = Self.shared(yes.map { $0.heldLocks(pack) })
            whenTrue = shared.filter { kind, names in
                !no.contains { $0.heldLocks(pack).contains { $0.kind == kind && !names.isDisjoint(with: $0.handles) } }
            }
        } else {
            whenTrue = []
        }
    }

    /// The locks of the same kind that every one of `sets` holds under a common name.
    private static func shared(_ sets: [[HeldResource]]) -> [(ResourceKind, Set<AccessPath>)] {
        guard let first = sets.first else { return [] }
        var result: [(ResourceKind, Set<AccessPath>)] = []
        for lock in first {
            var names = Set(lock.handles)
            for other in sets.dropFirst() {
                let match = other.filter { $0.kind == lock.kind }.map { names.intersection($0.handles) }.first { !$0.isEmpty }
                names = match ?? []
                if names.isEmpty { break }
            }
            if !names.isEmpty { result.append((lock.kind, names)) }
        }
        return result
    }

    /// Whether some non-error exit holds `lock` (its kind, a shared name) after a `goto`.
    func reachedByGoto(_ lock: HeldResource) -> Bool {
        jumped.contains { $0.0 == lock.kind && !$0.1.isDisjoint(with: lock.handles) }
    }

    /// Where a contract to return holding a lock comes from: the pack's word stands alone;
    /// the function's shape stands only if its callers agree (`HeldForCaller`).
    enum Source { case declared, inferred }

    /// Whether returning with `lock` held is what the function is for, and on whose word.
    /// `inReturned`: the lock is inside the returned value; `nameable`: the caller can name
    /// it otherwise.
    func covers(_ lock: HeldResource, inReturned: Bool, nameable: Bool) -> Source? {
        if declared.contains(lock.kind) { return .declared }
        let matches: ((ResourceKind, Set<AccessPath>)) -> Bool = { $0.0 == lock.kind && !$0.1.isDisjoint(with: lock.handles) }
        // A lock inside the object the pack says the function returns, held at every success
        // return, is part of what the pack declares (`bread` returns a *locked* buffer, and
        // `brelse` unlocks it): the pack's release pairs with it, not a caller's unlock.
        if returnsDeclaredObject && inReturned && always.contains(where: matches) { return .declared }
        if always.contains(where: matches) && (inReturned || nameable) { return .inferred }
        return (nameable || inReturned) && whenTrue.contains(where: matches) ? .inferred : nil
    }
}

extension FunctionAnalysis.ExitRecord {
    /// The locks held at this exit, returned with the value or not.
    func heldLocks(_ pack: RulePack) -> [HeldResource] {
        (snapshot.held + returned).filter { pack.locks.contains($0.kind) }
    }
}

/// What leaks at one non-error exit: the held resources that did not escape.
struct EscapeAnalysis {
    let transfer: Transfer
    var contracts: ReturnContracts { body.value.contracts }
    /// Objects with a lock inside them that the function takes or drops (`&np->lock`): a
    /// lock in an object exists because other threads reach it (xv6's proc table, a
    /// device's state), so on success it, and what hangs off it, is shared, not leaked.
    var lockedObjects: Set<AccessPath> { body.value.lockedObjects }
    /// Kinds a paired callback drops (`PairedCallbacks`): kept at every success return, for
    /// locks too, ahead of every rule below.
    var keptForPartner: Set<ResourceKind> { body.value.keptForPartner }

    init(transfer: Transfer, nonErrorExits: [FunctionAnalysis.ExitRecord]) {
        self.transfer = transfer
        body = Memo { Body(transfer: transfer, nonErrorExits: nonErrorExits) }
    }

    /// What the function's body says about its exits, read off it the first time an exit
    /// holds something: most walks end with nothing held at any exit, and ask nothing. The
    /// properties above read through to it (a class, so each read shares it, not copies it).
    private let body: Memo<Body>

    private final class Body {
        let contracts: ReturnContracts
        let lockedObjects: Set<AccessPath>
        let keptForPartner: Set<ResourceKind>
        let dropped: [ResourceKind: Set<AccessPath>]
        let callerNamed: Set<AccessPath>
        let lent: [AccessPath: Set<SourceLocation>]
        let lentObjects: [AccessPath: Set<SourceLocation>]
        let copiedContents: [AccessPath: Set<SourceLocation>]
        let givenToBodies: Set<AccessPath>

        init(transfer: Transfer, nonErrorExits: [FunctionAnalysis.ExitRecord]) {
            keptForPartner = Set(transfer.function.partners?.kept ?? [])
            contracts = ReturnContracts(function: transfer.function, pack: transfer.pack, exits: nonErrorExits)
            var objects: Set<AccessPath> = []
            let locks = transfer.pack.locks
            for block in transfer.function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee else { continue }
                    var templates: [PathTemplate] = []
                    for rule in transfer.calls.releases(callee) ?? [] where rule.kinds.contains(where: locks.contains) {
                        templates.append(rule.handle)
                    }
                    for spec in transfer.calls.acquire(callee)?.resources ?? [] where locks.contains(spec.kind) {
                        templates.append(spec.handle)
                    }
                    for template in templates {
                        guard let path = template.path(result: call.result, arguments: call.arguments), !path.steps.isEmpty,
                              path.rootVariable != nil else { continue }
                        objects.insert(path.rootPath)
                    }
                }
            }
            lockedObjects = objects
            var dropped: [ResourceKind: Set<AccessPath>] = [:]
            for block in transfer.function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee else { continue }
                    for rule in transfer.calls.releases(callee) ?? [] {
                        guard let path = rule.handle.path(result: call.result, arguments: call.arguments) else { continue }
                        for kind in rule.kinds where locks.contains(kind) { dropped[kind, default: []].insert(path) }
                    }
                }
            }
            self.dropped = dropped
            var named: Set<AccessPath> = []
            for block in transfer.function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee, transfer.pack.pure.contains(callee), let result = call.result,
                          call.arguments.allSatisfy({ transfer.reachesCaller($0.path) || $0.constantValue != nil }) else { continue }
                    named.insert(result.path)
                }
            }
            callerNamed = named
            let borrowed = EscapeAnalysis.borrowed(transfer, successReturns: Set(nonErrorExits.map(\.snapshot.location)))
            var lent: [AccessPath: Set<SourceLocation>] = [:]
            var lentObjects: [AccessPath: Set<SourceLocation>] = [:]
            var returnsAfter: [BlockID: Set<SourceLocation>] = [:]
            func after(_ block: BlockID) -> Set<SourceLocation> {
                if let known = returnsAfter[block] { return known }
                let found = EscapeAnalysis.returns(after: block, in: transfer.function)
                returnsAfter[block] = found
                return found
            }
            var copied: [AccessPath: Set<SourceLocation>] = [:]
            for block in transfer.function.blocks {
                for (index, statement) in block.statements.enumerated() {
                    guard case .call(let call) = statement, let callee = call.callee else { continue }
                    if transfer.pack.copies.contains(callee), call.arguments.count > 1 {
                        // A byte copy keeps neither pointer. A source that is a variable's own
                        // address (`&rsa`) copies that variable, and what hangs off it, to the
                        // destination; any other source copies what its object holds.
                        let source = call.arguments[1].path.object
                        if source.steps == [.addressOf], source.rootVariable != nil {
                            lentObjects[source.rootPath, default: []].formUnion(after(block.id))
                        } else {
                            copied[source.rootPath, default: []].formUnion(after(block.id))
                        }
                        continue
                    }
                    guard transfer.calls.isOpaque(callee) else { continue }
                    for argument in call.arguments {
                        let path = argument.path.object
                        if borrowed(path, Position(block: block.id, statement: index)) { continue }
                        lent[path, default: []].formUnion(after(block.id))
                        // The object itself, or an address inside it (`&priv->wdd`, from which
                        // `container_of` gets back to priv): all that hangs off it is reachable.
                        if path.steps.isEmpty || path.isAddressOf { lentObjects[path.rootPath, default: []].formUnion(after(block.id)) }
                    }
                }
            }
            self.lent = lent
            self.lentObjects = lentObjects
            self.copiedContents = copied
            var given: Set<AccessPath> = []
            for block in transfer.function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee, transfer.calls.bodies.contains(callee) else { continue }
                    for argument in call.arguments { given.insert(argument.path.object) }
                }
            }
            givenToBodies = given
        }
    }

    /// Whether a call at `at` given `path` only borrowed it: the function itself releases
    /// that very name after the call, on a path that goes on to a success return (a buffer
    /// a firmware query fills, then `kfree(buf)` once the answer is printed). Had the call
    /// kept it, that release would free what the call still uses. A release reached only
    /// on the way to an error return says nothing: undoing a registration that failed
    /// (`if (ret) { kfree(table); return ret; }`) is what a keeping call needs too.
    static func borrowed(_ transfer: Transfer, successReturns: Set<SourceLocation>) -> (AccessPath, Position) -> Bool {
        let function = transfer.function
        var releases: [AccessPath: [Position]] = [:]
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee else { continue }
                for rule in transfer.calls.releases(callee) ?? [] {
                    if let path = rule.handle.path(result: call.result, arguments: call.arguments) {
                        releases[path, default: []].append(Position(block: block.id, statement: index))
                    }
                }
            }
        }
        guard !releases.isEmpty else { return { _, _ in false } }
        let successBlocks = Set(function.blocks.filter { block in
            if case .return(_, let location) = block.terminator { return successReturns.contains(location) }
            return false
        }.map(\.id))
        var reachesSuccess: [BlockID: Bool] = [:]
        func goesOnToSuccess(_ block: BlockID) -> Bool {
            if let known = reachesSuccess[block] { return known }
            let found = successBlocks.contains(block)
                || function.firstReachable(from: function.blocks[block].terminator.successors, where: successBlocks.contains) != nil
            reachesSuccess[block] = found
            return found
        }
        var after: [BlockID: Set<BlockID>] = [:]
        return { path, at in
            guard let positions = releases[path] else { return false }
            if after[at.block] == nil { after[at.block] = function.reachableBlocks(from: function.blocks[at.block].terminator.successors) }
            return positions.contains { release in
                let follows = (release.block == at.block && release.statement > at.statement) || after[at.block]!.contains(release.block)
                return follows && goesOnToSuccess(release.block)
            }
        }
    }

    /// Locks the function itself releases somewhere, by kind and name. A lock held at a
    /// success exit is judged only when the function shows it is to be dropped before
    /// returning: one it never drops is kept on purpose for a partner (a watchdog's
    /// `start` takes the runtime-PM reference its `stop` puts, `resume` retakes what
    /// `suspend` dropped), which ladder, seeing one function at a time, cannot pair. A kind
    /// the pack says no one keeps (`RulePack.neverKept`, xv6's spinlocks) is judged anyway.
    var dropped: [ResourceKind: Set<AccessPath>] { body.value.dropped }

    /// Variables holding a `pure` call's answer about the caller's objects
    /// (`irq = platform_get_irq(pdev, 0)`): the caller, or its `remove`, names the same
    /// thing by asking again, so what is registered under it is not lost.
    var callerNamed: Set<AccessPath> { body.value.callerNamed }

    /// Names passed to calls ladder cannot see into, and the objects such a call can reach
    /// whole, each with the returns a path can go on to after the call. Otherwise
    /// path-insensitive on purpose: a leak is only reported when no unknown call could have
    /// kept the resource; a call only a success path makes after the failing step
    /// (`of_clk_add_hw_provider(…, clk_data)` below the last `goto err`) cannot have kept
    /// it on the way to the error label.
    var lent: [AccessPath: Set<SourceLocation>] { body.value.lent }
    var lentObjects: [AccessPath: Set<SourceLocation>] { body.value.lentObjects }
    /// Objects a byte copy (`RulePack.copies`) read, with the returns after it: what hangs
    /// off them may now live in the destination too; the objects themselves stay the
    /// function's.
    var copiedContents: [AccessPath: Set<SourceLocation>] { body.value.copiedContents }
    /// Names passed to functions of the unit: their summaries may free or keep an argument
    /// on some returns only (`igc_cleanup_headers()` frees the skb when it returns true), so
    /// a name overwritten after such a call is no certain loss.
    var givenToBodies: Set<AccessPath> { body.value.givenToBodies }

    /// Whether the resource, or an object it hangs off, went to a call that may keep it
    /// before the return at `exit`.
    func mayBeKept(_ resource: HeldResource, at exit: SourceLocation) -> Bool {
        resource.handles.contains { lentBefore($0, exit) }
    }

    private func lentBefore(_ name: AccessPath, _ exit: SourceLocation) -> Bool {
        lent[name]?.contains(exit) == true || lentObjects[name.rootPath]?.contains(exit) == true
            || (!name.steps.isEmpty && copiedContents[name.rootPath]?.contains(exit) == true)
    }

    /// The returns reachable from a block, itself included.
    static func returns(after block: BlockID, in function: Function) -> Set<SourceLocation> {
        Set(function.reachableBlocks(from: [block]).compactMap { id -> SourceLocation? in
            if case .return(_, let location) = function.blocks[id].terminator { location } else { nil }
        })
    }

    /// The locks held at a non-error exit, with the contract that covers each and whether
    /// the function also drops it somewhere.
    private func heldLocks(at exit: FunctionAnalysis.ExitRecord) -> [(HeldResource, ReturnContracts.Source?, droppedHere: Bool, weakened: Bool)] {
        let returnedRoot = exit.snapshot.returned?.path.rootPath
        return (exit.snapshot.held + exit.returned).compactMap { resource in
            guard transfer.pack.locks.contains(resource.kind) else { return nil }
            let droppedHere = dropped[resource.kind].map({ !$0.isDisjoint(with: resource.handles) }) == true
            let nameable = resource.handles.contains(where: transfer.reachesCaller)
            let inReturned = returnedRoot != nil && resource.handles.contains { $0.rootPath == returnedRoot }
            var source = contracts.covers(resource, inReturned: inReturned, nameable: nameable)
            // The every-return shape reached through a `goto` over the work done under a lock
            // no one keeps is only a partial contract: a caller in view must confirm it.
            let weakened = source == .inferred && transfer.pack.neverKept.contains(resource.kind) && contracts.reachedByGoto(resource)
            if weakened { source = nil }
            return (resource, source, droppedHere, weakened)
        }
    }

    /// The locks held at this exit on the function's shape alone, each with its contract in
    /// the caller's terms: leaks unless a caller agrees (`HeldForCaller`). A lock the
    /// function never drops is one too: a helper (`ilock`) or a success path whose only
    /// release was forgotten, which the callers tell apart (`ContractSettlement`).
    func heldForCallers(at exit: FunctionAnalysis.ExitRecord) -> [(HeldResource, HeldForCaller)] {
        heldLocks(at: exit).compactMap { resource, source, droppedHere, weakened in
            // Kept for the paired callback that drops it: the partner, not a caller, agrees.
            guard !keptForPartner.contains(resource.kind), let template = callerTemplate(resource, at: exit) else { return nil }
            if source == .inferred { return (resource, HeldForCaller(kind: resource.kind, lock: template)) }
            // No contract by shape, and the function never drops it: a helper that locks only
            // when there is something to lock, or a forgotten only unlock. Callers decide.
            guard source == nil, isPartial(resource, droppedHere: droppedHere, weakened: weakened) else { return nil }
            return (resource, HeldForCaller(kind: resource.kind, lock: template, partial: true))
        }
    }

    /// A lock held with no contract at a non-error return of a function that never drops it,
    /// of a kind no one keeps: a partial contract, left to the callers (`HeldForCaller.partial`).
    /// A kind others may keep (a runtime-PM reference) is kept for a partner instead.
    private func isPartial(_ lock: HeldResource, droppedHere: Bool, weakened: Bool) -> Bool {
        (!droppedHere || weakened) && transfer.pack.neverKept.contains(lock.kind)
    }

    /// The lock as the caller names it: inside the returned value, through a parameter, or a
    /// global (or a pack-named thing) as it is.
    private func callerTemplate(_ lock: HeldResource, at exit: FunctionAnalysis.ExitRecord) -> PathTemplate? {
        if let value = exit.snapshot.returned?.path,
           let handle = lock.handles.sorted(by: { $0.description < $1.description }).first(where: { $0.rootPath == value.rootPath }),
           handle.rootPath == value || handle == value {
            return PathTemplate(handle: handle, returned: value)
        }
        let parameters = transfer.function.parameters.map { Variable($0.name, .parameter) }
        for handle in lock.handles.sorted(by: { $0.description < $1.description }) where transfer.reachesCaller(handle) {
            if let template = PathTemplate(abstracting: handle, parameters: parameters) { return template }
            switch handle.root {
            case .variable(let v) where v.storage == .global: return PathTemplate(.path(handle))
            case .named, .constant: return PathTemplate(.path(handle))
            default: continue
            }
        }
        return nil
    }

    /// Whether another function of the file drops this very place, as written there, and
    /// never takes it (`CallbackPartners.droppedElsewhere`): a kind someone may keep, held at a
    /// success return, is then kept for that later call (a sensor's `stop_streaming` puts
    /// `&client->dev`, which `start_streaming` keeps; a DMA completion puts what
    /// `issue_pending` got). By place, not kind: a `remove` that puts `&pdev->dev` keeps
    /// nothing a `show(dev)` forgot, nor an `up(&d->done)` a forgotten `up(&d->lock)`.
    func keptForLater(_ resource: HeldResource) -> Bool {
        guard !transfer.pack.neverKept.contains(resource.kind), let later = transfer.function.partners?.droppedElsewhere,
              !later.isEmpty else { return false }
        return resource.handles.contains { later.contains(DroppedPlace(kind: resource.kind, handle: $0.description)) }
    }

    func leaks(at exit: FunctionAnalysis.ExitRecord) -> [HeldResource] {
        let pack = transfer.pack
        var leaked: [HeldResource] = []
        // A lock the function never drops is kept for a partner, unless the pack says no
        // one keeps its kind (`RulePack.neverKept`: a forgotten only release).
        // A lock it never drops that the caller can name waits for the callers instead
        // (`heldForCallers`, a partial contract); one they cannot name leaks here.
        for (resource, source, droppedHere, weakened) in heldLocks(at: exit)
        where (droppedHere || pack.neverKept.contains(resource.kind)) && source == nil && !keptForPartner.contains(resource.kind)
            && !keptForLater(resource) {
            if isPartial(resource, droppedHere: droppedHere, weakened: weakened) && callerTemplate(resource, at: exit) != nil { continue }
            leaked.append(resource)
        }
        // Locks were judged above; what a partner drops is kept.
        let objects = (exit.snapshot.held + exit.returned).filter {
            !keptForPartner.contains($0.kind) && !pack.locks.contains($0.kind)
        }
        var escaped = Set(objects.filter { resource in
            // What a failed helper left for this function to undo is not kept by being in
            // its objects once the path saw the helper fail: that is where the helper left it
            // (`HandedToCaller`; sunxi's request callback completes the failed request and
            // returns with the scatterlist still mapped).
            if resource.leftByHelper?.failed == true { return exit.returned.contains { $0.id == resource.id } }
            // Every name overwritten (an older loop instance, `pa = kalloc()` again): what
            // became of it cannot be told from names, and the newest instance, still named,
            // speaks for the site. Not one whose last name was overwritten with a constant
            // (`bw_data = NULL`): that one is lost, unless a call that may keep it had it or a
            // function of the unit was given it (`givenToBodies`).
            let lostHere = !resource.lostNames.isEmpty
                && !resource.lostNames.contains { lentBefore($0, exit.snapshot.location) || givenToBodies.contains($0) }
            return (resource.handles.isEmpty && !lostHere) || resource.storedByCallee
                || exit.returned.contains { $0.id == resource.id } || exit.reachingCaller.contains(resource.id)
                || resource.handles.contains { lockedObjects.contains($0.rootPath) || callerNamed.contains($0) } || mayBeKept(resource, at: exit.snapshot.location)
        }.map(\.id))
        // Needing something no longer held, and not released early on this path, is
        // needing something handed on (`request_irq(…, host)` after `host` was registered):
        // it is kept with it.
        let present = Set((exit.snapshot.held + exit.returned).map(\.id))
        for resource in objects where !escaped.contains(resource.id) {
            let releasedEarly = exit.snapshot.pendingOrders.contains { $0.dependent.id == resource.id }
            if !releasedEarly && !resource.dependsOn.isSubset(of: present) { escaped.insert(resource.id) }
        }
        // What an escaped resource needs must outlive it (the `priv` an irq was requested
        // with), and what lives in an escaped one goes with it (mappings in a page table
        // the caller keeps, the enable count of a kept clock).
        var changed = true
        while changed {
            changed = false
            for resource in objects where !escaped.contains(resource.id) {
                let needed = objects.contains { escaped.contains($0.id) && $0.dependsOn.contains(resource.id) }
                if needed || !resource.dependsOn.isDisjoint(with: escaped) {
                    escaped.insert(resource.id)
                    changed = true
                }
            }
        }
        return leaked + objects.filter { !escaped.contains($0.id) }
    }
}
