/// Calls through a pointer whose target the caller of the calling helper can name.
///
/// A framework's destroy helper calls what the object's ops table says
/// (`vsp1_entity_destroy(e)` runs `e->ops->destroy(e)`); a put helper calls the release
/// function stored in the object (`vpu_inst_put(inst)` runs `inst->release(inst)`); a runner
/// calls the function it is handed (`run(fn, data)`). The helper alone cannot say what that
/// releases, but the function that installed the table or the function before calling the
/// helper can:
///
///     clu->entity.ops = &clu_entity_ops;       // .destroy = clu_destroy, frees clu->pool
///     …
///     vsp1_entity_destroy(&clu->entity);       // runs clu_destroy(&clu->entity)
///     return ERR_PTR(ret);                     // clu->pool is not leaked here
///
/// A void helper's summary lists the calls it makes through a place its parameters reach
/// (`CallThrough`, `{0}->ops->destroy({0})`), and each function carries what the unit shows
/// it stores there (`CallbackBinding`: a function by name, or a file-scope table by
/// address). Before a function is walked, a call to such a helper whose pointer the function
/// bound on every way to the call is followed by a call of the bound function with the
/// arguments the helper passes (`Call.Origin.boundCallback`), which then does what its
/// summary says: the rewrite `CalledBack` makes for a pack's `callsBack`, made here because
/// it needs the summaries, which the unit's annotation does not have.
///
/// Not seen: a pointer stored by another function (a probe installing ops that remove
/// undoes), a table chosen at run time (`ops = match->data`), a table nested in another or
/// in an array, a pointer a helper computes by a call, and a helper that returns a value:
/// it may make the call on its failure only, and a caller told it always does would count
/// the release on its successes too.
public struct CallbackBinding: Sendable, Hashable, Codable, Comparable {
    /// The place the pointer lives in (`clu->entity.ops->destroy`, `inst->release`).
    public var place: AccessPath
    /// The function stored there.
    public var function: String
    /// Where the store is: it binds the calls it comes before on every way to them.
    public var block: BlockID
    public var index: Int

    public static func < (a: CallbackBinding, b: CallbackBinding) -> Bool {
        (a.block, a.index, a.place.description, a.function) < (b.block, b.index, b.place.description, b.function)
    }
}

/// A call a function makes through a pointer its parameters reach, in its caller's terms
/// (`{0}->ops->destroy` with arguments `{0}`). An argument the caller cannot name is nil.
public struct CallThrough: Sendable, Hashable, Codable, Comparable {
    public var pointer: PathTemplate
    public var arguments: [PathTemplate?]

    public init(pointer: PathTemplate, arguments: [PathTemplate?]) {
        self.pointer = pointer
        self.arguments = arguments
    }

    public static func < (a: CallThrough, b: CallThrough) -> Bool {
        func spelt(_ c: CallThrough) -> String {
            c.pointer.description + "(" + c.arguments.map { $0?.description ?? "…" }.joined(separator: ", ") + ")"
        }
        return spelt(a) < spelt(b)
    }
}

enum BoundCallbacks {
    /// How many bound calls deep one helper call is followed (a bound function that itself
    /// calls through a pointer the function bound).
    static let maxDepth = 3

    // MARK: What each function stores

