/// A pointer stepped with a loop counter names one element by that counter:
/// `for (i = 0; i < num; i++, array++) gpio_request_one(array->gpio, …)` requests
/// `array[i]` (of the array as it was when `i` was 0), and the unwind
/// `while (i--) gpio_free((--array)->gpio);` frees `array[i]` again, because the pointer went
/// back a step each time the counter did. Read as itself, `array->gpio` is one handle that a
/// step renames, so the loop's acquisition looked like one resource, lost at the step, and
/// each unwind release like a release of nothing.
///
/// The rule: a pointer whose only writes are steps by a constant (`p++`, `--p`, `p += 1`) and
/// at most one other value before any step (`entry = &msix[1]`), and a counter, keep a fixed
/// distance `(p - start) - i` at every acquisition or release that reads through `p`. When
/// that distance is one known number `k` at all of them, `p` stands for the element
/// `start[i + k]` there (`ElementIndex.aliases`), and per-element tracking follows it.
///
/// The distance is computed by a forward pass over the CFG, one value per block entry: a
/// step of either moves it, `i = c` sets it from how far the pointer has moved (when known),
/// any other write of either, or paths that disagree, make it unknown. A pointer not
/// provably in step at every such use is not read as an element: ladder then says what it
/// said before.
///
/// What it cannot see: a pointer stepped by a helper (`next_entry(&p)`), or by a different
/// amount than the counter in one statement (`p += 2` per `i++`, which the distance would read
/// as drifting: it becomes unknown, never wrong).
enum SteppedPointers {
    /// `p` ↦ `p[i + k]`, for every pointer provably in step with a counter at every
    /// resource call that reads through it. `slots` gives a call's handle expressions.
    static func aliases(in function: Function, counters: Set<Variable>, slots: (Call) -> [Expr]) -> [Variable: Expr] {
        // Most functions step no counter: then no pointer is worth looking for.
        guard !counters.isEmpty else { return [:] }
        let pointers = candidates(in: function)
        guard !pointers.isEmpty else { return [:] }
        // Each call's handles, worked out once: the pass below visits a call once per
        // pointer, counter and round.
        var slotsAt: [[[Expr]]] = []
        for block in function.blocks {
            slotsAt.append(block.statements.map { if case .call(let call) = $0 { slots(call) } else { [] } })
        }
        // A pointer no resource call reads through has no distance to find.
        let read = pointers.filter { pointer in slotsAt.contains { $0.contains { $0.contains { readsThrough($0, pointer) } } } }
        var result: [Variable: Expr] = [:]
        for pointer in read {
            for counter in counters.sorted(by: { $0.name < $1.name }) where counter != pointer {
                guard let k = distance(of: pointer, from: counter, in: function, slotsAt: slotsAt) else { continue }
                let base = Expr(.variable(pointer), text: pointer.name)
                let index = k == 0 ? Expr.variable(counter)
                    : Expr(.binary(.add, .variable(counter), .constant(k)), text: "\(counter.name) + \(k)")
                result[pointer] = Expr(.index(base: base, index: index), text: "\(pointer.name)[\(index.text)]")
                break
            }
        }
        return result
    }

