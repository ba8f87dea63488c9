/// A lock a function expects its caller to hold on entry: it releases it without taking it
/// (a helper that ends a critical section its caller began), or it panics unless
/// `holding()` says it is held (xv6's `sched()`).
///
/// Recorded on each path in the function's own terms, summarised when every path that
/// returns expects it, and checked at the calls the translation unit shows. What cannot be
/// named in the caller's terms (a lock reached through a local from `myproc()`) is not
/// expected of anyone: precision over reach.
public struct LockExpectation: Sendable, Hashable, Codable, Comparable {
    public enum How: String, Sendable, Hashable, Codable {
        /// The function releases the lock.
        case releases
        /// The function only asserts the lock is held.
        case asserts
    }

    public var kinds: [ResourceKind]
    /// The lock in the caller's terms (`&{0}->lock`, a global's path).
    public var lock: PathTemplate
    public var how: How

    public init(kinds: [ResourceKind], lock: PathTemplate, how: How) {
        self.kinds = kinds
        self.lock = lock
        self.how = how
    }

    public static func < (a: LockExpectation, b: LockExpectation) -> Bool {
        (a.lock, a.how.rawValue) < (b.lock, b.how.rawValue)
    }
}

/// One path's reason to expect a lock held on entry: where, and through which call.
public struct PathExpectation: Sendable, Hashable {
    public var expectation: LockExpectation
    /// The call that released (or asserted, or needed) the lock, for a finding there.
    public var call: Call
    public var handleText: String
}

/// A pending "not held" that came from a callee's expectation rather than a release here.
public struct ExpectedBy: Sendable, Hashable {
    public var callee: String
    public var how: LockExpectation.How
}

extension Transfer {
    /// The lock named in terms of the function's parameters or globals, so a caller can
    /// name it too; nil for a lock reached only through a local.
    func callerTemplate(_ key: AccessPath, _ state: PathState) -> PathTemplate? {
        let name = canonical(key, state)
        let parameters = function.parameters.map { Variable($0.name, .parameter) }
        if let template = PathTemplate(abstracting: name, parameters: parameters) { return template }
        if case .variable(let v) = name.root, v.storage == .global { return PathTemplate(.path(name)) }
        return nil
    }

    /// Whether this function takes `key` itself somewhere: then it is not entered holding it
    /// (taking a held spinlock or mutex again would deadlock).
    func takesItself(_ key: AccessPath, kinds: [ResourceKind]) -> Bool {
        !parameters.contains(key) && kinds.contains { scan.acquirable.contains(AcquirableHandle(kind: $0, handle: key, start: nil)) }
    }

    /// A lock released here without being held on this path: the caller's, if it can say so.
    func expectReleased(_ rule: ReleaseRule, key: AccessPath, text: String, call: Call, in state: inout PathState) {
        guard let template = callerTemplate(key, state) else { return }
        let expectation = LockExpectation(kinds: rule.kinds, lock: template, how: .releases)
        state.expected.insert(PathExpectation(expectation: expectation, call: call, handleText: text))
    }

    /// Before a call: `holding(lk)` asserting a lock, and callees that expect locks held.
    func checkLockPreconditions(_ callee: String, call: Call, at site: FunctionPrescan.CallSite,
                                in state: inout PathState) {
        if let query = pack.lockQueries[callee] {
            guard isAssertion(call, at: site),
                  let filled = query.handle.path(result: call.result, arguments: call.arguments) else { return }
            let key = scan.collective(filled)
            if holds(key, kinds: query.kinds, state) { return }
            guard let template = callerTemplate(key, state) else { return }
            let text = query.handle.text(result: call.result, arguments: call.arguments) ?? key.description
            let expectation = LockExpectation(kinds: query.kinds, lock: template, how: .asserts)
            state.expected.insert(PathExpectation(expectation: expectation, call: call, handleText: text))
            return
        }
        for expectation in calls.expectations(callee) {
            guard let filled = expectation.lock.path(result: nil, arguments: call.arguments) else { continue }
            let key = scan.collective(filled)
            if holds(key, kinds: expectation.kinds, state) { continue }
            let text = expectation.lock.text(result: nil, arguments: call.arguments) ?? key.description
            if takesItself(key, kinds: expectation.kinds) {
                // As for a lock released here before it is taken: a path that takes it
                // again before returning was dropping and retaking the caller's lock.
                let pending = PendingUnacquired(call: call, handleText: text, key: key, kinds: expectation.kinds,
                                                expectedBy: ExpectedBy(callee: callee, how: expectation.how))
                if !state.pendingUnacquired.contains(pending) { state.pendingUnacquired.append(pending) }
                continue
            }
            guard let template = callerTemplate(key, state) else { continue }
            let passed = LockExpectation(kinds: expectation.kinds, lock: template, how: expectation.how)
            state.expected.insert(PathExpectation(expectation: passed, call: call, handleText: text))
        }
    }

