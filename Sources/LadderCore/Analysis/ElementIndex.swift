/// Where a handle names one element of many by a loop counter: `bufs[i]`, `addrs[i - 1]`,
/// `pci_irq_vector(pdev, i)`. The access path has already forgotten the index (`bufs[*]`);
/// the expression still has it, and per-element tracking needs it.
struct ElementIndex: Hashable {
    /// The counter.
    var counter: Variable
    /// Added to the counter (`bufs[i - 1]`: -1).
    var offset: Int64
    /// The collection as written, index left out: `bufs[]`, `pci_irq_vector(pdev, *)`.
    var collection: String
    /// The element itself is the handle (an array slot, not an argument of a call).
    var isSlot: Bool

    var bound: ElementBound { ElementBound(.current(counter), offset) }

    /// The expression a template's handle is read from: the result or one argument.
    static func slot(of template: PathTemplate, result: Expr?, arguments: [Expr]) -> Expr? {
        switch template.root {
        case .result: return result
        case .argument(let i): return i < arguments.count ? arguments[i] : nil
        case .named, .call, .path: return nil
        }
    }

    /// The counter indexing `expression`, if a counter does (the innermost index wins: the
    /// slot is what differs per iteration). A local that only ever holds an element of one
    /// collection at one offset (`entry = &msix[v]`, `irq = msix[v + 1].vector`, see
    /// `aliases`) is read as that element.
    static func find(in expression: Expr, counters: Set<Variable>, aliases: [Variable: Expr] = [:]) -> ElementIndex? {
        switch expression.kind {
        case .variable(let v):
            guard let value = aliases[v] else { return nil }
            return find(in: value, counters: counters)
        case .index(let base, let index):
            if let (counter, offset) = linear(index, counters: counters) {
                return ElementIndex(counter: counter, offset: offset, collection: base.text + "[]", isSlot: true)
            }
            if let (counter, start) = shifted(index, counters: counters) {
                return ElementIndex(counter: counter, offset: 0, collection: "\(base.text)[\(start.text) + ]", isSlot: true)
            }
            return find(in: base, counters: counters, aliases: aliases)
        case .call(let callee, let arguments):
            for (position, argument) in arguments.enumerated() {
                guard let (counter, offset) = linear(argument, counters: counters) else { continue }
                var texts = arguments.map(\.text)
                texts[position] = "*"
                return ElementIndex(counter: counter, offset: offset, collection: "\(callee)(\(texts.joined(separator: ", ")))", isSlot: false)
            }
            return nil
        case .member(let base, _, _), .deref(let base), .addressOf(let base):
            return find(in: base, counters: counters, aliases: aliases)
        default:
            return nil
        }
    }

    /// Locals standing for one element: every assignment to the local (its initialiser
    /// included) is an element of the same collection at the same offset from the same
    /// counter (`entry = &adapter->msix_entries[vector]` in the request loop,
    /// `irq_num = msix[vector + 1].vector` in both the request and the unwind loop). The
    /// per-element code reads the local as that element. A local given anything else once
    /// stands for nothing: which element it holds would depend on the path.
    static func aliases(in function: Function, counters: Set<Variable>) -> [Variable: Expr] {
        // Every index names one of the counters (`linear`, `shifted`): with none, no local is
        // an element's.
        guard !counters.isEmpty else { return [:] }
        var values: [Variable: Expr] = [:]
        var mixed: Set<Variable> = []
        var indices: [Variable: ElementIndex] = [:]
        for block in function.blocks {
            for case .assign(let target, var value, _) in block.statements {
                guard case .variable(let v) = target.kind, v.storage == .local, !counters.contains(v), !mixed.contains(v) else { continue }
                // Through another element's local (`led_cdev = &pled->cdev` after
                // `pled = &apu_led->pled[i]`): the same element's member.
                if let root = value.rootVariable, root != v, !mixed.contains(root), let element = values[root],
                   let through = value.replacingRoot(with: element) {
                    value = through
                }
                guard let index = find(in: value, counters: counters), value.elementShape else {
                    mixed.insert(v)
                    continue
                }
                if let earlier = indices[v], earlier != index {
                    mixed.insert(v)
                    continue
                }
                indices[v] = index
                values[v] = values[v] ?? value
            }
        }
        return values.filter { !mixed.contains($0.key) }
    }

