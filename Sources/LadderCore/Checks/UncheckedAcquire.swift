/// `unchecked-acquire`: an acquisition that can fail whose result is never tested before it
/// matters.
///
/// Reports, for a call the pack says can fail (its `success` is not `always`: a pointer
/// that may be NULL or an ERR_PTR, an int that may be negative):
/// - its result discarded (`request_irq(...);` as a statement) when the call acquires
///   something it was given, which the code then takes as held; a discarded result that
///   is itself the only handle (`i2c_new_client_device(adap, &info);`) names nothing a
///   failure could reach, and is not reported;
/// - its result stored, then, on some path before any test, dereferenced (`p->x`, `*p`,
///   `&p->lock` handed to a call), passed where the pack or the C library needs a valid one (a handle,
///   `takes`, `dependsOn` or transfer argument; `memset`, `memcpy`, …), or overwritten;
/// - its result stored in locals that no path ever tests, passes or returns.
///
/// Why it matters: `kalloc()` returns 0 when memory runs out, and `memset(0, …)` then
/// writes over page zero; `devm_clk_get()` returns an ERR_PTR that `clk_prepare_enable()`
/// dereferences; an ignored `request_irq()` failure leaves a driver waiting for interrupts
/// that never come, then `free_irq()`s a line it does not own.
///
/// Wrong:                                  Right:
///     mem = kalloc();                         if((mem = kalloc()) == 0)
///     memset(mem, 0, PGSIZE);                   return -1;
///                                             memset(mem, 0, PGSIZE);
///
/// The path analysis takes an unchecked acquisition of a named object as succeeded (held
/// from the call, `Transfer.acquire`), so this is the one finding its failure gets.
///
/// A test is a branch on the value (`!p`, `p == 0`, `ret < 0`, a `switch`), a comparison
/// stored for later, or a call that tests it: a pack predicate (`IS_ERR`), a call whose
/// result sign the pack declares (`PTR_ERR_OR_ZERO`). Returning the value as it is hands the
/// test to the caller. One finding per acquisition: its earliest unchecked use.
///
/// Limits: a function-level walk of the CFG, not the path analysis: it follows correlated
/// branches only where the same condition is tested twice (`if (want) p = kmalloc(…); …
/// if (want) memcpy(p, …)`), and otherwise explores every path, feasible or not. Whenever
/// it cannot tell, it says nothing: passing the value to a call it knows nothing about (which
/// may test it), arithmetic on it, taking its address, or a call that could change the
/// memory it was stored in ends the search on that path. Any test counts, even the wrong
/// one (`!p` for an ERR_PTR). Wrappers in the same file are not checked: their summary says
/// they can fail by their return type alone (`bget` never returns 0). `(void)` casts are
/// invisible after lowering. A handle the unit clears after a tested acquisition of it
/// (`OptionalHandles`: an optional clock) is not reported untested. A member's
/// address stored in a local (`info = &msg->data`) is arithmetic, not a use; the local holds
/// the unchecked value from then on.
extension RuleID {
    public static let uncheckedAcquire = RuleID("unchecked-acquire")
}

public struct UncheckedAcquire: Check {
    public static let rule = RuleSpec(
        id: .uncheckedAcquire,
        severity: .warning,
        summary: "an acquisition that can fail, used or dropped before its result is tested",
        explanation: RuleExplanation(
            details: "A call the rule pack says can fail (NULL, an ERR_PTR, a negative int) whose result is discarded, or stored and then, on some path before any test, dereferenced, passed where a valid one is needed, or overwritten, or never looked at again. A branch on the value, a pack predicate such as IS_ERR(), or returning the value to the caller counts as a test.",
            wrong: """
                mem = kalloc();
                memset(mem, 0, PGSIZE);
                """,
            right: """
                if((mem = kalloc()) == 0)
                  return -1;
                memset(mem, 0, PGSIZE);
                """),
        tags: ["correctness", "error-handling"],
        check: UncheckedAcquire())

