/// What a declared constructor puts at fixed addresses into the object it returns, held
/// against the release the pack names as its undo.
///
/// xv6's `proc_pagetable` maps the trampoline and the trapframe at constant addresses into
/// every process's page table, and the pack names `proc_freepagetable` as its undo (the
/// acquisition's fix). `uvmfree(pagetable, sz)` frees only `[0, sz)`, the user memory, so
/// the undo must unmap both pages itself first; one it forgets is a mapping left in a table
/// being freed (`freewalk` panics on it), in every process that exits. Only the unit shows
/// both bodies, so each caller of the pair sees nothing.
///
/// Wrong (the trapframe stays mapped):
///
///     void proc_freepagetable(pagetable_t pagetable, uint64 sz)
///     {
///         uvmunmap(pagetable, TRAMPOLINE, 1, 0);
///         uvmfree(pagetable, sz);
///     }
///
/// Right: `uvmunmap(pagetable, TRAPFRAME, 1, 0);` before `uvmfree`.
///
/// The rule: for a constructor the pack declares (`{ret}` of some kind, with a fix naming
/// its undo), each acquisition in its body with a constant address range whose handle is
/// the value it returns (`mappages(pagetable, TRAMPOLINE, PGSIZE, …)`, `return
/// pagetable;`) is a part. The undo, when its body is in the same unit, must make a release
/// of that kind at its first parameter whose range is constant and covers the part
/// (`uvmunmap(pagetable, TRAMPOLINE, 1, 0)`); else it is reported at its last return
/// (`missing-release`). A release whose range is not constant (`[0, sz)`) covers nothing
/// here: what it spans depends on the caller. An undo that lends the table to a call
/// ladder cannot see into is left alone.
///
/// Not seen: parts at addresses that are not constants; parts put in on some success paths
/// only (each is required); an undo in another unit.
public struct ConstructorPart: Sendable, Hashable, Codable, Comparable {
    public var constructor: String
    public var kind: ResourceKind
    /// `[start, end)`, absolute.
    public var start: Int64
    public var end: Int64
    /// The start as the constructor spells it (`TRAPFRAME`).
    public var text: String

    public static func < (a: ConstructorPart, b: ConstructorPart) -> Bool {
        (a.constructor, a.start, a.kind) < (b.constructor, b.start, b.kind)
    }
}

struct ConstructorParts {
    let pack: RulePack

    /// The unit's undo functions, each with the parts its constructor puts in.
    func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        var parts: [String: Set<ConstructorPart>] = [:]
        for function in unit.functions {
            guard let rule = pack.acquires[function.name], !rule.managed else { continue }
            for spec in rule.resources where spec.handle.root == .result && spec.handle.steps.isEmpty {
                guard let undo = spec.fix.flatMap({ ReleaseCall($0.text)?.callee }) else { continue }
                parts[undo, default: []].formUnion(fixedParts(of: function, kind: spec.kind))
            }
        }
        guard !parts.isEmpty else { return unit }
        var result = unit
        for i in result.functions.indices {
            guard let found = parts[result.functions[i].name], !found.isEmpty else { continue }
            result.functions[i].constructorParts = Array(Set(result.functions[i].constructorParts ?? []).union(found)).sorted()
        }
        return result
    }

    /// Acquisitions of another kind with a constant range into a value the function returns.
    private func fixedParts(of function: Function, kind: ResourceKind) -> [ConstructorPart] {
        var returned: Set<AccessPath> = []
        for block in function.blocks {
            if case .return(let value?, _) = block.terminator, value.constantValue == nil { returned.insert(value.path) }
        }
        var found: [ConstructorPart] = []
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee, let rule = pack.acquires[callee], let range = rule.range else { continue }
                let span = range.resolve(call.arguments)
                guard let lo = span.absoluteStart, let hi = span.hi, hi.base == nil, case .argument(let at) = range.start,
                      at < call.arguments.count else { continue }
                for spec in rule.resources where spec.kind != kind {
                    guard let handle = spec.handle.path(result: call.result, arguments: call.arguments), returned.contains(handle) else { continue }
                    found.append(ConstructorPart(constructor: function.name, kind: spec.kind, start: lo, end: hi.offset,
                                                 text: call.arguments[at].text))
                }
            }
        }
        return found
    }

    /// The parts the undo `function` releases on no path.
    static func events(_ function: Function, calls: CallSemantics) -> [AnalysisEvent] {
        guard let parts = function.constructorParts, !parts.isEmpty, let first = function.parameters.first else { return [] }
        let table = AccessPath(variable: Variable(first.name, .parameter))
        var covered: [(kinds: [ResourceKind], start: Int64, end: Int64)] = []
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee else { continue }
                if calls.isOpaque(callee), call.arguments.contains(where: { $0.path.object == table }) { return [] }
                for rule in calls.releases(callee) ?? [] {
                    guard rule.handle.path(result: call.result, arguments: call.arguments)?.object == table,
                          let span = rule.range?.resolve(call.arguments), let lo = span.absoluteStart,
                          let hi = span.hi, hi.base == nil else { continue }
                    covered.append((rule.kinds + rule.alsoReleases, lo, hi.offset))
                }
            }
        }
        guard let last = function.lastReturnLocation else { return [] }
        return parts.filter { part in
            !covered.contains { $0.kinds.contains(part.kind) && $0.start <= part.start && $0.end >= part.end }
        }.map { .constructorPartUnreleased(function: function.name, handleText: first.name, part: $0, location: last) }
    }
}
