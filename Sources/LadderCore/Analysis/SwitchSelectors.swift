/// What can pick the arm of a switch (`ToggleFunctions`): a value the function was handed,
/// not one it computed from what it did. Two sorts:
/// - the caller's choice: a parameter, or a local computed from such parameters, constants
///   and state reads by operators alone (`on`, `enable`, `asserted = mode & CS_HIGH ? enable
///   : !enable`, `enabled = pwm->state.enabled`). A parameter the function assigns stays one
///   when every value it is given is such (`on = !!on` before the test; `enable = 0` to
///   record a failed start); one given a hardware read or a call's result is not;
/// - the state of an object the caller handed over: a field path rooted at a given pointer
///   (`state->enabled`, `pwm->state.enabled`, `ios->power_mode`, `host->vqmmc_on`). A
///   pointer is given when it is a parameter never assigned, or a local whose every value
///   comes from given pointers by a field read or by a call that acquires nothing
///   (`host = mmc_priv(mmc)`, `pc = dev_get_drvdata(dev)`).
///
/// A pure query of given pointers the pack lists (`pwm_is_enabled(pwm)`, a header inline
/// the front end skips) reads that state too.
///
/// What it cannot see: a hardware read (`status = readl(base)`) is a call's result, not a
/// state path, so it picks no arm; nor do element reads, or other calls. A field the
/// function writes before testing it is still read as the caller's state: the test reads
/// whatever the path holds there.
struct SwitchSelectors: Sendable {
    /// Caller's choices (variables) and state paths, as the access paths a test reads.
    let selectors: Set<AccessPath>
    /// Pointers whose fields are the caller's state.
    let given: Set<Variable>

