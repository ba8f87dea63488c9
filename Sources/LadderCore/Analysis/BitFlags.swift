/// Flag bits of a driver's own state (`adapter->flags`, `priv->flags`), followed along a
/// path, so that a path needing a bit both set and clear is no path.
///
/// A bit is named by the test that reads it: `priv->flags & ID_P_PM_BLOCKED` (a branch)
/// and `test_and_set_bit(__E1000_DISABLED, &adapter->flags)` (a bit operation the pack lists
/// under `bits:`) both read the fact keyed `word & mask`. Its value comes from:
/// - a store: `flags |= B` sets the bits of `B`, `flags &= K` clears those outside `K`,
///   `flags = K` gives every bit; any other store forgets them;
/// - a bit operation: `set_bit`, `clear_bit`, and the tests, whose result is the old
///   value (`test_and_set_bit` then sets it);
/// - zero-filled memory: a word inside an object a zeroing allocator (`zeroes:` —
///   `kzalloc`, `alloc_etherdev`, and what `derives` from it: `netdev_priv`) returned on this
///   path is 0 while nothing has stored into it. So a probe's unwind
///   `disable_dev = !test_and_set_bit(…DISABLED, &adapter->flags)` reached before anything
///   wrote the flags finds the bit clear and disables the device.
///
/// The zero is checked only as far as the function shows it: once the object (any local
/// naming it or a place inside it) is handed to a call the pack does not describe, the zero
/// of a bit that call may set is an assumption (`ValueFact.assumed`). A call with a body in
/// view may set what its summary writes (`FlagWrite`); one with none anywhere is kernel code,
/// which reaches a driver's flags only through the unit's functions that may run meanwhile
/// (`FlagSetters`), so only the bits those set.
/// A path that needs the bit set after that is kept, marked `unchecked`, and what it finds
/// is reported at `medium`: the rule for paths feasible only under an assumption
/// the analysis cannot check.
///
/// Not seen: a store through a pointer the function got from elsewhere (the object stored
/// in `pdev`'s drvdata and read back under another name), a callee reaching the object
/// through another object it was handed (`pci_iomap(pdev, …)` with the netdev in its
/// drvdata: kernel API described by the pack is taken not to write a driver's private
/// flags), and masks that differ between the store and the test (a fact is kept per mask;
/// a store updates the masks the function tests).
struct BitFlags {
    /// The words the function tests bits of, with the masks it tests (`priv->flags`: [1 << 31]).
    let masks: [AccessPath: Set<Int64>]
    /// The last field name of each such word (`flags`, `state`): stores into other fields
    /// of a zero-filled object are not recorded.
    let fieldNames: Set<String>

    var isEmpty: Bool { masks.isEmpty }

    /// Bit keys of flag words in the objects the function returns (`returnedKeys`).
    let returned: Set<AccessPath>

    init(function: Function, calls: CallSemantics, returned: Set<AccessPath>) {
        let pack = calls.pack
        var masks: [AccessPath: Set<Int64>] = [:]
        self.returned = returned
        for key in returned {
            if let (word, mask) = Self.split(key) { masks[word, default: []].insert(mask) }
        }
        for block in function.blocks {
            if case .branch(let condition, _, _, _) = block.terminator, let (key, _, _) = Transfer.constraint(condition),
               let (word, mask) = Self.split(key) {
                masks[word, default: []].insert(mask)
            }
            for case .call(let call) in block.statements {
                guard let callee = call.callee, pack.bits[callee] != nil, let (word, mask) = Self.operands(call) else { continue }
                masks[word, default: []].insert(mask)
            }
        }
        self.masks = masks
        fieldNames = Set(masks.keys.compactMap { word in
            if case .field(let name, _)? = word.steps.last { name } else { nil }
        })
    }

