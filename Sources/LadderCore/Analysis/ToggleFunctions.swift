/// Switch functions: a parameter chooses between taking a resource and dropping it
/// (`foo_set_power(st, true)` takes a runtime-PM reference, `foo_set_power(st, false)` puts
/// the one an earlier call took; an `enum` state in a `switch` whose ACTIVE case enables a
/// clock and whose INACTIVE case disables it). Walked one path at a time such a function
/// looks like two bugs: the on-arm returns success holding what it took, and the off-arm
/// drops what this path never took. Both are its contract: the caller pairs the two calls.
///
/// The rule: a resource (kind and name) is switched when
/// - it lives on an object the function was given, not one it made: the acquisition names
///   one of its arguments (`{0}`, not `{ret}`), and that argument is not the result of an
///   acquisition in the same function;
/// - the function acquires it at one call and releases it at another;
/// - a test of a parameter (or of a local computed from parameters alone, no field read)
///   tells the two calls apart: every path to the acquisition passes one outcome of such a test,
///   every path to the release passes an outcome of a test of the same variable, and no
///   value satisfies both (`on` true and false; `state == ACTIVE` and `state == INACTIVE`).
///
/// What follows (`Escape`, `Release`): a success return holding a switched resource is no
/// leak, and a release of one this path does not hold is the caller's, not a wrong rung.
/// Error returns are judged as before: an on-arm that takes the reference and then fails
/// must still drop it.
///
/// What it cannot see: only equality tests and truth tests of a plain variable are read
/// (`if (mode > 2)` is no switch); a parameter the function assigns is no switch (its value
/// at the test is not the caller's). Calls of the switch are not paired in the caller: a
/// caller that turns it on and never off is not told so.
struct ToggleFunctions: Sendable {
    /// The switched resources: kind and the name the acquisition gives it.
    private let switched: Set<Switched>

    private struct Switched: Hashable {
        var kind: ResourceKind
        var handle: AccessPath
    }

    /// Whether a release of `kinds` at `handle` drops a switched resource.
    func switches(_ kinds: [ResourceKind], _ handle: AccessPath) -> Bool {
        !switched.isEmpty && kinds.contains { switched.contains(Switched(kind: $0, handle: handle)) }
    }

    /// Whether holding `resource` at a success return is the switch's contract.
    func keeps(_ resource: HeldResource) -> Bool {
        !switched.isEmpty && resource.handles.contains { switched.contains(Switched(kind: resource.kind, handle: $0)) }
    }

    init(function: Function, calls: CallSemantics) {
        // The acquisitions and releases of objects the function was given.
        var made: Set<Variable> = []
        var acquired: [(kind: ResourceKind, handle: AccessPath, block: BlockID)] = []
        var released: [(kinds: [ResourceKind], handle: AccessPath, block: BlockID)] = []
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee else { continue }
                if let rule = calls.acquire(callee) {
                    if let result = call.result?.rootVariable { made.insert(result) }
                    for spec in rule.resources {
                        guard case .argument = spec.handle.root,
                              let handle = spec.handle.path(result: call.result, arguments: call.arguments) else { continue }
                        acquired.append((spec.kind, handle, block.id))
                    }
                }
                for rule in calls.releases(callee) ?? [] {
                    guard let handle = rule.handle.path(result: call.result, arguments: call.arguments) else { continue }
                    released.append((rule.kinds, handle, block.id))
                }
            }
        }
        acquired.removeAll { $0.handle.rootVariable.map(made.contains) ?? false }
        let pairs = acquired.flatMap { a in
            released.filter { $0.handle == a.handle && $0.kinds.contains(a.kind) }.map { (a, $0) }
        }
        guard !pairs.isEmpty else {
            switched = []
            return
        }
        var tests = SwitchTests(function)
        var found: Set<Switched> = []
        for (acquire, release) in pairs where tests.separate(acquire.block, release.block) {
            found.insert(Switched(kind: acquire.kind, handle: acquire.handle))
        }
        switched = found
    }
}

/// The outcomes of tests of the caller's choice (a parameter, or a local copied from one)
/// that every path to a block passes.
private struct SwitchTests {
    /// One outcome of one test: the variable is, or is not, one value.
    struct Outcome: Hashable {
        var variable: Variable
        var equals: Bool
        var value: Int64

        func excludes(_ other: Outcome) -> Bool {
            guard variable == other.variable else { return false }
            if equals && other.equals { return value != other.value }
            return equals != other.equals && value == other.value
        }
    }