    init(_ function: Function, calls: CallSemantics) {
        var values: [Variable: [Statement]] = [:]
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, _, _):
                    if let v = target.variable { values[v, default: []].append(statement) }
                case .call(let call):
                    if let v = call.result?.variable { values[v, default: []].append(statement) }
                }
            }
        }
        let all = function.parameters.map { Variable($0.name, .parameter) }
        let parameters = all.filter { values[$0] == nil }
        var given = Set(parameters)
        var choices = Set(parameters)
        var changed = true
        while changed {
            changed = false
            for v in all where !choices.contains(v) {
                guard values[v] != nil, Self.keeps(function, v, choices: choices, given: given) else { continue }
                choices.insert(v)
                changed = true
            }
            for (v, statements) in values where v.storage == .local || v.storage == .temporary {
                if !given.contains(v), statements.allSatisfy({ Self.derives($0, from: given, calls) }) {
                    given.insert(v)
                    changed = true
                }
                if !choices.contains(v), Self.computed(statements, from: choices, given: given)
                    || Self.queries(statements, given: given, calls) {
                    choices.insert(v)
                    changed = true
                }
            }
        }
        self.given = given
        selectors = Set(choices.map { AccessPath(variable: $0) })
    }

    /// The path a test reads when it is a caller's choice or a state path.
    func selector(_ operand: Expr) -> AccessPath? {
        switch operand.kind {
        case .variable:
            return selectors.contains(operand.path) ? operand.path : nil
        case .member:
            return Self.isState(operand, given) ? operand.path : nil
        default:
            return nil
        }
    }

    /// `v` (true when non-zero), `!v`, `v == c`, `v != c` over a selector, as (selector,
    /// value, whether the true edge means equal).
    func read(_ condition: Expr) -> (selector: AccessPath, value: Int64, equalWhenTrue: Bool)? {
        switch condition.kind {
        case .variable, .member:
            guard let path = selector(condition) else { return nil }
            return (path, 0, false)
        case .unary(.logicalNot, let inner):
            guard let test = read(inner) else { return nil }
            return (test.selector, test.value, !test.equalWhenTrue)
        case .binary(let op, let a, let b) where op == .eq || op == .ne:
            if let path = selector(a), let c = b.constantValue { return (path, c, op == .eq) }
            if let path = selector(b), let c = a.constantValue { return (path, c, op == .eq) }
            return nil
        default:
            return nil
        }
    }

    /// A field path (no element, no call) rooted at a given pointer.
    static func isState(_ e: Expr, _ given: Set<Variable>) -> Bool {
        switch e.kind {
        case .member(let base, _, _):
            if let v = base.variable { return given.contains(v) }
            return isState(base, given)
        default:
            return false
        }
    }

    /// A given pointer's value: a field read or the address of one (`dev = &pdev->dev`), a
    /// copy of a given pointer, or a call that acquires nothing made of given pointers.
    private static func derives(_ statement: Statement, from given: Set<Variable>, _ calls: CallSemantics) -> Bool {
        switch statement {
        case .assign(_, let value, _):
            guard let root = value.rootVariable, given.contains(root) else { return false }
            switch value.kind {
            case .variable, .member, .addressOf: return true
            default: return false
            }
        case .call(let call):
            guard let callee = call.callee, calls.acquire(callee) == nil, !call.arguments.isEmpty else { return false }
            return call.arguments.allSatisfy { argument in
                argument.constantValue != nil || argument.rootVariable.map(given.contains) == true
            }
        }
    }

    /// Whether a local's one value is a pure query of given pointers (`pwm_is_enabled(pwm)`,
    /// the pack's `pure`: a header inline reading `pwm->state.enabled`), which reads the
    /// caller's state as a field test does.
    private static func queries(_ statements: [Statement], given: Set<Variable>, _ calls: CallSemantics) -> Bool {
        guard statements.count == 1, case .call(let call) = statements[0], let callee = call.callee,
              calls.pack.pure.contains(callee), !call.arguments.isEmpty else { return false }
        return call.arguments.allSatisfy { argument in
            argument.constantValue != nil || argument.variable.map(given.contains) == true
        }
    }

    /// Whether every value of a local is made of choices, constants and state paths by
    /// operators alone, and at least one is not a constant.
    private static func computed(_ statements: [Statement], from choices: Set<Variable>, given: Set<Variable>) -> Bool {
        var values: [Expr] = []
        for statement in statements {
            guard case .assign(_, let value, _) = statement else { return false }
            values.append(value)
        }
        return values.allSatisfy { $0.constantValue != nil || made($0, choices, given) }
            && values.contains { $0.constantValue == nil }
    }

    /// Whether a parameter's every assignment leaves it the caller's choice. One that a test
    /// of the parameter can still read must be the parameter's own value reworked (`on =
    /// !!on`): a constant there, or a copy of a field, may be set under a test of the hardware
    /// (`if (readl(base) & 1) on = 1;`), which would pick the arm instead of the caller. One
    /// no such test reads may be a constant or made of choices: it records an outcome
    /// (`enable = 0` after a failed start, stored as the new state).
    private static func keeps(_ function: Function, _ parameter: Variable, choices: Set<Variable>, given: Set<Variable>) -> Bool {
        let own = choices.union([parameter])
        let mentions = { (e: Expr) in e.variables.contains(parameter) }
        let testing = Set(function.blocks.filter { block in
            if case .branch(let condition, _, _, _) = block.terminator { return mentions(condition) }
            return false
        }.map(\.id))
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    guard target.variable == parameter else { continue }
                    let tested = testing.contains(block.id)
                        || !function.reachableBlocks(from: block.terminator.successors).isDisjoint(with: testing)
                    if tested {
                        guard value.constantValue == nil, mentions(value), made(value, own, given) else { return false }
                    } else {
                        guard value.constantValue != nil || made(value, own, given) else { return false }
                    }
                case .call(let call):
                    if call.result?.variable == parameter { return false }
                }
            }
        }
        return true
    }

    private static func made(_ e: Expr, _ choices: Set<Variable>, _ given: Set<Variable>) -> Bool {
        switch e.kind {
        case .constant: return true
        case .variable(let v): return choices.contains(v)
        case .member: return isState(e, given)
        case .unary(_, let inner): return made(inner, choices, given)
        case .binary(_, let a, let b): return made(a, choices, given) && made(b, choices, given)
        default: return false
        }
    }
}

/// Which edges every path from the entry to a block passes.
struct EdgeCuts {
    let function: Function

    /// Whether `target` can be reached from the entry without taking the edge `cut`.
    func reachable(_ target: BlockID, without cut: (BlockID, BlockID)) -> Bool {
        function.firstReachable(from: [function.entry], following: { $0 != cut.0 || $1 != cut.1 }) { $0 == target } != nil
    }
}