    /// The flag bits a function writes in an object it returns, as bit keys: `profile->match
    /// |= KMALLOC` (or `set_bit`) with `return profile`, and the bits a callee's summary says
    /// the object it returned has (`ret = add_vlan(…)` with `return ret`). Their facts are
    /// followed to the exits, where the summary reads them (`ReturnedBits`).
    static func returnedKeys(_ function: Function, calls: CallSemantics) -> Set<AccessPath> {
        var returnedLocals: Set<Variable> = []
        for block in function.blocks {
            if case .return(let value?, _) = block.terminator, let v = value.variable, v.storage == .local || v.storage == .temporary {
                returnedLocals.insert(v)
            }
        }
        guard !returnedLocals.isEmpty else { return [] }
        func inReturned(_ word: AccessPath) -> Bool {
            guard !word.steps.isEmpty, let v = word.rootVariable else { return false }
            return returnedLocals.contains(v)
        }
        var keys: Set<AccessPath> = []
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    guard inReturned(target.path), case .binary(let op, let a, let b) = value.kind, a.path == target.path,
                          op == .bitOr || op == .bitAnd else { continue }
                    if let k = Transfer.writtenBits(op, b), k != 0 { keys.insert(key(target.path, k)) }
                case .call(let call):
                    guard let callee = call.callee else { continue }
                    if calls.pack.bits[callee]?.leaves != nil, let (word, mask) = operands(call), inReturned(word) {
                        keys.insert(key(word, mask))
                    }
                    if let result = call.result?.variable, returnedLocals.contains(result) {
                        for bits in calls.summaries[callee]?.returnsBits ?? [] {
                            if let word = bits.word.path(result: call.result, arguments: call.arguments) { keys.insert(key(word, bits.mask)) }
                        }
                    }
                }
            }
        }
        return keys
    }

    /// `word & mask` with a constant non-zero mask: the word and the mask.
    static func split(_ key: AccessPath) -> (AccessPath, Int64)? {
        guard case .operation("&", let operands) = key.root, key.steps.isEmpty, operands.count == 2 else { return nil }
        for (word, mask) in [(operands[0], operands[1]), (operands[1], operands[0])] {
            if case .constant(let m) = mask.root, mask.steps.isEmpty, m != 0, !word.isConstant { return (word, m) }
        }
        return nil
    }

    /// The key a test of `mask` in `word` is read under.
    static func key(_ word: AccessPath, _ mask: Int64) -> AccessPath {
        AccessPath(.operation("&", [word, AccessPath(.constant(mask))]))
    }

    /// `op(nr, &word)` with a constant bit number: the word and the bit's mask.
    static func operands(_ call: Call) -> (AccessPath, Int64)? {
        guard call.arguments.count >= 2, let nr = call.arguments[0].constantValue, nr >= 0, nr < 63,
              call.arguments[1].path.isAddressOf else { return nil }
        let address = call.arguments[1].path
        return (AccessPath(address.root, Array(address.steps.dropLast())), Int64(1) << nr)
    }
}

extension Transfer {
    // MARK: Reading a bit

    /// What is known of `word & mask` on this path: a fact, or the zero of fresh memory.
    func bitFact(_ word: AccessPath, _ mask: Int64, in state: PathState) -> ValueFact? {
        if let known = state.facts[BitFlags.key(word, mask)] { return known }
        guard let place = freshPlace(ofField: word, in: state), let object = state.fresh[place.object],
              !object.written.contains(where: { $0.starts(with: place.steps) || place.steps.starts(with: $0) }) else { return nil }
        var zero = ValueFact.constant(0)
        zero.assumed = object.anyBits || (object.handedToCall && setMeanwhile(word, mask))
            || object.mayHaveWritten.contains { $0.write.mayChange(place.steps, mask: mask, anchor: $0.anchor) }
        return zero
    }

    /// Whether code out of view that was handed the object may have set bit `mask` of `word`:
    /// only by running a function of the unit that sets it (`FlagSetters`). Without the
    /// unit's tables, any bit.
    func setMeanwhile(_ word: AccessPath, _ mask: Int64) -> Bool {
        guard let setters = function.flagSetters, case .field(let name, _)? = word.steps.last,
              setters.fields.contains(name) else { return true }
        return setters.bits.contains { $0.mayChange(field: name, mask: mask) }
    }

    /// The fact a branch on `key` starts from when the path has none: a tested bit's value.
    func defaultFact(_ key: AccessPath, in state: PathState) -> ValueFact? {
        guard !bits.isEmpty, let (word, mask) = BitFlags.split(key) else { return nil }
        return bitFact(word, mask, in: state)
    }

    // MARK: Writing bits

    /// Bit `mask` of `word` becomes `set` (true/false): the facts of every mask the
    /// function tests of the word follow.
    func writeBits(_ word: AccessPath, _ mask: Int64, set: Bool, in state: inout PathState) {
        for tested in bits.masks[word] ?? [] {
            let key = BitFlags.key(word, tested)
            if tested & mask == 0 { continue }
            if set {
                state.facts[key] = tested & ~mask == 0 ? .constant(tested) : ValueFact(signs: .nonZero, exact: nil)
            } else if tested & ~mask == 0 {
                state.facts[key] = .constant(0)
            } else {
                state.facts[key] = nil
            }
        }
        markWritten(word, in: &state)
    }

