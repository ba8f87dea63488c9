/// A declared release's own body, held to its declaration.
///
/// Every caller of a release the pack declares trusts the declaration: `iunlockput(ip)`
/// drops the inode's lock and its reference (`combines: [iunlock, iput]`), `uvmfree(pt, sz)`
/// frees the page table and the mappings in it (`kind: pagetable, alsoReleases: [mapping]`).
/// A body that drops one of those parts on no path leaks it in every caller, and no caller
/// can show it: each sees the declaration, not the body.
///
/// The rule, from the pack's facts alone: the declared parts of a release are each kind it
/// names (`kinds`, `alsoReleases`, a `combines`'s parts) at its handle. A body that releases,
/// on some path, at least one declared part at its declared handle is a composition of
/// releases; a declared part it releases on no path is reported at the function's last
/// exit (`missing-release`).
///
/// A body that releases no declared part at all is the bottom of its stack, implementing its
/// kind by other means (`kfree` links the page into a free list, `freewalk` frees the table's
/// pages with `kfree`, `iput` counts down, `brelse` unlocks `&b->lock`), or a body that lost
/// its only release. Two kinds of such a body are judged: one that never lets the handle
/// out (`keptParameters`: only tests and reads through it, as `iunlock` reduced to its
/// sanity checks, or never uses it, as `uvmdealloc` without its `uvmunmap`), where nothing
/// can release the handle; and one that releases its own kind elsewhere (its children, by
/// recursion) and nothing of any kind at its handle (`releasesOthersOnly`: `freewalk`
/// without its `kfree(pagetable)`). Each declared part at it is reported.
///
/// Left alone, so that a correct body is never reported:
/// - a body that releases no declared part and lets its handle out in any way (a call, a
///   write through it, a copy, a return), or that does nothing at all (a stub);
/// - a part whose handle the body also hands on, releases under another name rooted at it
///   (`put_device(&pdev->dev)` for `platform_device_put(pdev)`), or passes to a call ladder
///   cannot see into: the part may be released there;
/// - rules merged from several packs (alternatives, as xv6's and Linux's `kfree`), and a
///   walk that did not cover the body (over budget).
///
/// Not seen: a part released at the wrong handle on some path and the right one on another
/// is taken as released; a body that releases each part only on some paths is not asked
/// to release them on the same ones.
enum DeclaredReleaseBody {
    struct Part: Hashable {
        var kind: ResourceKind
        var handle: PathTemplate
    }