    /// The C library's own: a pointer argument at these positions must be valid. Kernel
    /// headers define them too, with the same contract; a pack cannot yet say so itself.
    static let dereferencingArguments: [String: Set<Int>] = [
        "memset": [0], "memcpy": [0, 1], "memmove": [0, 1], "memcmp": [0, 1],
        "strcpy": [0, 1], "strncpy": [0, 1], "strcat": [0, 1], "strlen": [0], "strcmp": [0, 1], "strncmp": [0, 1],
    ]

    /// Block visits per acquisition before giving up on it, silently.
    static let budget = 20_000

    public init() {}

    public func inspect(function: Function, pack: RulePack) -> [Finding] {
        var findings: [Finding] = []
        // Read off the function at its first checked acquisition: most functions have none.
        let correlated = Memo { CorrelatedConditions(function) }
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee,
                      let rule = pack.acquires[callee], rule.success != .always, !rule.fromSummary,
                      !rule.mayIgnoreFailure,
                      !OptionalHandle.names(function.optionalHandles ?? [], rule, call) else { continue }
                guard let result = call.result else {
                    if Self.failureOutlivesDiscard(rule) {
                        findings.append(finding(.discarded, call: call, callee: callee, function: function))
                    }
                    continue
                }
                let site = Site(block: block.id, index: index, call: call, callee: callee, result: result)
                var walk = Walk(function: function, pack: pack, site: site, correlated: correlated.value)
                if let outcome = walk.run() {
                    findings.append(finding(outcome.problem, call: call, callee: callee, function: function,
                                            holder: result, at: outcome.location, step: outcome.step))
                }
            }
        }
        return findings
    }

    /// Whether a discarded result leaves a failure that can still matter: some resource of
    /// the acquisition is named by what the call was given (`request_irq(irq, …)`,
    /// `clk_prepare_enable(clk)`), which the code goes on to treat as held and to release.
    /// When the result is the only name of everything acquired
    /// (`i2c_new_client_device(adap, &info);`), a failed value reaches nothing: there is
    /// no use to be unchecked, and a successful one that is dropped is a leak, which is not
    /// this rule's to say (nor one at all when a parent owns what was registered).
    static func failureOutlivesDiscard(_ rule: AcquireRule) -> Bool {
        rule.resources.contains { spec in
            if case .result = spec.handle.root { return false }
            return true
        }
    }

    enum Problem: String {
        case discarded, used, overwritten, neverChecked = "never-checked"
    }

    func finding(_ problem: Problem, call: Call, callee: String, function: Function, holder: Expr? = nil,
                 at location: SourceLocation? = nil, step: String? = nil) -> Finding {
        // A temporary's name (`%2`) means nothing to a reader and changes with unrelated edits.
        let named = holder.flatMap { $0.variable?.storage == .temporary ? nil : $0 }
        let name = named.map { "'\($0.text)' from \(callee)()" } ?? "the result of \(callee)()"
        let message = switch problem {
        case .discarded: "\(callee)() can fail, but its result is discarded"
        case .used: "\(name) is used before it is checked for failure"
        case .overwritten: "\(name) is overwritten before it is checked for failure"
        case .neverChecked: "\(name) is never checked for failure"
        }
        var path = [PathStep(location: call.location, message: "\(callee)() can fail here")]
        if let location, let step { path.append(PathStep(location: location, message: step)) }
        return Finding(rule: .uncheckedAcquire, message: message, function: function.name,
                       location: location ?? call.location, path: path,
                       fingerprint: Fingerprint.make(function: function.name, rule: .uncheckedAcquire, kind: nil,
                                                     acquiredBy: callee, handle: named?.text, extra: problem.rawValue))
    }
}

extension UncheckedAcquire {
    /// One acquisition whose result lands somewhere.
    struct Site {
        var block: BlockID
        var index: Int
        var call: Call
        var callee: String
        var result: Expr
    }

    /// Conditions branched on more than once: deciding one decides the others (`if (want)` …
    /// `if (want)`), so a walk remembers how it went. Any other condition is free each time.
    struct CorrelatedConditions {
        /// Distinct conditions, `!` stripped.
        private(set) var conditions: [Expr] = []
        /// For a block ending in a branch on one of them: its index, and whether the branch
        /// tests its negation.
        private(set) var byBlock: [BlockID: (index: Int, negated: Bool)] = [:]