    /// A call from the pack's `bits:` list: its result is the bit's old value, then the bit
    /// is set or cleared.
    func applyBitOperation(_ operation: BitOperation, call: Call, in state: inout PathState) {
        guard let (word, mask) = BitFlags.operands(call) else { return }
        if operation.reads, let result = call.result, let old = bitFact(word, mask, in: state) {
            // The helpers return a truth value, not the masked word.
            var value: ValueFact
            if old.exact == 0 {
                value = .constant(0)
            } else if old.signs.isDisjoint(with: .zero) {
                value = .constant(1)
            } else {
                value = .unknown
            }
            value.assumed = old.assumed
            if value != .unknown { state.facts[result.path] = value }
        }
        if let set = operation.leaves {
            // What was only assumed stays assumed: the bit is now known either way.
            writeBits(word, mask, set: set, in: &state)
        }
    }

    /// A store into a tested word (`flags |= B`, `flags &= ~B`, `flags = K`): the bits it
    /// decides. Called with the facts as they were before the store.
    func storeBits(target: Expr, value: Expr, before: PathState, in state: inout PathState) {
        let word = target.path
        guard let tested = bits.masks[word] else {
            markWritten(word, in: &state)
            return
        }
        // `word | B`, `word & K`, a constant: what each tested mask becomes.
        enum Store { case or(Int64), and(Int64), constant(Int64), other }
        let store: Store = {
            if let k = value.constantValue { return .constant(k) }
            if case .binary(let op, let a, let b) = value.kind, a.path == word, let k = b.constantValue ?? Self.complement(b) {
                if op == .bitOr { return .or(k) }
                if op == .bitAnd { return .and(k) }
            }
            return .other
        }()
        for mask in tested {
            let key = BitFlags.key(word, mask)
            let old = bitFact(word, mask, in: before)
            var new: ValueFact?
            switch store {
            case .constant(let k): new = .constant(k & mask)
            case .or(let k):
                if mask & ~k == 0 { new = .constant(mask) } else if k & mask != 0 { new = ValueFact(signs: .nonZero, exact: nil) } else { new = old }
            case .and(let k):
                if k & mask == 0 { new = .constant(0) } else if mask & ~k == 0 { new = old } else { new = nil }
            case .other: new = nil
            }
            state.facts[key] = new
        }
        markWritten(word, in: &state)
    }

    /// `~K` as a constant, when the front end kept the operator.
    static func complement(_ e: Expr) -> Int64? {
        if case .unary(.bitNot, let inner) = e.kind, let k = inner.constantValue { return ~k }
        return nil
    }

    /// The bits `w op b` stores into `w`: `w | K` writes `K`, `w & M` (`M` written `~K` or
    /// folded to a constant) writes the bits `M` clears; anything else is no single mask.
    static func writtenBits(_ op: BinaryOperator, _ b: Expr) -> Int64? {
        switch op {
        case .bitOr: b.constantValue
        case .bitAnd: (complement(b) ?? b.constantValue).map { ~$0 }
        default: nil
        }
    }

    // MARK: Zero-filled objects

    /// A zeroing allocation's result in a local: a new zero-filled object.
    func allocateFresh(_ call: Call, site: Int, in state: inout PathState) {
        guard !bits.isEmpty, let callee = call.callee, pack.zeroes.contains(callee),
              let v = call.result?.variable, v.storage == .local || v.storage == .temporary else { return }
        state.fresh[site] = FreshObject()
        state.freshNames[v] = FreshPlace(object: site, steps: [])
    }

    /// `adapter = netdev_priv(netdev)`: the private area of a fresh object is fresh too.
    func deriveFresh(_ call: Call, in state: inout PathState) {
        guard !bits.isEmpty, let callee = call.callee, let v = call.result?.variable,
              let first = call.arguments.first?.variable, let place = state.freshNames[first] else { return }
        state.freshNames[v] = FreshPlace(object: place.object, steps: place.steps + [.field(callee, arrow: false)])
    }

    /// `hw = &adapter->hw`, `p = priv`: another local pointing into a fresh object.
    func copyFresh(target: Expr, value: Expr, in state: inout PathState) {
        guard !bits.isEmpty, let v = target.variable, v.storage == .local || v.storage == .temporary else { return }
        if let w = value.variable, let place = state.freshNames[w] {
            state.freshNames[v] = place
        } else if case .addressOf(let inner) = value.kind, let place = freshPlace(ofField: inner.path, in: state) {
            state.freshNames[v] = place
        }
    }