    /// `i`, `i + 1`, `i - 1` with `i` a counter.
    static func linear(_ e: Expr, counters: Set<Variable>) -> (Variable, Int64)? {
        switch e.kind {
        case .variable(let v) where counters.contains(v):
            return (v, 0)
        case .binary(.add, let a, let b):
            if case .variable(let v) = a.kind, counters.contains(v), let c = b.constantValue { return (v, c) }
            if case .variable(let v) = b.kind, counters.contains(v), let c = a.constantValue { return (v, c) }
            return nil
        case .binary(.sub, let a, let b):
            if case .variable(let v) = a.kind, counters.contains(v), let c = b.constantValue { return (v, 0 &- c) }
            return nil
        default:
            return nil
        }
    }

    /// `base + i` with `base` a variable or a field (a vsi's first vector): the counter,
    /// and the start, which becomes part of the collection's name. What it cannot see:
    /// whether `base` changes between the acquisition and the release; it is taken to be
    /// what it was.
    static func shifted(_ e: Expr, counters: Set<Variable>) -> (Variable, Expr)? {
        guard case .binary(.add, let a, let b) = e.kind else { return nil }
        for (counter, start) in [(a, b), (b, a)] {
            guard case .variable(let v) = counter.kind, counters.contains(v), start.isStart(counters) else { continue }
            return (v, start)
        }
        return nil
    }

    /// A comparison operand as a bound: a constant, or any variable plus a constant (`n`,
    /// `i - 1`, `count`). Nil for anything else.
    static func bound(_ e: Expr) -> ElementBound? {
        if let c = e.constantValue { return .constant(c) }
        switch e.kind {
        case .variable(let v) where v.storage != .global:
            return ElementBound(.current(v), 0)
        case .binary(.add, let a, let b):
            if let c = b.constantValue, let inner = bound(a), inner.base != .constant { return inner.adding(c) }
            if let c = a.constantValue, let inner = bound(b), inner.base != .constant { return inner.adding(c) }
            return nil
        case .binary(.sub, let a, let b):
            if let c = b.constantValue, let inner = bound(a), inner.base != .constant { return inner.adding(0 &- c) }
            return nil
        default:
            return nil
        }
    }
}

private extension Expr {
    /// A variable other than a counter, or a field read off one: what a vector range
    /// starts at.
    func isStart(_ counters: Set<Variable>) -> Bool {
        switch kind {
        case .variable(let v): !counters.contains(v) && v.storage != .global
        case .member(let base, _, _): base.isStart(counters)
        default: false
        }
    }

    /// An element, its address, or a field of it: what a local standing for an element holds.
    var elementShape: Bool {
        switch kind {
        case .index: true
        case .member(let base, _, _), .addressOf(let base), .deref(let base): base.elementShape
        default: false
        }
    }
}

private extension Expr {
    /// The same member, field or element chain read from `base` instead of its root
    /// variable; nil when the chain is anything else.
    func replacingRoot(with base: Expr) -> Expr? {
        let rebuilt: Expr.Kind
        switch kind {
        case .variable: return base
        case .member(let inner, let name, let arrow):
            guard let b = inner.replacingRoot(with: base) else { return nil }
            rebuilt = .member(base: b, name: name, arrow: arrow)
        case .addressOf(let inner):
            guard let b = inner.replacingRoot(with: base) else { return nil }
            rebuilt = .addressOf(b)
        case .deref(let inner):
            guard let b = inner.replacingRoot(with: base) else { return nil }
            rebuilt = .deref(b)
        case .index(let inner, let index):
            guard let b = inner.replacingRoot(with: base) else { return nil }
            rebuilt = .index(base: b, index: index)
        default: return nil
        }
        return Expr(rebuilt, text: text)
    }
}