        init(_ function: Function) {
            var seen: [(condition: Expr, blocks: [(BlockID, Bool)])] = []
            // By structural path, hashed once: a switch of 10,000 cases has 10,000 conditions,
            // and comparing each with every other would be quadratic.
            var index: [AccessPath: Int] = [:]
            for block in function.blocks {
                guard case .branch(let condition, _, _, _) = block.terminator else { continue }
                let (stripped, negated) = Self.strip(condition)
                if let i = index[stripped.path] {
                    seen[i].blocks.append((block.id, negated))
                } else {
                    index[stripped.path] = seen.count
                    seen.append((stripped, [(block.id, negated)]))
                }
            }
            for entry in seen where entry.blocks.count > 1 {
                for (block, negated) in entry.blocks { byBlock[block] = (conditions.count, negated) }
                conditions.append(entry.condition)
            }
        }

        static func strip(_ condition: Expr) -> (Expr, Bool) {
            if case .unary(.logicalNot, let inner) = condition.kind {
                let (stripped, negated) = strip(inner)
                return (stripped, !negated)
            }
            return (condition, false)
        }
    }

    /// Structural questions about expressions, by `Expr` kind and `Variable` identity: the
    /// source text (which keeps casts and spacing) plays no part.
    enum Structure {
        static func same(_ a: Expr, _ b: Expr) -> Bool {
            switch (a.kind, b.kind) {
            case (.deref(let x), _): if case .addressOf(let inner) = x.kind { return same(inner, b) }
            case (_, .deref(let y)): if case .addressOf(let inner) = y.kind { return same(a, inner) }
            default: break
            }
            switch (a.kind, b.kind) {
            case (.constant(let x), .constant(let y)): return x == y
            case (.variable(let x), .variable(let y)): return x == y
            case (.member(let p, let n, let r), .member(let q, let m, let s)): return n == m && r == s && same(p, q)
            case (.deref(let x), .deref(let y)), (.addressOf(let x), .addressOf(let y)): return same(x, y)
            case (.index(let p, let i), .index(let q, let j)): return same(p, q) && same(i, j)
            case (.containerOf(let x, let m), .containerOf(let y, let n)): return m == n && same(x, y)
            case (.unary(let o, let x), .unary(let p, let y)): return o == p && same(x, y)
            case (.binary(let o, let x1, let x2), .binary(let p, let y1, let y2)): return o == p && same(x1, y1) && same(x2, y2)
            case (.call(let f, let xs), .call(let g, let ys)):
                return f == g && xs.count == ys.count && zip(xs, ys).allSatisfy { same($0, $1) }
            case (.string(let x), .string(let y)): return x == y
            case (.opaque, .opaque): return a.text == b.text
            default: return false
            }
        }

        /// `part` is `whole` or something `whole` is reached through (`priv` in `priv->clk`,
        /// `i` in `argv[i]`): changing `part` changes what `whole` names.
        static func contains(_ whole: Expr, _ part: Expr) -> Bool {
            if same(whole, part) { return true }
            switch whole.kind {
            case .member(let base, _, _), .deref(let base), .addressOf(let base), .unary(_, let base), .containerOf(let base, _):
                return contains(base, part)
            case .index(let a, let b), .binary(_, let a, let b): return contains(a, part) || contains(b, part)
            case .call(_, let arguments): return arguments.contains { contains($0, part) }
            case .constant, .variable, .string, .opaque: return false
            }
        }

        /// How a holder of the unchecked value occurs in an expression that is evaluated.
        enum Occurrence {
            case none
            /// The expression is the holder itself.
            case exact(Expr)
            /// Arithmetic on it, its address, an index by it: what comes of it, this check cannot tell.
            case unclear
            /// Compared, negated, or given to a call inside the expression.
            case tested
            /// Read through: a NULL or ERR_PTR faults here.
            case dereferenced(Expr)