    /// Where a place (`adapter->flags`, `hw->mac.type`) lies in a fresh object, if it does.
    func freshPlace(ofField field: AccessPath, in state: PathState) -> FreshPlace? {
        guard let root = field.rootVariable, let base = state.freshNames[root], let first = field.steps.first else { return nil }
        var steps = base.steps
        switch first {
        case .field(let name, arrow: true): steps.append(.field(name, arrow: false))
        case .deref: break
        default: return nil
        }
        steps += field.steps.dropFirst()
        return FreshPlace(object: base.object, steps: steps)
    }

    func markWritten(_ word: AccessPath, in state: inout PathState) {
        guard !bits.isEmpty, case .field(let name, _)? = word.steps.last, bits.fieldNames.contains(name),
              let place = freshPlace(ofField: word, in: state) else { return }
        state.fresh[place.object]?.written.insert(place.steps)
    }

    /// A call the pack does not describe, handed a local that names a fresh object (or a
    /// place in one): it may write the object's flags, so their zero is now an assumption.
    /// A function whose body is in view writes only what its summary says (`FlagWrite`):
    /// those bits alone become assumptions (a helper filling `hw`'s fields, or setting another
    /// bit of `flags`, leaves the DISABLED bit known). One with no summary writes nothing.
    func handFresh(to call: Call, in state: inout PathState) {
        guard !state.freshNames.isEmpty, let callee = call.callee, !calls.packKnows(callee) else { return }
        let summary = calls.summaries[callee]
        guard summary?.unknown != true, summary != nil || calls.bodies.contains(callee) else {
            // A byte copy or fill whose destination is the object (`memcpy(d, tmpl, …)`,
            // `memset(&d->state, …)`) writes whatever bits its bytes hold, and so may a
            // function of the unit whose summary was given up on; other code out of view
            // sets only what the unit's functions it may run set (`setMeanwhile`).
            let bytes = calls.pack.copies.contains(callee) || calls.pack.borrows.contains(callee)
            // Here a summary is one given up on (`unknown`).
            let givenUp = summary != nil
            for (n, argument) in call.arguments.enumerated() {
                let destination: Variable?
                switch argument.kind {
                case .variable(let v) where n == 0: destination = v
                case .addressOf(let inner) where n == 0: destination = inner.rootVariable
                default: destination = nil
                }
                for v in argument.variables {
                    guard let place = state.freshNames[v], let object = state.fresh[place.object] else { continue }
                    if (givenUp || bytes && v == destination) && !object.anyBits { state.fresh[place.object]?.anyBits = true }
                    if !object.handedToCall { state.fresh[place.object]?.handedToCall = true }
                }
            }
            return
        }
        guard let writes = summary?.writes, !writes.isEmpty else { return }
        // The fresh objects each argument names, and the place it points at when it names one
        // exactly (`adapter`, `hw`, `&adapter->hw`); `adapter->pdev` names the object but
        // points elsewhere.
        var named: [(objects: Set<Int>, exact: FreshPlace?)] = []
        for argument in call.arguments {
            var exact: FreshPlace?
            if let v = argument.variable { exact = state.freshNames[v] }
            if case .addressOf(let inner) = argument.kind { exact = freshPlace(ofField: inner.path, in: state) }
            let objects = Set(argument.variables.compactMap { state.freshNames[$0]?.object })
            named.append((objects, exact))
        }
        let anyObject = named.reduce(into: Set<Int>()) { $0.formUnion($1.objects) }
        for write in writes {
            if let i = write.argument {
                guard i < named.count else { continue }
                if let exact = named[i].exact {
                    state.fresh[exact.object]?.mayHaveWritten.insert(PlacedWrite(write: write, anchor: exact.steps))
                } else {
                    for object in named[i].objects {
                        state.fresh[object]?.mayHaveWritten.insert(PlacedWrite(write: write, anchor: nil))
                    }
                }
            } else {
                // Through a pointer the callee read out of memory: any object the call was
                // handed a name of (`hw->back` is the adapter `hw` lies in).
                for object in anyObject {
                    state.fresh[object]?.mayHaveWritten.insert(PlacedWrite(write: write, anchor: nil))
                }
            }
        }
    }
}
