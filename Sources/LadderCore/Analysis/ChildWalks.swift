/// Children removed by walking them. An MFD core adds a platform device per cell under its
/// own device (`pdev->dev.parent = chip->dev; platform_device_add(pdev)`) and keeps no
/// pointer to it; its teardown finds them again with `device_for_each_child(chip->dev, NULL,
/// remove_child)`, whose callback unregisters each one
/// (`platform_device_unregister(to_platform_device(dev))`). Read as calls that release
/// nothing, the walk at a failure label left every earlier child looking leaked, and so did
/// the success return that keeps them for the remove callback's walk.
///
/// The rule, for a unit with such a walk (a `callsBack` call with `childrenOf`, naming a
/// function the unit defines): a walk releases every held resource of the kinds its callback
/// releases of the child (the pack's releases called in the callback's own body), whatever
/// its name; a helper that walks hands that on to its callers through its summary; and what
/// any of the unit's functions holds of those kinds at a success return is kept under its
/// parent, for a walk to find.
///
/// Only kinds the unit makes children of: acquired on a variable whose object some function
/// of the unit gives a parent (`parentedKinds`), not what a callback frees besides.
///
/// Limits: which device a child was added under is not followed. A walk of one device
/// releases children added under another, and a child kept at a success return counts as
/// found by the unit's walk whoever its parent is: leaks are missed that way. And a device
/// whose add just failed is taken by a walk too, though it never became a child: a
/// `platform_device_put()` of it after the walk (rather than before, as drivers write it)
/// is reported as a second release. Loop iterations share their resources' identities, so
/// that device cannot be told from the children added by earlier iterations. A callback's
/// helpers are not read, only the pack's releases in its own body. Known only from the pack
/// and the whole unit, so written where the unit is annotated.
public struct ChildWalks: Sendable, Hashable, Codable {
    /// A callback a walk of the unit names, with the kinds it releases of its child, in the
    /// order its body releases them (`platform_device_unregister`: the registration, then the
    /// device). An array sorted by name, not a dictionary: the note is part of every
    /// function's cached IR, whose bytes must not depend on a dictionary's order.
    public struct Callback: Sendable, Hashable, Codable {
        public var name: String
        public var kinds: [ResourceKind]
    }
    public var callbacks: [Callback]

    /// Kinds the unit's walks release: kept at a success return.
    public var kept: Set<ResourceKind> { Set(callbacks.flatMap(\.kinds)) }

    /// The kinds a walk releases at `call`, and the argument whose children it walks; nil
    /// when the call is no walk naming one of the unit's callbacks.
    func walk(_ call: Call, pack: RulePack) -> (parent: Int, kinds: [ResourceKind])? {
        guard let callee = call.callee, let spec = pack.callsBack[callee], let parent = spec.childrenOf,
              parent < call.arguments.count, let callback = Self.named(call, spec),
              let kinds = callbacks.first(where: { $0.name == callback })?.kinds else { return nil }
        return (parent, kinds)
    }

    /// The function a `callsBack` call names (`remove_child` or `&remove_child`; not a pointer
    /// variable): a walk's, or `CalledBack`'s.
    static func named(_ call: Call, _ spec: CallBack) -> String? {
        guard spec.function < call.arguments.count else { return nil }
        var named = call.arguments[spec.function]
        if case .addressOf(let inner) = named.kind { named = inner }
        guard case .variable(let function) = named.kind, function.storage == .global else { return nil }
        return function.name
    }