            /// What decides when a holder occurs twice: a dereference anywhere is a use.
            var rank: Int {
                switch self {
                case .none: 0
                case .exact: 1
                case .unclear: 2
                case .tested: 3
                case .dereferenced: 4
                }
            }

            static func strongest(_ all: [Occurrence]) -> Occurrence {
                all.max { $0.rank < $1.rank } ?? .none
            }
        }

        static func occurrence(of holders: [Expr], in e: Expr) -> Occurrence {
            if let h = holders.first(where: { same($0, e) }) { return .exact(h) }
            let held = { (x: Expr) in holders.first { same($0, x) } }
            switch e.kind {
            case .member(let base, _, let arrow):
                if arrow, let h = held(base) { return .dereferenced(h) }
                return demoted(occurrence(of: holders, in: base))
            case .deref(let base):
                if let h = held(base) { return .dereferenced(h) }
                return demoted(occurrence(of: holders, in: base))
            case .index(let base, let index):
                if let h = held(base) { return .dereferenced(h) }
                return .strongest([demoted(occurrence(of: holders, in: base)), demoted(occurrence(of: holders, in: index))])
            case .addressOf(let inner), .containerOf(let inner, _):
                return demoted(occurrence(of: holders, in: inner))
            case .unary(let op, let inner):
                let found = occurrence(of: holders, in: inner)
                if case .exact = found { return op == .logicalNot ? .tested : .unclear }
                return found
            case .binary(let op, let a, let b):
                let found = Occurrence.strongest([occurrence(of: holders, in: a), occurrence(of: holders, in: b)])
                if case .exact = found { return op.isComparison ? .tested : .unclear }
                return found
            case .call(_, let arguments):
                let found = Occurrence.strongest(arguments.map { occurrence(of: holders, in: $0) })
                if case .exact = found { return .tested }
                return found
            case .constant, .variable, .string, .opaque:
                return .none
            }
        }

        /// A holder met inside a larger expression is no longer the expression's value.
        private static func demoted(_ o: Occurrence) -> Occurrence {
            if case .exact = o { return .unclear }
            return o
        }

        static func isLocal(_ e: Expr) -> Bool {
            guard let v = e.variable else { return false }
            return v.storage == .local || v.storage == .temporary
        }
    }

    /// Every path from the entry through one acquisition, following where its result goes
    /// until it is tested, used, handed on, lost, or this walk can no longer tell.
    struct Walk {
        let function: Function
        let pack: RulePack
        let site: Site
        let correlated: CorrelatedConditions
        /// Blocks from which the acquisition can still be reached: elsewhere, with nothing
        /// held, a path has nothing left to show.
        let reachesSite: Set<BlockID>

        /// The earliest use or overwrite found, with its path step.
        var found: Outcome?
        /// Some path tested it, handed it on, kept it beyond the function, or lost track.
        var accountedFor = false
        /// Some path returned with it held only by locals and never looked at.
        var died = false

        init(function: Function, pack: RulePack, site: Site, correlated: CorrelatedConditions) {
            self.function = function
            self.pack = pack
            self.site = site
            self.correlated = correlated
            var predecessors: [BlockID: [BlockID]] = [:]
            for block in function.blocks {
                for next in block.terminator.successors { predecessors[next, default: []].append(block.id) }
            }
            var reaches: Set<BlockID> = [site.block]
            var stack = [site.block]
            while let b = stack.popLast() {
                for p in predecessors[b] ?? [] where reaches.insert(p).inserted { stack.append(p) }
            }
            reachesSite = reaches
        }

        typealias Outcome = (problem: UncheckedAcquire.Problem, location: SourceLocation, step: String?)

        struct State: Hashable {
            var block: BlockID
            /// Where the unchecked value is now; empty when nothing unchecked is held.
            var holders: [Expr]
            /// How correlated conditions went on this path, by index.
            var decided: [Int: Bool]
        }