    private let function: Function
    /// Each edge out of a test of the caller's choice: the block it leaves, the block it
    /// enters, and what holds on it.
    private let edges: [(from: BlockID, to: BlockID, outcome: Outcome)]
    private var dominating: [BlockID: [Outcome]] = [:]

    init(_ function: Function) {
        self.function = function
        let choices = Self.choices(function)
        var edges: [(from: BlockID, to: BlockID, outcome: Outcome)] = []
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, _) = block.terminator, then != otherwise,
                  let test = Self.read(condition), choices.contains(test.variable) else { continue }
            edges.append((block.id, then, Outcome(variable: test.variable, equals: test.equalWhenTrue, value: test.value)))
            edges.append((block.id, otherwise, Outcome(variable: test.variable, equals: !test.equalWhenTrue, value: test.value)))
        }
        self.edges = edges
    }

    /// Whether no value of the caller's choice leads both to `a` and to `b`.
    mutating func separate(_ a: BlockID, _ b: BlockID) -> Bool {
        let first = outcomes(reaching: a), second = outcomes(reaching: b)
        return first.contains { x in second.contains { x.excludes($0) } }
    }

    /// The outcomes every path from the entry to `block` passes: the edges without which
    /// it cannot be reached.
    private mutating func outcomes(reaching block: BlockID) -> [Outcome] {
        if let known = dominating[block] { return known }
        var found: [Outcome] = []
        for edge in edges where !reachable(block, without: (edge.from, edge.to)) {
            found.append(edge.outcome)
        }
        dominating[block] = found
        return found
    }

    private func reachable(_ target: BlockID, without cut: (BlockID, BlockID)) -> Bool {
        var seen: Set<BlockID> = [function.entry]
        var stack = [function.entry]
        while let next = stack.popLast() {
            if next == target { return true }
            for successor in function.blocks[next].terminator.successors
            where !(next == cut.0 && successor == cut.1) && seen.insert(successor).inserted {
                stack.append(successor)
            }
        }
        return false
    }

    /// `v` (true when non-zero), `!v`, `v == c`, `v != c`, as (variable, value, whether the
    /// true edge means equal).
    private static func read(_ condition: Expr) -> (variable: Variable, value: Int64, equalWhenTrue: Bool)? {
        switch condition.kind {
        case .variable(let v): return (v, 0, false)
        case .unary(.logicalNot, let inner):
            guard let test = read(inner) else { return nil }
            return (test.variable, test.value, !test.equalWhenTrue)
        case .binary(let op, let a, let b) where op == .eq || op == .ne:
            let pair: (Variable, Int64)?
            if let v = a.variable, let c = b.constantValue { pair = (v, c) }
            else if let v = b.variable, let c = a.constantValue { pair = (v, c) }
            else { pair = nil }
            guard let pair else { return nil }
            return (pair.0, pair.1, op == .eq)
        default: return nil
        }
    }

    /// The variables that hold the caller's choice: parameters the function never assigns,
    /// and locals whose every value is computed from such variables and constants alone
    /// (`asserted = mode & CS_HIGH ? enable : !enable` is `enable` or `!enable`). A field
    /// read (`on = p->running`) is the object's state, not the caller's choice.
    private static func choices(_ function: Function) -> Set<Variable> {
        var assignments: [Variable: [Expr?]] = [:]
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    if let v = target.variable { assignments[v, default: []].append(value) }
                case .call(let call):
                    if let v = call.result?.variable { assignments[v, default: []].append(nil) }
                }
            }
        }
        var choices = Set(function.parameters.map { Variable($0.name, .parameter) }.filter { assignments[$0] == nil })
        var changed = true
        while changed {
            changed = false
            for (v, values) in assignments where v.storage != .parameter && v.storage != .global && !choices.contains(v) {
                let computed = values.compactMap { $0 }
                guard computed.count == values.count,
                      computed.allSatisfy({ $0.constantValue != nil || Self.computed($0, from: choices) }),
                      computed.contains(where: { $0.constantValue == nil }) else { continue }
                choices.insert(v)
                changed = true
            }
        }
        return choices
    }

    /// Whether `value` is made of `choices` by operators alone: no field, element or call.
    private static func computed(_ value: Expr, from choices: Set<Variable>) -> Bool {
        let read = value.variables
        return !read.isEmpty && read == value.valueVariables && read.allSatisfy(choices.contains)
    }
}