    /// The unit with its walks written onto every function, when it has any.
    static func annotate(_ unit: TranslationUnit, pack: RulePack) -> TranslationUnit {
        guard pack.callsBack.values.contains(where: { $0.childrenOf != nil }) else { return unit }
        let defined = Dictionary(unit.functions.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // The walked callbacks first: most units have none, and need no other pass.
        var walked: Set<String> = []
        for function in unit.functions {
            for block in function.blocks {
                for case .call(let call) in block.statements {
                    guard let callee = call.callee, let spec = pack.callsBack[callee], spec.childrenOf != nil,
                          let name = named(call, spec), defined[name] != nil else { continue }
                    walked.insert(name)
                }
            }
        }
        guard !walked.isEmpty else { return unit }
        let parented = parentedKinds(unit, pack: pack)
        guard !parented.isEmpty else { return unit }
        let calls = CallSemantics(pack: pack)
        var callbacks: [String: [ResourceKind]] = [:]
        for name in walked {
            let kinds = released(by: defined[name]!, calls: calls).filter(parented.contains)
            if !kinds.isEmpty { callbacks[name] = kinds }
        }
        guard !callbacks.isEmpty else { return unit }
        let note = ChildWalks(callbacks: callbacks.sorted { $0.key < $1.key }.map { Callback(name: $0.key, kinds: $0.value) })
        var result = unit
        for f in result.functions.indices { result.functions[f].childWalks = note }
        return result
    }

    /// Kinds of what the unit makes a child of a device: acquired on a variable whose object
    /// the same function gives a parent (`pdev->dev.parent = chip->dev` beside
    /// `platform_device_alloc()` and `platform_device_add(pdev)`). Not what a walk's callback
    /// happens to free too (memory, a lookup's reference), which the unit holds for other
    /// reasons. Known limit: a child whose parent is passed to the call that makes it
    /// (`platform_device_register_data(parent, …)`) is not seen as one.
    private static func parentedKinds(_ unit: TranslationUnit, pack: RulePack) -> Set<ResourceKind> {
        var kinds: Set<ResourceKind> = []
        for function in unit.functions {
            var parented: Set<Variable> = []
            for block in function.blocks {
                for case .assign(let target, _, _) in block.statements {
                    guard case .field("parent", _)? = target.path.steps.last, let root = target.path.rootVariable else { continue }
                    parented.insert(root)
                }
            }
            guard !parented.isEmpty else { continue }
            for block in function.blocks {
                for case .call(let call) in block.statements {
                    guard let rule = call.callee.flatMap({ pack.acquires[$0] }) else { continue }
                    for spec in rule.resources {
                        guard let root = spec.handle.path(result: call.result, arguments: call.arguments)?.rootVariable,
                              parented.contains(root) else { continue }
                        kinds.insert(spec.kind)
                    }
                }
            }
        }
        return kinds
    }

    /// Whether `handle` is the child itself or the object it is embedded in, through the
    /// locals' one value each (`to_platform_device(dev)` is `container_of(dev, dev)`): not
    /// something read through it (`dev_get_drvdata(dev->parent)->entry`).
    private static func names(_ child: Variable, _ handle: AccessPath, _ values: [Variable: AccessPath]) -> Bool {
        var path = handle
        if let root = path.rootVariable, root != child, let value = values[root] { path = path.rebased(on: value) }
        guard path.rootVariable == child else { return false }
        return path.steps.allSatisfy { step in
            switch step {
            case .container, .addressOf, .field(_, arrow: false): true
            case .field(_, arrow: true), .deref, .element: false
            }
        }
    }

    /// The kinds the pack's releases called in `body` give back of the child it is called on
    /// (its first parameter, or a local whose one value comes from it: `pdev =
    /// to_platform_device(dev)`), first release first. Not what else it frees on the way
    /// (`mfd_remove_devices_fn` frees list entries that named the child).
    private static func released(by body: Function, calls: CallSemantics) -> [ResourceKind] {
        guard let child = body.parameters.first.map({ Variable($0.name, .parameter) }) else { return [] }
        let pack = calls.pack
        let values = SummaryDerivation.singleValues(body, calls: calls)
        var kinds: [ResourceKind] = []
        for block in body.reversePostorder {
            for case .call(let call) in body.blocks[block].statements {
                for rule in call.callee.flatMap({ pack.releases[$0] }) ?? [] {
                    guard let handle = rule.handle.path(result: call.result, arguments: call.arguments),
                          names(child, handle, values) else { continue }
                    for kind in rule.kinds + rule.alsoReleases where !pack.locks.contains(kind) && !kinds.contains(kind) {
                        kinds.append(kind)
                    }
                }
            }
        }
        return kinds
    }
}

extension Transfer {
    /// A walk's call: a release of every held child of each kind its callback gives back, in
    /// the callback's order.
    func walkChildren(_ walk: (parent: Int, kinds: [ResourceKind]), call: Call, in state: inout PathState,
                      events: inout [AnalysisEvent]) {
        for kind in walk.kinds {
            var rule = ReleaseRule(call: call.callee ?? "", kinds: [kind], handle: PathTemplate(.argument(walk.parent)))
            rule.children = true
            release(rule, call: call, in: &state, events: &events)
        }
    }
}