        /// Nil when nothing is wrong, or when the walk ran out of budget.
        mutating func run() -> Outcome? {
            var visited: Set<State> = []
            var work = [State(block: function.entry, holders: [], decided: [:])]
            while var state = work.popLast() {
                guard visited.insert(state).inserted else { continue }
                // Out of budget: a use already seen stands; "never checked" needs every path.
                guard visited.count <= UncheckedAcquire.budget else { return found }
                guard !state.holders.isEmpty || reachesSite.contains(state.block) else { continue }
                let block = function.blocks[state.block]
                var ended = false
                for (index, statement) in block.statements.enumerated() {
                    apply(statement, isSite: state.block == site.block && index == site.index, to: &state)
                    if case .call(let call) = statement, call.isNoReturn { ended = true; break }
                }
                if ended { continue }
                switch block.terminator {
                case .jump(let target, _):
                    state.block = target
                    work.append(state)
                case .branch(let condition, let then, let otherwise, let location):
                    if !state.holders.isEmpty {
                        switch Structure.occurrence(of: state.holders, in: condition) {
                        case .dereferenced(let h): use(h, at: location, state: &state)
                        case .exact, .tested, .unclear: settle(&state)
                        case .none: break
                        }
                    }
                    for (target, truth) in [(then, true), (otherwise, false)] {
                        var next = state
                        if let (index, negated) = correlated.byBlock[state.block] {
                            let value = truth != negated
                            if let known = next.decided[index], known != value { continue }
                            next.decided[index] = value
                        }
                        next.block = target
                        work.append(next)
                    }
                case .return(let value, let location):
                    guard !state.holders.isEmpty else { continue }
                    switch value.map({ Structure.occurrence(of: state.holders, in: $0) }) ?? .none {
                    case .dereferenced(let h): use(h, at: location, state: &state)
                    case .exact, .tested, .unclear: accountedFor = true
                    case .none:
                        if state.holders.allSatisfy(Structure.isLocal) { died = true } else { accountedFor = true }
                    }
                case .unreachable:
                    continue
                }
            }
            if let found { return found }
            if died && !accountedFor {
                return (.neverChecked, site.call.location, nil)
            }
            return nil
        }

        /// The effect of one statement on where the unchecked value is.
        mutating func apply(_ statement: Statement, isSite: Bool, to state: inout State) {
            switch statement {
            case .assign(let target, let value, let location):
                // `info = &msg->data` (or `&msg->data[0]`, `&msg->hdr.len`): the address of a
                // member is arithmetic on the pointer, not a use of what it points to
                // (i2c-cp2615). The new pointer holds the unchecked value too: reading through
                // it before a test is a use.
                if case .addressOf(let inner) = value.kind, let base = Self.memberBase(inner),
                   state.holders.contains(where: { Structure.same($0, base) }) {
                    write(target, at: location, state: &state)
                    if !state.holders.contains(where: { Structure.same($0, target) }) { state.holders.append(target) }
                    return
                }
                if !state.holders.isEmpty {
                    switch Structure.occurrence(of: state.holders, in: value) {
                    case .dereferenced(let h): return use(h, at: location, state: &state)
                    case .tested, .unclear: settle(&state)
                    case .exact(let h):
                        if Structure.same(h, target) { return }
                        write(target, at: location, state: &state)
                        if !state.holders.contains(where: { Structure.same($0, target) }) { state.holders.append(target) }
                        return
                    case .none: break
                    }
                    if case .dereferenced(let h) = Structure.occurrence(of: state.holders, in: target) {
                        return use(h, at: location, state: &state)
                    }
                }
                write(target, at: location, state: &state)
            case .call(let call):
                if !state.holders.isEmpty { arguments(of: call, state: &state) }
                if let result = call.result { write(result, at: call.location, state: &state) }
                if isSite {
                    state.holders = [site.result]
                }
            }
        }