    /// Locals and parameters stepped by a constant, written otherwise at most once.
    static func candidates(in function: Function) -> [Variable] {
        var stepped: Set<Variable> = []
        var others: [Variable: Int] = [:]
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    guard let v = target.path.variable, v.storage == .local || v.storage == .parameter else { continue }
                    if step(of: v, in: value) != nil { stepped.insert(v) } else { others[v, default: 0] += 1 }
                case .call(let call):
                    if let v = call.result?.path.variable { others[v, default: 0] += 2 }
                }
            }
        }
        return stepped.filter { (others[$0] ?? 0) <= 1 }.sorted { $0.name < $1.name }
    }

    /// `v + c` or `v - c`: the step `c` (negative going down).
    static func step(of v: Variable, in value: Expr) -> Int64? {
        guard case .binary(let op, let a, let b) = value.kind, op == .add || op == .sub,
              a.variable == v, let c = b.constantValue else { return nil }
        return op == .add ? c : 0 &- c
    }

    /// Whether `slot` reads through `pointer` (`pointer->gpio`, `*pointer`, `pointer[0].x`).
    static func readsThrough(_ slot: Expr, _ pointer: Variable) -> Bool {
        switch slot.kind {
        case .member(let base, _, let arrow):
            if arrow, base.variable == pointer { return true }
            return readsThrough(base, pointer)
        case .deref(let base), .index(let base, _):
            if base.variable == pointer { return true }
            return readsThrough(base, pointer)
        case .addressOf(let base):
            return readsThrough(base, pointer)
        default:
            return false
        }
    }

    /// Beyond this the distance is taken as unknown, so loops that step one side only converge.
    static let limit: Int64 = 16

    /// What a path knows at one point: how far the pointer has moved since its start, and
    /// `(pointer - start) - counter`. Nil is unknown.
    struct Facts: Equatable {
        var moved: Int64?
        var distance: Int64?

        static func joined(_ a: Facts, _ b: Facts) -> Facts {
            Facts(moved: a.moved == b.moved ? a.moved : nil, distance: a.distance == b.distance ? a.distance : nil)
        }

        static func bounded(_ x: Int64?) -> Int64? {
            guard let x, abs(x) <= limit else { return nil }
            return x
        }
    }

    /// The one distance `pointer` keeps from `counter` at every resource call reading through
    /// it, or nil. `slotsAt[block][position]`: the handles of the call at that statement
    /// (none for an assignment).
    static func distance(of pointer: Variable, from counter: Variable, in function: Function,
                         slotsAt: [[[Expr]]]) -> Int64? {
        guard !function.blocks.isEmpty else { return nil }
        var entryFacts: [BlockID: Facts] = [function.entry: Facts(moved: pointer.storage == .parameter ? 0 : nil, distance: nil)]
        var work: [BlockID] = [function.entry]
        var seen: Int64?
        var consistent = true
        var uses = 0
        var rounds = 0
        while let id = work.popLast() {
            rounds += 1
            guard rounds <= 20 * function.blocks.count + 100, id < function.blocks.count, var facts = entryFacts[id] else { return nil }
            let block = function.blocks[id]
            for (position, statement) in block.statements.enumerated() {
                switch statement {
                case .assign(let target, let value, _):
                    guard let v = target.path.variable else { continue }
                    if v == pointer {
                        if let c = step(of: pointer, in: value) {
                            facts.moved = Facts.bounded(facts.moved.map { $0 &+ c })
                            facts.distance = Facts.bounded(facts.distance.map { $0 &+ c })
                        } else {
                            facts = Facts(moved: 0, distance: nil)
                        }
                    } else if v == counter {
                        if let c = step(of: counter, in: value) {
                            facts.distance = Facts.bounded(facts.distance.map { $0 &- c })
                        } else if let c = value.constantValue {
                            facts.distance = Facts.bounded(facts.moved.map { $0 &- c })
                        } else {
                            facts.distance = nil
                        }
                    }
                case .call(let call):
                    if slotsAt[id][position].contains(where: { readsThrough($0, pointer) }) {
                        uses += 1
                        if let d = facts.distance, seen == nil || seen == d {
                            seen = d
                        } else {
                            consistent = false
                        }
                    }
                    if let v = call.result?.path.variable {
                        if v == pointer { facts = Facts(moved: nil, distance: nil) }
                        if v == counter { facts.distance = nil }
                    }
                }
            }
            for next in block.terminator.successors {
                let merged = entryFacts[next].map { Facts.joined($0, facts) } ?? facts
                if merged != entryFacts[next] {
                    entryFacts[next] = merged
                    work.append(next)
                }
            }
        }
        // Uses were recorded on every visit, the early ones before the facts settled: a
        // disagreement anywhere is taken as one, which only ever says less.
        guard consistent, uses > 0 else { return nil }
        return seen
    }
}