    /// The events for the declared parts this body releases on no path.
    static func unreleasedParts(_ function: Function, _ result: FunctionAnalysis.Result, calls: CallSemantics) -> [AnalysisEvent] {
        let pack = calls.pack
        guard let rules = pack.releases[function.name], !rules.isEmpty, Set(rules.map(\.pack)).count == 1,
              !result.pathInsensitive, result.error == nil else { return [] }
        var declared: [Part] = []
        for rule in rules {
            for kind in rule.kinds + rule.alsoReleases where !declared.contains(Part(kind: kind, handle: rule.handle)) {
                declared.append(Part(kind: kind, handle: rule.handle))
            }
        }
        // What the body releases on some path, each release with the kinds its rule adds
        // (`uvmfree` inside `proc_freepagetable` also unmaps).
        var released: Set<Part> = []
        var otherNames: Set<Int> = []
        var handedOn: Set<Int> = []
        func releases(_ kinds: [ResourceKind], at template: PathTemplate) {
            for kind in kinds { released.insert(Part(kind: kind, handle: template)) }
            if !declared.contains(where: { $0.handle == template }) { otherNames.formUnion(template.arguments) }
        }
        for exit in result.exits {
            for release in exit.parameterReleases {
                let also = (calls.releases(release.call) ?? []).filter { $0.kinds.contains(release.kind) }.flatMap(\.alsoReleases)
                releases([release.kind] + also, at: release.template)
            }
            handedOn.formUnion(exit.parameterHandOffs.map(\.parameter))
        }
        // Bulk releases of what the path does not hold (`uvmunmap(pagetable, …)`) leave no
        // parameter release behind (`Release.classifyNotHeld` is not asked), so the calls are
        // read as written too: a release call in the body is a release on some path.
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee, let rules = calls.releases(callee) else { continue }
                for rule in rules {
                    guard let path = rule.handle.path(result: call.result, arguments: call.arguments),
                          let template = PathTemplate(abstracting: path, parameters: parameters) else { continue }
                    releases(rule.kinds + rule.alsoReleases, at: template)
                }
            }
        }
        let missing: [Part]
        if declared.contains(where: released.contains) {
            let lent = lentParameters(function, calls: calls)
            missing = declared.filter { part in
                guard !released.contains(part) else { return false }
                return part.handle.arguments.allSatisfy { !otherNames.contains($0) && !handedOn.contains($0) && !lent.contains($0) }
            }
        } else if releasesOthersOnly(function, declared: declared, parameters: parameters, calls: calls) {
            // It releases its own kind elsewhere (its children, by recursion) and nothing at
            // all at its handle: the walk lost the release of the object itself.
            missing = declared.filter { !$0.handle.arguments.isEmpty }
        } else {
            // No declared part released: the bottom of a stack, or a body that lost its only
            // release. Only a handle the body never lets out tells them apart.
            let kept = keptParameters(function, calls: calls)
            missing = declared.filter { part in
                !part.handle.arguments.isEmpty && part.handle.arguments.allSatisfy(kept.contains)
            }
        }
        // A body that touches no resource is not walked (`FunctionPrescan`): its returns are
        // read off the graph.
        let last = result.exits.isEmpty
            ? function.lastReturnLocation
            : result.exits.map(\.snapshot.location).max(by: { $0.line < $1.line })
        guard !missing.isEmpty, let last else { return [] }
        let named = parameters.map(Expr.variable)
        return missing.map { part in
            // The handle as the body spells it: `{0}` filled with the first parameter.
            let handle = part.handle.path(result: nil, arguments: named)?.description ?? part.handle.description
            return .declaredPartUnreleased(function: function.name, kind: part.kind, handleText: handle, location: last)
        }
    }

    /// A body that releases a declared kind of its own at some handle not rooted at its
    /// parameters (`freewalk((pagetable_t)child)` for each lower-level table), and makes no
    /// release of any kind at a handle rooted at them (xv6's `freewalk` ends in
    /// `kfree(pagetable)`, a page release of its own table). Such a walk releases the parts
    /// below it; the object itself is then released by nothing. Nor is a handle given to a
    /// call ladder cannot see into: that call may free it.
    static func releasesOthersOnly(_ function: Function, declared: [Part], parameters: [Variable],
                                   calls: CallSemantics) -> Bool {
        let kinds = Set(declared.map(\.kind))
        var elsewhere = false
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee else { return false }
                if calls.isOpaque(callee), call.arguments.contains(where: { a in parameters.contains { a.path.mentions($0) } }) {
                    return false
                }
                for rule in calls.releases(callee) ?? [] {
                    guard let path = rule.handle.path(result: call.result, arguments: call.arguments) else { continue }
                    if parameters.contains(where: { path.mentions($0) }) { return false }
                    if !kinds.isDisjoint(with: rule.kinds) { elsewhere = true }
                }
            }
        }
        return elsewhere
    }

    /// Parameters the body only reads: tested, compared, read through (`ip->ref`), or passed
    /// to a pack predicate or lock query (`holdingsleep(&ip->lock)`), and nothing else. Such a
    /// body cannot release what the parameter names, by a call or by other means: a
    /// parameter passed to any other call (`memset(pa, …)`, `__sync_lock_release(&lk->locked)`,
    /// even `panic` or `printk`), written through or reassigned (`ip->ref--`, the way
    /// reference counts and spinlocks are dropped), stored or copied by value or by an
    /// address rooted at it (`r = (struct run *)pa` onto a free list), or returned, is let
    /// out and may be released that way.
    ///
    /// A body with no call and no test at all is a stub (a release compiled out of a
    /// configuration, on purpose empty) and keeps nothing: it is left alone.
    ///
    /// Not seen: a release hidden in an expression the front end keeps whole (inline
    /// assembly is opaque: it mentions no parameter, and such a body is reported).
    static func keptParameters(_ function: Function, calls: CallSemantics) -> Set<Int> {
        let pack = calls.pack
        let doesSomething = function.blocks.contains { block in
            if case .branch = block.terminator { return true }
            return block.statements.contains { if case .call = $0 { true } else { false } }
        }
        guard doesSomething else { return [] }
        var kept = Set(function.parameters.indices)
        for (i, parameter) in function.parameters.enumerated() {
            let variable = Variable(parameter.name, .parameter)
            // A read of a place inside the object (`ip->ref`, `pt[i]`), not of its address.
            func readsThrough(_ expr: Expr) -> Bool {
                expr.path.rootVariable == variable && !expr.path.steps.isEmpty && !expr.path.isAddressOf
            }
            // A test's truth value (`ip == 0`, `!pa`) is not the object.
            func tests(_ expr: Expr) -> Bool {
                switch expr.kind {
                case .binary(let op, _, _): op.isComparison
                case .unary(.logicalNot, _): true
                default: false
                }
            }
            func letsOut(_ expr: Expr) -> Bool { expr.path.mentions(variable) && !readsThrough(expr) && !tests(expr) }
            for block in function.blocks {
                for statement in block.statements {
                    switch statement {
                    case .call(let call):
                        let query = call.callee.map { pack.lockQueries[$0] != nil || pack.predicates[$0] != nil } ?? false
                        if !query && call.arguments.contains(where: { $0.path.mentions(variable) }) { kept.remove(i) }
                    case .assign(let target, let value, _):
                        if target.path.mentions(variable) || letsOut(value) { kept.remove(i) }
                    }
                }
                if case .return(let value?, _) = block.terminator, value.path.mentions(variable) { kept.remove(i) }
            }
        }
        return kept
    }

    /// Parameters passed, as they are or by a name rooted at them, to a call ladder cannot
    /// see into.
    static func lentParameters(_ function: Function, calls: CallSemantics) -> Set<Int> {
        var lent: Set<Int> = []
        for block in function.blocks {
            for case .call(let call) in block.statements where call.callee.map(calls.isOpaque) ?? true {
                for argument in call.arguments {
                    guard let root = argument.path.object.rootVariable, root.storage == .parameter,
                          let i = function.parameters.firstIndex(where: { $0.name == root.name }) else { continue }
                    lent.insert(i)
                }
            }
        }
        return lent
    }
}
