/// Fields the unit keeps acquisitions in: `p->trapframe = kalloc()` in xv6's `allocproc`,
/// `np->ofile[i] = filedup(f)` in `fork`, `priv->buf = kmalloc(…)` in a driver's open. A
/// function that later clears such a field (`p->trapframe = 0`), or saves its value and
/// replaces it (`old = p->pagetable; p->pagetable = pagetable;`), drops the only pointer to
/// what it held unless it released it first or does so through the copy (`ClearedOwners`).
///
/// Known only from the whole unit, like paired callbacks, so it is written onto the
/// functions that clear or replace such a field (`Function.ownedFields`) where the unit is parsed:
/// a function checked alone later (the two-phase driver) still carries it, and it is part
/// of the function's IR digest, so a cached check is redone when the evidence changes.
///
/// Evidence is a store into the field of what an acquisition the pack declares returned
/// (`{ret}`, not managed), directly or through a local it was first put in (`ip =
/// namei(path); … p->cwd = ip`). Fields are named by their field names from the object
/// down, indices dropped (`ofile` for `p->ofile[fd]`, `dma.buf` for `priv->dma.buf`),
/// whatever the object's variable is called (`p`, `np`): the IR has no struct types.
///
/// Limits: two structs of the unit with a field of the same name are one field here, so
/// a field that owns in one struct and borrows in another is taken as owning in both.
/// Evidence in other units (`sys_open` fills `f->ip` in sysfile.c; `fileclose` in file.c
/// clears nothing but frees it) is not seen. A summary's acquisition (a wrapper) is no
/// evidence: the annotation runs before any function is summarised.
public struct OwnedField: Sendable, Hashable, Codable, Comparable {
    /// The field names from the object down (`["ofile"]`, `["dma", "buf"]`).
    public var fields: [String]
    public var kind: ResourceKind
    public var acquiredBy: String
    /// The store that is the evidence.
    public var site: SourceLocation
    /// The unit spells a null pointer `NULL` somewhere: only a clear spelled so clears a
    /// pointer there (`dma->dma_buf = 0` zeroes a bus address, not an owner). A unit that
    /// never does (xv6) clears pointers with `0`.
    public var spellsNull = false

    /// Whether `value` empties the field: 0, spelled `NULL` where the unit spells it so.
    func clears(with value: Expr) -> Bool {
        value.constantValue == 0 && (!spellsNull || value.text == "NULL")
    }

    public static func < (a: OwnedField, b: OwnedField) -> Bool {
        (a.fields.joined(separator: "."), a.kind) < (b.fields.joined(separator: "."), b.kind)
    }

    /// The field names of a place inside an object (`p->ofile[fd]` is `["ofile"]`), or nil
    /// for a variable, an address, or a dereference: only fields are owners here.
    static func fields(of path: AccessPath) -> [String]? {
        var names: [String] = []
        for step in path.steps {
            switch step {
            case .field(let name, _): names.append(name)
            case .element: continue
            case .deref, .addressOf, .container: return nil
            }
        }
        return names.isEmpty ? nil : names
    }
}

struct OwnedFields {
    let pack: RulePack