    func holds(_ key: AccessPath, kinds: [ResourceKind], _ state: PathState) -> Bool {
        let alternative = canonical(key, state)
        return state.held.contains { kinds.contains($0.kind) && ($0.handles.contains(key) || $0.handles.contains(alternative)) }
    }

    /// `if(!holding(lk)) panic(…)`: the query's answer is tested at once, and the "no" side
    /// ends in a call that does not return. A query used any other way asserts nothing.
    func isAssertion(_ call: Call, at site: FunctionPrescan.CallSite) -> Bool {
        guard let result = call.result?.path else { return false }
        let block = function.blocks[site.block]
        guard site.index == block.statements.count - 1,
              case .branch(let condition, let then, let otherwise, _) = block.terminator,
              let whenFalse = Self.falseTarget(condition, result: result, then: then, otherwise: otherwise) else { return false }
        return function.blocks[whenFalse].statements.contains { statement in
            guard case .call(let c) = statement else { return false }
            return c.isNoReturn || c.callee.map(pack.noReturn.contains) == true
        }
    }

    /// The successor taken when `result` is zero, if `condition` tests exactly that.
    static func falseTarget(_ condition: Expr, result: AccessPath, then: BlockID, otherwise: BlockID) -> BlockID? {
        switch condition.kind {
        case .variable where condition.path == result: return otherwise
        case .unary(.logicalNot, let inner) where inner.path == result: return then
        case .binary(.eq, let l, let r) where l.path == result && r.constantValue == 0: return then
        case .binary(.ne, let l, let r) where l.path == result && r.constantValue == 0: return otherwise
        default: return nil
        }
    }
}

extension SummaryDerivation {
    /// Locks every returning path expects held on entry. A lock only some paths release
    /// (`if (locked) mutex_unlock(…)`) is the caller's on those paths only: not summarised.
    static func expectations(_ result: FunctionAnalysis.Result) -> [LockExpectation] {
        guard var common = result.exits.first.map({ Set($0.expected.map(\.expectation)) }) else { return [] }
        for exit in result.exits.dropFirst() { common.formIntersection(exit.expected.map(\.expectation)) }
        return common.sorted()
    }
}

/// Which functions have callers the translation unit shows: a static function whose
/// address the file never takes is called only from the file. One with no such caller has
/// nobody to hold a lock for it.
public struct CallersInView: Sendable {
    private var closed: Set<String> = []

    /// Worked out once from the whole unit, for a driver that later analyses its functions
    /// one at a time (`TranslationUnit` of one function shows none of its callers).
    public init(closed: Set<String>) { self.closed = closed }

    public init(_ unit: TranslationUnit) {
        // Without the front end's list of functions whose address is taken, any static
        // function may be a callback: none is closed.
        guard let taken = unit.addressTaken else { return }
        let called = ContractSettlement.calledByName(in: unit)
        for function in unit.functions where function.isStatic && !taken.contains(function.name) && !called.contains(function.name) {
            closed.insert(function.name)
        }
    }

    /// Static, address never taken, and called by no other function here.
    public func hasNoCaller(_ function: String) -> Bool { closed.contains(function) }

    /// The releases of locks that a function with no caller expects held: nobody holds them.
    static func unheldReleases(_ result: FunctionAnalysis.Result) -> [PathExpectation] {
        var seen: Set<PathExpectation> = []
        var found: [PathExpectation] = []
        for exit in result.exits {
            for expected in exit.expected where expected.expectation.how == .releases && seen.insert(expected).inserted {
                found.append(expected)
            }
        }
        return found.sorted { $0.call.location < $1.call.location }
    }
}