        /// What handing the unchecked value to a call means, argument by argument.
        mutating func arguments(of call: Call, state: inout State) {
            let callee = call.callee ?? ""
            for (i, argument) in call.arguments.enumerated() where !state.holders.isEmpty {
                switch Structure.occurrence(of: state.holders, in: argument) {
                case .none:
                    // Given what the value was stored in, the callee may test or change it.
                    if argument.rootVariable != nil,
                       state.holders.contains(where: { !Structure.same($0, argument) && Structure.contains($0, argument) }) {
                        settle(&state)
                    }
                    if case .addressOf(let inner) = argument.kind { forget(inner, state: &state) }
                case .dereferenced(let h):
                    use(h, at: call.location, state: &state, via: "\(callee)()")
                case .tested, .unclear:
                    settle(&state)
                case .exact(let h):
                    switch role(of: i, in: call) {
                    case .tests, .releases, .unknown: settle(&state)
                    case .needsValid: use(h, at: call.location, state: &state, via: "\(callee)()")
                    }
                }
            }
            // A call the pack knows nothing about may change any global.
            if !state.holders.isEmpty, call.callee.map({ pack.acquires[$0] == nil && pack.releases[$0] == nil }) ?? true {
                state.holders.removeAll { $0.rootVariable?.storage == .global }
                if state.holders.isEmpty { accountedFor = true }
            }
        }

        enum Role {
            /// A predicate on it, or a call whose result sign the pack knows (`PTR_ERR_OR_ZERO`).
            case tests
            /// A release: what it does with a failed value is release-unacquired's business.
            case releases
            /// A handle, something taken over or depended on, a transfer, a C library pointer.
            case needsValid
            case unknown
        }

        func role(of argument: Int, in call: Call) -> Role {
            guard let callee = call.callee else { return .unknown }
            if let predicate = pack.predicates[callee], predicate.argument == argument { return .tests }
            if pack.resultSigns[callee] != nil { return .tests }
            if pack.releases[callee] != nil { return .releases }
            if let rule = pack.acquires[callee] {
                let handles = rule.resources.flatMap(\.handle.arguments)
                if rule.takes.contains(argument) || rule.dependsOn.contains(argument) || handles.contains(argument) {
                    return .needsValid
                }
            }
            if pack.transfers[callee]?.contains(where: { $0.argument == argument }) == true { return .needsValid }
            if UncheckedAcquire.dereferencingArguments[callee]?.contains(argument) == true { return .needsValid }
            return .unknown
        }

        /// The pointer a member access goes through: `msg` for `msg->data`, `msg->data[0]`
        /// and `msg->hdr.len`.
        static func memberBase(_ e: Expr) -> Expr? {
            switch e.kind {
            case .member(let base, _, let arrow): arrow ? base : memberBase(base)
            case .index(let base, _): memberBase(base)
            default: nil
            }
        }

        /// `target` gets a new value: a holder it is loses the unchecked one (lost for good
        /// when it was the last), and holders and decided conditions reached through it go stale.
        mutating func write(_ target: Expr, at location: SourceLocation, state: inout State) {
            if let i = state.holders.firstIndex(where: { Structure.same($0, target) }) {
                state.holders.remove(at: i)
                if state.holders.isEmpty {
                    report(.overwritten, at: location, step: "'\(target.text)' is overwritten here")
                    return
                }
            }
            forget(target, state: &state)
        }

        /// Holders and decided conditions that `changed` may have changed.
        mutating func forget(_ changed: Expr, state: inout State) {
            let before = state.holders.count
            state.holders.removeAll { Structure.contains($0, changed) }
            if before > 0 && state.holders.isEmpty { accountedFor = true }
            let stale = correlated.conditions.indices.filter { Structure.contains(correlated.conditions[$0], changed) }
            for i in stale { state.decided[i] = nil }
        }

        mutating func use(_ holder: Expr, at location: SourceLocation, state: inout State, via callee: String? = nil) {
            let how = callee.map { "passed to \($0) here" } ?? "dereferenced here"
            let name = holder.variable?.storage == .temporary ? "it is" : "'\(holder.text)' is"
            report(.used, at: location, step: "\(name) \(how), unchecked")
            state.holders = []
        }

        /// Tested, handed on, or out of this walk's sight: nothing more to say on this path.
        mutating func settle(_ state: inout State) {
            accountedFor = true
            state.holders = []
        }

        mutating func report(_ problem: UncheckedAcquire.Problem, at location: SourceLocation, step: String) {
            if let found, found.location <= location { return }
            found = (problem, location, step)
        }
    }
}
