/// Which flag words a function may write in memory its caller can name, and which bits: the
/// part of a function's summary that lets a caller keep a flag bit of zero-filled memory
/// known across a call to a same-file helper that never writes it (`BitFlags`).
///
/// A probe zero-allocates its private struct, hands it (or `hw = &adapter->hw`) to a helper
/// of its own file, and on failure unwinds with `!test_and_set_bit(…DISABLED, &adapter->flags)`.
/// Without this summary any helper could have set the bit, so the path finding it set was kept
/// at `medium`; with it, a helper that writes only `hw`'s fields, or another bit of `flags`,
/// leaves the bit known clear.
///
/// A write is placed by the argument it goes through and the fields from that argument's
/// object (`{1}.vendor_id`: `hw->vendor_id` with `hw` the second parameter), or, when it goes
/// through a pointer the function read out of memory (`adapter = hw->back`, `hw->hw_addr`), by
/// the field names alone from that read on (`back.state`): some object reached that way.
/// `below`: anything inside the place may be written (it was handed to a call ladder has no
/// body or pack entry for). `mask`: the bits written (`flags |= K`, `set_bit(N, …)`), or all.
///
/// What it cannot see, and so assumes: a function reaching the caller's object back through
/// a pointer it was handed (`hw->back` is the adapter, a call handed `hw->hw_addr` or
/// `&pdev->dev` writes only what that pointer reaches, never the object the pointer was read
/// from); a store through a pointer kept in a global; calls through function pointers.
/// Kernel API the pack describes is taken not to write a driver's private flags, as in the
/// caller (`BitFlags`).
public struct FlagWrite: Sendable, Hashable, Codable {
    /// The argument whose object holds the place; nil: an object reached through a pointer
    /// read from memory, named by `fields` from the field the pointer was read from.
    public var argument: Int?
    public var fields: [String]
    public var below: Bool
    public var mask: Int64?

    /// Some word of some object the call was handed (`fields` empty places it anywhere):
    /// what phase 2 leaves of writes that kept growing (`Widening`).
    public static let anyObject = FlagWrite(argument: nil, fields: [], below: false, mask: nil)

    /// A total order, so that a summary's writes read the same whatever order they were
    /// found in (printing each to compare them was a tenth of phase 2's time).
    static func precedes(_ a: FlagWrite, _ b: FlagWrite) -> Bool {
        if a.argument != b.argument { return (a.argument ?? -1) < (b.argument ?? -1) }
        if a.fields != b.fields { return a.fields.lexicographicallyPrecedes(b.fields) }
        if a.below != b.below { return !a.below }
        return (a.mask == nil ? 0 : 1, a.mask ?? 0) < (b.mask == nil ? 0 : 1, b.mask ?? 0)
    }

    public init(argument: Int?, fields: [String], below: Bool, mask: Int64?) {
        self.argument = argument
        self.fields = fields
        self.below = below
        self.mask = mask
    }

    /// Whether this write, placed in the caller at `anchor` (steps in a fresh object, when the
    /// argument named a place in it exactly), may change bit `mask` of the word at `word`
    /// (steps in the same object).
    func mayChange(_ word: [AccessPath.Step], mask tested: Int64, anchor: [AccessPath.Step]?) -> Bool {
        if let m = mask, m & tested == 0, !below { return false }
        // Compared by field names: an element of an array field (`ring[i].flags`) is a place
        // inside the field, whichever element.
        let names = Self.names(word)
        if let anchor {
            let place = Self.names(anchor) + fields
            if below { return names.starts(with: place) || place.starts(with: names) }
            return names == place || place.starts(with: names)
        }
        // Placed by field names only: any word whose names end with them (or, for `below`,
        // run through them).
        if fields.isEmpty { return true }
        if below {
            guard names.count >= fields.count else { return false }
            return (0...(names.count - fields.count)).contains { Array(names[$0..<$0 + fields.count]) == fields }
        }
        return names.last == fields.last
    }

    static func names(_ steps: [AccessPath.Step]) -> [String] {
        steps.compactMap { step -> String? in if case .field(let n, _) = step { n } else { nil } }
    }
}

/// Works out a function's `FlagWrite`s from its body, its callees' summaries and the pack.
/// Syntactic: every store and call of the body counts, on whatever path.
struct FlagWriteDerivation {
    let function: Function
    let calls: CallSemantics