    func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        var owned = evidence(unit.functions)
        guard !owned.isEmpty else { return unit }
        let spellsNull = unit.functions.contains { function in
            function.blocks.contains { block in
                block.statements.contains { if case .assign(_, let value, _) = $0 { value.text == "NULL" } else { false } }
            }
        }
        for key in owned.keys { owned[key]!.spellsNull = spellsNull }
        var result = unit
        for i in result.functions.indices {
            // What an earlier annotation of the whole unit wrote stays: annotating twice
            // changes nothing (a part of a unit is not annotated again: `Analyzer.analyse`).
            var cleared = Set(result.functions[i].ownedFields ?? [])
            // Fields it copies into a local: a store replacing their value is judged too.
            var copied: Set<[String]> = []
            for block in result.functions[i].blocks {
                for case .assign(let target, let value, _) in block.statements where target.path.variable != nil {
                    if let fields = OwnedField.fields(of: value.path) { copied.insert(fields) }
                }
            }
            for block in result.functions[i].blocks {
                for case .assign(let target, let value, _) in block.statements {
                    if let fields = OwnedField.fields(of: target.path), let field = owned[fields],
                       field.clears(with: value) || copied.contains(fields) {
                        cleared.insert(field)
                    }
                }
            }
            if !cleared.isEmpty { result.functions[i].ownedFields = cleared.sorted() }
        }
        return result
    }

    /// The first acquisition stored into each field, in the unit's order. A local stored
    /// into two fields (`data->raw_info_block = id_buf; data->info = id_buf;`) makes one
    /// object under two names, and which of them owns it is not said: such a store is no
    /// evidence for either.
    func evidence(_ functions: [Function]) -> [[String]: OwnedField] {
        var owned: [[String]: OwnedField] = [:]
        for function in functions {
            // Locals an acquisition's result was put in, with what put it there.
            var acquired: [Variable: (kind: ResourceKind, by: String)] = [:]
            var stores: [Variable: [(fields: [String], site: SourceLocation)]] = [:]
            func record(_ fields: [String], kind: ResourceKind, by callee: String, at location: SourceLocation) {
                guard owned[fields] == nil else { return }
                owned[fields] = OwnedField(fields: fields, kind: kind, acquiredBy: callee, site: location)
            }
            for block in function.blocks {
                for statement in block.statements {
                    switch statement {
                    case .call(let call):
                        guard let callee = call.callee, let result = call.result, let rule = pack.acquires[callee], !rule.managed,
                              let spec = rule.resources.first(where: { $0.handle.root == .result && $0.handle.steps.isEmpty }) else { continue }
                        if let v = result.path.variable {
                            acquired[v] = (spec.kind, callee)
                        } else if let fields = OwnedField.fields(of: result.path) {
                            record(fields, kind: spec.kind, by: callee, at: call.location)
                        }
                    case .assign(let target, let value, let location):
                        if let v = value.path.variable, acquired[v] != nil, let fields = OwnedField.fields(of: target.path) {
                            stores[v, default: []].append((fields, location))
                        }
                    }
                }
            }
            for (v, kept) in stores.sorted(by: { $0.key.name < $1.key.name }) where Set(kept.map(\.fields)).count == 1 {
                let source = acquired[v]!
                for store in kept { record(store.fields, kind: source.kind, by: source.by, at: store.site) }
            }
        }
        // A field the unit also gives a constant other than 0 (`host->chan_rx = (void
        // *)0xdeadbeaf`, a variant's marker) holds more than what it owns; one whose value
        // it copies into another field (`adapter->io_addr = hw->hw_addr`) shares it.
        for function in functions {
            for block in function.blocks {
                for case .assign(let target, let value, _) in block.statements {
                    guard let fields = OwnedField.fields(of: target.path) else { continue }
                    if let c = value.constantValue, c != 0 { owned[fields] = nil }
                    if let source = OwnedField.fields(of: value.path), source != fields { owned[source] = nil }
                }
            }
        }
        return owned
    }
}

extension TranslationUnit {
    /// The unit with what only the whole of it shows written onto its functions: paired
    /// callbacks (`PairedCallbacks`), owned fields (`OwnedFields`), constructors' parts
    /// (`ConstructorParts`), optional handles (`OptionalHandles`), members released with
    /// the object listing them (`ListedMembers`), the calls of callbacks that calls run
    /// (`CalledBack`, first: the others read the calls), the walks over a device's children
    /// (`ChildWalks`) and the flags releases are made under (`FlaggedReleases`). Every place that parses a unit for
    /// analysis annotates it this one way.
    public func annotated(for pack: RulePack) -> TranslationUnit {
        let called = BoundCallbacks.annotate(FlaggedReleases.annotate(ChildWalks.annotate(CalledBack(pack: pack).annotate(self), pack: pack), pack: pack))
        return ListedMembers(pack: pack).annotate(FlagSetters(pack: pack).annotate(OptionalHandles(pack: pack).annotate(
            ConstructorParts(pack: pack).annotate(OwnedFields(pack: pack).annotate(PairedCallbacks(pack: pack).annotate(called))))))
    }
}