    /// Each function's stores of a function, or of the address of a file-scope table of
    /// functions, into a place: one binding per function the place then names. A place
    /// stored twice with different values is bound to neither.
    static func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        var tables: [String: [String: String]] = [:]
        for table in unit.callbackTables ?? [] {
            guard let variable = table.variable else { continue }
            tables[variable] = table.entries
        }
        let functions = Set(unit.functions.map(\.name))
        var result = unit
        for i in result.functions.indices {
            let found = bindings(result.functions[i], tables: tables, functions: functions)
            guard !found.isEmpty else { continue }
            result.functions[i].callbackBindings = Array(Set(found).union(result.functions[i].callbackBindings ?? [])).sorted()
        }
        return result
    }

    private static func bindings(_ function: Function, tables: [String: [String: String]],
                                 functions: Set<String>) -> [CallbackBinding] {
        var found: [(binding: CallbackBinding, assigned: AccessPath)] = []
        var values: [AccessPath: Set<Expr.Kind>] = [:]
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .assign(let target, let value, _) = statement else { continue }
                let place = target.path
                values[place, default: []].insert(value.kind)
                switch value.kind {
                case .variable(let v) where v.storage == .global && functions.contains(v.name):
                    found.append((CallbackBinding(place: place, function: v.name, block: block.id, index: index), place))
                case .addressOf(let inner):
                    guard case .variable(let v) = inner.kind, v.storage == .global, let entries = tables[v.name] else { continue }
                    for (field, name) in entries {
                        let binding = CallbackBinding(place: place.appending(.field(field, arrow: true)), function: name,
                                                      block: block.id, index: index)
                        found.append((binding, place))
                    }
                default:
                    continue
                }
            }
        }
        // A place given two values (`ops = &a_ops` here, `ops = &b_ops` there, or NULL) names
        // neither.
        return found.filter { values[$0.assigned]?.count == 1 }.map(\.binding)
    }

    // MARK: What a helper calls through

    /// A void function's calls through a pointer its parameters reach, its own and those its
    /// callees make that it does not bind itself.
    static func callsThrough(_ function: Function, calls: CallSemantics) -> [CallThrough] {
        guard function.returnType.shape == .void else { return [] }
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        let values = SummaryDerivation.singleValues(function, calls: calls)
        func template(_ path: AccessPath) -> PathTemplate? {
            guard let t = PathTemplate(abstracting: SummaryDerivation.resolved(path, values), parameters: parameters),
                  case .argument = t.root else { return nil }
            return t
        }
        var found: Set<CallThrough> = []
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement else { continue }
                if let through = call.through, !(call.callee.map(calls.packKnows) ?? false) {
                    if let pointer = template(through.path) {
                        found.insert(CallThrough(pointer: pointer, arguments: call.arguments.map { template($0.path.object) }))
                    }
                    continue
                }
                guard call.origin != .boundCallback, let callee = call.callee else { continue }
                for inner in calls.summaries[callee]?.callsThrough ?? [] {
                    guard let pointerPath = inner.pointer.path(result: call.result, arguments: call.arguments),
                          bound(pointerPath, at: (block.id, index), in: function, calls: calls) == nil,
                          let pointer = template(pointerPath) else { continue }
                    let arguments = inner.arguments.map { argument in
                        argument.flatMap { $0.path(result: call.result, arguments: call.arguments) }.flatMap(template)
                    }
                    found.insert(CallThrough(pointer: pointer, arguments: arguments))
                }
            }
        }
        return found.sorted()
    }

    // MARK: Following them in a caller

    /// `function` with each call to a helper that calls through a pointer the function bound
    /// followed by a call of the bound function.
    static func devirtualised(_ function: Function, calls: CallSemantics) -> Function {
        guard function.blocks.contains(where: { block in
            block.statements.contains { statement in
                guard case .call(let call) = statement, let callee = call.callee else { return false }
                return calls.summaries[callee]?.callsThrough.isEmpty == false
            }
        }) else { return function }
        var result = function
        for b in result.blocks.indices {
            var statements: [Statement] = []
            for (index, statement) in result.blocks[b].statements.enumerated() {
                statements.append(statement)
                guard case .call(let call) = statement else { continue }
                statements += followed(call, at: (result.blocks[b].id, index), in: function, calls: calls, depth: 0)
            }
            result.blocks[b].statements = statements
        }
        return result
    }

    /// `site`: where the helper's call is; a bound call made after it is at the same place,
    /// so what binds the helper's call binds the calls it leads to.
    private static func followed(_ call: Call, at site: (block: BlockID, index: Int), in function: Function,
                                 calls: CallSemantics, depth: Int) -> [Statement] {
        guard depth < maxDepth, let callee = call.callee, !calls.declares(callee),
              let through = calls.summaries[callee]?.callsThrough, !through.isEmpty else { return [] }
        var added: [Statement] = []
        for inner in through {
            guard let pointer = inner.pointer.path(result: call.result, arguments: call.arguments),
                  let target = bound(pointer, at: site, in: function, calls: calls) else { continue }
            let arguments = inner.arguments.map { argument -> Expr in
                guard let path = argument?.path(result: call.result, arguments: call.arguments) else {
                    return Expr(.opaque, text: "…")
                }
                return expression(path)
            }
            let made = Call(callee: target, arguments: arguments, result: nil, location: call.location,
                            text: target + "(" + arguments.map(\.text).joined(separator: ", ") + ")", origin: .boundCallback)
            added.append(.call(made))
            added += followed(made, at: site, in: function, calls: calls, depth: depth + 1)
        }
        return added
    }

    /// The function `pointer` names at the call at `site`: a function handed over by name
    /// (`run(demo_free, d)`), or one the function stored there before the call on every way
    /// to it. Only a function with a summary: calling one ladder knows nothing of would read
    /// as an unknown call that may keep what it is given.
    private static func bound(_ pointer: AccessPath, at site: (block: BlockID, index: Int), in function: Function,
                              calls: CallSemantics) -> String? {
        if pointer.steps.isEmpty, case .variable(let v) = pointer.root, v.storage == .global,
           v.name != function.name, calls.summaries[v.name] != nil {
            return v.name
        }
        guard let bindings = function.callbackBindings else { return nil }
        let names = Set(bindings.filter { $0.place == pointer && dominates($0, site, in: function) }.map(\.function))
        guard names.count == 1, let name = names.first, name != function.name, calls.summaries[name] != nil else { return nil }
        return name
    }

    /// Whether the store runs before `site` on every way from the entry.
    private static func dominates(_ binding: CallbackBinding, _ site: (block: BlockID, index: Int), in function: Function) -> Bool {
        if binding.block == site.block { return binding.index < site.index }
        if binding.block == function.entry { return true }
        var seen: Set<BlockID> = [function.entry]
        var work = [function.entry]
        while let b = work.popLast() {
            if b == site.block { return false }
            for next in function.blocks[b].terminator.successors where next != binding.block && !seen.contains(next) {
                seen.insert(next)
                work.append(next)
            }
        }
        return true
    }

    /// An expression naming `path`, for a call the analysis adds.
    static func expression(_ path: AccessPath) -> Expr {
        var e: Expr
        switch path.root {
        case .variable(let v): e = .variable(v)
        case .constant(let c): e = .constant(c)
        case .call(let name, let arguments):
            let inner = arguments.map(expression)
            e = Expr(.call(callee: name, arguments: inner), text: name + "(" + inner.map(\.text).joined(separator: ", ") + ")")
        case .named, .anyElement, .operation:
            return Expr(.opaque, text: path.description)
        }
        for step in path.steps {
            let text = AccessPath.spell([step], after: e.text)
            switch step {
            case .field(let name, let arrow): e = Expr(.member(base: e, name: name, arrow: arrow), text: text)
            case .deref: e = Expr(.deref(e), text: text)
            case .addressOf: e = Expr(.addressOf(e), text: text)
            case .element(let index): e = Expr(.index(base: e, index: index.map(Expr.constant) ?? Expr(.opaque, text: "i")), text: text)
            case .container(let member): e = Expr(.containerOf(e, member: member), text: text)
            }
        }
        return e
    }
}