    /// Where a pointer value points: into an argument's object, or into some object read
    /// from memory (`loaded`), at these fields.
    struct Place: Hashable {
        var argument: Int?
        var fields: [String]
    }

    static let maxFields = 6

    static func derive(_ function: Function, calls: CallSemantics) -> [FlagWrite] {
        FlagWriteDerivation(function: function, calls: calls).writes()
    }

    func writes() -> [FlagWrite] {
        // Worked out only when a path rooted at a local is resolved: most functions write
        // through parameters alone, or nothing, and the aliases cost a pass to a fixed point.
        var aliases: [Variable: Place?]?
        func resolved(_ path: AccessPath, address: Bool) -> Place? {
            if aliases == nil, case .variable(let v) = path.root, v.storage == .local || v.storage == .temporary {
                aliases = localAliases()
            }
            return resolve(path, aliases ?? [:], address: address)
        }
        var result: Set<FlagWrite> = []
        func add(_ place: Place?, below: Bool, mask: Int64?) {
            guard let place else { return }
            // Anything below a pointer read out of memory (`hw->hw_addr` handed to a call
            // with no body): by the assumption above, what it reaches is not the caller's
            // object, so nothing is recorded. Recording it anyway made phase 2 cycle: two
            // functions calling each other through back pointers handed such a write round
            // and round, each naming the other's field (PhaseTwoConvergenceTests).
            if below, place.argument == nil { return }
            // Composing summaries round a recursion (`f(&p->inner)` in `f`) names ever longer
            // places: past `maxFields` the write covers everything below the prefix.
            if place.fields.count > Self.maxFields {
                result.insert(FlagWrite(argument: place.argument, fields: Array(place.fields.prefix(Self.maxFields)), below: true, mask: nil))
            } else {
                result.insert(FlagWrite(argument: place.argument, fields: place.fields, below: below, mask: mask))
            }
        }
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    // A local's own value is no memory of the caller's.
                    if target.variable != nil { continue }
                    add(resolved(target.path, address: false), below: false, mask: Self.storedMask(target: target, value: value))
                case .call(let call):
                    guard let callee = call.callee else { continue }
                    if let operation = calls.pack.bits[callee] {
                        if operation.leaves != nil, let (word, mask) = BitFlags.operands(call) {
                            add(resolved(word, address: false), below: false, mask: mask)
                        }
                        continue
                    }
                    if calls.packKnows(callee) { continue }
                    let summary = calls.summaries[callee]
                    if summary?.unknown != true, summary != nil || calls.bodies.contains(callee) {
                        for write in summary?.writes ?? [] {
                            guard let i = write.argument else {
                                result.insert(write)
                                continue
                            }
                            guard i < call.arguments.count, let base = resolved(call.arguments[i].path, address: true) else { continue }
                            add(Place(argument: base.argument, fields: base.fields + write.fields), below: write.below, mask: write.mask)
                        }
                    } else {
                        // A call ladder knows nothing of may write anything its pointer
                        // arguments reach.
                        for argument in call.arguments {
                            add(resolved(argument.path, address: true), below: true, mask: nil)
                        }
                    }
                }
            }
        }
        // Writes through loaded pointers pile up from every callee: past a few dozen, or
        // beside "any object" itself, they say no more than "any object" does.
        let loaded = result.filter { $0.argument == nil }
        if result.contains(.anyObject) || loaded.count > Self.maxLoadedWrites {
            result.subtract(loaded)
            result.insert(.anyObject)
        }
        return result.sorted(by: FlagWrite.precedes)
    }

    static let maxLoadedWrites = 32

    /// The bits a store writes: `w | K` and `w & ~K` write `K`; anything else every bit.
    static func storedMask(target: Expr, value: Expr) -> Int64? {
        guard case .binary(let op, let a, let b) = value.kind, a.path == target.path else { return nil }
        return Transfer.writtenBits(op, b)
    }

    /// Locals pointing into a parameter's object or into memory read through one
    /// (`hw = &adapter->hw`, `adapter = hw->back`, `adapter = netdev_priv(netdev)`). A local
    /// given values from two places points at some object (`Place(argument: nil, fields: [])`);
    /// so does one given a call's result when the call was handed the caller's memory (a
    /// helper returning the adapter of its `hw`), or arithmetic on such a pointer
    /// (`container_of`). A local given only values from elsewhere (a fresh allocation, a
    /// number) is none of the caller's memory.
    func localAliases() -> [Variable: Place?] {
        var aliases: [Variable: Place?] = [:]
        enum Source { case value(AccessPath), derived(String, AccessPath), call([AccessPath]) }
        var sources: [Variable: [Source]] = [:]
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    guard let v = target.variable, v.storage == .local || v.storage == .temporary else { continue }
                    sources[v, default: []].append(.value(value.path))
                case .call(let call):
                    guard let v = call.result?.variable, v.storage == .local || v.storage == .temporary else { continue }
                    if let callee = call.callee, calls.pack.derives.contains(callee), let first = call.arguments.first {
                        sources[v, default: []].append(.derived(callee, first.path))
                    } else {
                        sources[v, default: []].append(.call(call.arguments.map(\.path)))
                    }
                }
            }
        }
        func place(of source: Source) -> Place? {
            switch source {
            case .value(let path):
                if case .operation(let op, let operands) = path.root, path.steps.isEmpty, op == "-" || op == "+" {
                    return operands.contains { resolve($0, aliases, address: true) != nil } ? Place(argument: nil, fields: []) : nil
                }
                return resolve(path, aliases, address: true)
            case .derived(let callee, let argument):
                return resolve(argument, aliases, address: true).map { Place(argument: $0.argument, fields: $0.fields + [callee]) }
            case .call(let arguments):
                return arguments.contains { resolve($0, aliases, address: true) != nil } ? Place(argument: nil, fields: []) : nil
            }
        }
        // Rounds reach `hw = &adapter->hw` after `adapter = netdev_priv(netdev)`.
        for _ in 0..<3 {
            for (v, values) in sources {
                // `p = NULL` on one path and `p = &adapter->hw` on another: the place.
                let places = Set(values.compactMap(place(of:)))
                aliases.updateValue(places.count <= 1 ? places.first : Place(argument: nil, fields: []), forKey: v)
            }
        }
        return aliases
    }

    /// The place a path names (`address: false`, a store's target) or points at (`address:
    /// true`, a pointer value handed on). Nil: not the caller's memory (a constant, a global,
    /// a local's own storage).
    func resolve(_ path: AccessPath, _ aliases: [Variable: Place?], address: Bool) -> Place? {
        guard case .variable(let v) = path.root else { return nil }
        var place: Place
        switch v.storage {
        case .parameter:
            guard let i = function.parameters.firstIndex(where: { $0.name == v.name }),
                  function.parameters[i].type.shape == .pointer else { return nil }
            place = Place(argument: i, fields: [])
        case .local, .temporary:
            guard let known = aliases[v] else {
                // A local of no known origin used as a pointer: some object. Its own storage
                // (`&phy_data`, `&cmd.flags`: no pointer followed) is no memory of the caller's.
                let throughPointer = path.steps.contains { step in
                    switch step {
                    case .field(_, let arrow): arrow
                    case .deref, .element, .container: true
                    case .addressOf: false
                    }
                }
                return (path.steps.isEmpty && address) || (!path.steps.isEmpty && !throughPointer) ? nil : Place(argument: nil, fields: [])
            }
            guard let aliased = known else { return nil }
            place = aliased
        case .global:
            return nil
        }
        // `p` points at `place`; `p->f` is the field inside it; `p->f->g` reads a pointer out
        // of `f` and names `g` in whatever it points at.
        var inside = false
        for step in path.steps {
            switch step {
            case .field(let name, let arrow):
                if arrow && inside {
                    place = Place(argument: nil, fields: [place.fields.last ?? "", name].filter { !$0.isEmpty })
                } else {
                    place.fields.append(name)
                }
                inside = true
            case .deref:
                if inside { place = Place(argument: nil, fields: place.fields.last.map { [$0] } ?? []) }
                inside = true
            case .element:
                // An element of an array inside the object, or of the array a pointer points at.
                inside = true
            case .addressOf:
                inside = false
            case .container:
                // The object around the place: the caller's, which one unknown here.
                place = Place(argument: nil, fields: [])
                inside = false
            }
        }
        // A pointer value read out of a field (`hw->hw_addr` handed on): it points at some
        // other object, named by the field it was read from.
        if address && inside {
            return Place(argument: nil, fields: place.fields.last.map { [$0] } ?? [])
        }
        return place
    }
}
