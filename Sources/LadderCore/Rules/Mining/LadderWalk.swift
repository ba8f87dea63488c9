/// One path through a function, as the pair miner follows it: the calls made, what each
/// call's result was tested to be, and which places hold which call's result.
struct LadderWalk {
    struct Record {
        var call: Call
        /// The values the tests on this path allow for the result.
        var signs: SignSet = .always
        /// A test compared the result with zero by sign (`< 0`), not by truth.
        var bySign = false
        /// IS_ERR() on the result: true when it said "error", false when it said "valid".
        var errorTest: Bool?
        var tested: Bool { signs != .always || errorTest != nil }
    }

    var block: BlockID
    var visits: [BlockID: Int] = [:]
    var calls: [Record] = []
    /// Places holding a call's result (index into `calls`), through assignments.
    var producedBy: [AccessPath: Int] = [:]
    /// Results of predicate calls (IS_ERR) and the call whose result they tested.
    var predicateOf: [AccessPath: Int] = [:]
    /// The sign a place has from a constant or an error-valued call (`ret = -ENOMEM`, `PTR_ERR`).
    var knownSigns: [AccessPath: SignSet] = [:]
    /// `calls.count` at the last test of a call's result: what follows is cleanup.
    var lastTest: Int?
    /// `calls.count` at the first goto after `lastTest`: the ladder starts there.
    var ladderStart: Int?

    init(block: BlockID) { self.block = block }

    mutating func step(_ statement: Statement, pack: RulePack) {
        switch statement {
        case .call(let call):
            let index = calls.count
            calls.append(Record(call: call))
            guard let result = call.result else { return }
            forget(result.path)
            if let callee = call.callee, let predicate = pack.predicates[callee], predicate.argument < call.arguments.count,
               let tested = producedBy[call.arguments[predicate.argument].path] {
                predicateOf[result.path] = tested
            } else if let callee = call.callee, let signs = pack.resultSigns[callee] {
                knownSigns[result.path] = signs
            } else {
                producedBy[result.path] = index
            }
        case .assign(let target, let value, _):
            let from = value.path
            let (produced, predicate, signs) = (producedBy[from], predicateOf[from], knownSigns[from])
            forget(target.path)
            producedBy[target.path] = produced
            predicateOf[target.path] = predicate
            knownSigns[target.path] = signs ?? value.constantValue.map(SignSet.init(of:))
        }
    }

    private mutating func forget(_ path: AccessPath) {
        producedBy[path] = nil
        predicateOf[path] = nil
        knownSigns[path] = nil
    }

    mutating func tookGoto() {
        if lastTest != nil, ladderStart == nil { ladderStart = calls.count }
    }

    /// The branch went the way where `condition` is `holds`.
    mutating func test(_ condition: Expr, holds: Bool, pack: RulePack) {
        guard let (path, whenTrue, bySign) = Self.decompose(condition) else { return }
        let signs = holds ? whenTrue : SignSet.always.subtracting(whenTrue)
        if let tested = predicateOf[path] {
            guard signs == .zero || signs == .nonZero else { return }
            calls[tested].errorTest = signs == .nonZero
        } else if let tested = producedBy[path] {
            calls[tested].signs.formIntersection(signs)
            calls[tested].bySign = calls[tested].bySign || bySign
        } else {
            return
        }
        lastTest = calls.count
        ladderStart = nil
    }

    /// `condition` as "the value at this place has these signs", when it is one.
    static func decompose(_ condition: Expr) -> (AccessPath, SignSet, bySign: Bool)? {
        switch condition.kind {
        case .variable, .member, .deref, .index:
            return (condition.path, .nonZero, false)
        case .unary(.logicalNot, let inner):
            return decompose(inner).map { ($0.0, SignSet.always.subtracting($0.1), $0.bySign) }
        case .binary(let op, let a, let b) where op.isComparison:
            if b.constantValue == 0, let inner = decompose(a), inner.1 == .nonZero {
                return (inner.0, Transfer.signs(satisfying: op, 0), op != .eq && op != .ne)
            }
            if a.constantValue == 0, let inner = decompose(b), inner.1 == .nonZero {
                return (inner.0, Transfer.signs(satisfying: op.swapped, 0), op != .eq && op != .ne)
            }
            return nil
        default:
            return nil
        }
    }

    /// Whether `return value` gives the function's error value on this path.
    func isError(_ value: Expr?, shape: CType.Shape, pack: RulePack) -> Bool {
        guard let value else { return false }
        let signs: SignSet?
        if let constant = value.constantValue {
            signs = SignSet(of: constant)
        } else if let known = knownSigns[value.path] {
            signs = known
        } else if let index = producedBy[value.path] {
            let record = calls[index]
            if record.errorTest == true { return shape == .pointer }
            signs = record.tested ? record.signs : nil
        } else {
            signs = nil
        }
        guard let signs, !signs.isEmpty else { return false }
        switch shape {
        case .pointer: return signs.isSubset(of: pack.convention.pointer)
        case .signedInteger: return signs.isSubset(of: .nonZero) && !signs.isDisjoint(with: pack.convention.signed)
        case .unsignedInteger, .void, .other: return false
        }
    }

    /// The pairs this path, at an error exit, shows.
    func pairs() -> [(MinedPair, MinedSuccess)] {
        guard let lastTest else { return [] }
        let cutoff = ladderStart ?? lastTest
        var used: Set<Int> = []
        var out: [(MinedPair, MinedSuccess)] = []
        for rung in calls[cutoff...] {
            guard let release = rung.call.callee, rung.call.result == nil, rung.call.origin == .source,
                  !rung.call.arguments.contains(where: { if case .string = $0.kind { true } else { false } }) else { continue }
            var best: (argument: Int, index: Int, resource: MinedResource, success: MinedSuccess, rivals: Int, bare: Bool)?
            for (position, argument) in rung.call.arguments.enumerated() where argument.constantValue == nil {
                let x = argument.path
                var matches: [(Int, MinedResource, MinedSuccess)] = []
                for index in calls.indices.prefix(lastTest) where !used.contains(index) {
                    let record = calls[index]
                    guard let acquire = record.call.callee, acquire != release else { continue }
                    if record.call.result?.path == x || producedBy[x] == index, let success = Self.producedSuccess(record) {
                        matches.append((index, .result, success))
                    } else if let taken = record.call.arguments.firstIndex(where: { $0.path == x }),
                              let success = Self.statusSuccess(record) {
                        matches.append((index, .argument(taken), success))
                    }
                }
                guard let newest = matches.max(by: { $0.0 < $1.0 }) else { continue }
                let bare = argument.variable?.storage == .parameter
                let candidate = (position, newest.0, newest.1, newest.2, matches.count, bare)
                if let current = best, (current.rivals, current.bare ? 1 : 0) < (candidate.4, bare ? 1 : 0) { continue }
                best = candidate
            }
            guard let best, let acquire = calls[best.index].call.callee else { continue }
            used.insert(best.index)
            out.append((MinedPair(acquire: acquire, release: release, resource: best.resource, releaseArgument: best.argument),
                        best.success))
        }
        return out
    }

    /// A call whose result is the resource, tested and found valid on this path.
    private static func producedSuccess(_ record: Record) -> MinedSuccess? {
        if record.errorTest == false { return .notError }
        guard record.errorTest == nil, record.tested, !record.signs.isEmpty else { return nil }
        if record.signs.isSubset(of: .nonZero) { return .validPointer }
        if record.bySign, record.signs.isSubset(of: .nonNegative) { return .nonNegative }
        return nil
    }

    /// A call that took the resource as an argument, its status tested and found success.
    private static func statusSuccess(_ record: Record) -> MinedSuccess? {
        guard record.errorTest == nil, record.tested, !record.signs.isEmpty else { return nil }
        if record.signs == .zero { return .zero }
        if record.bySign, record.signs.isSubset(of: .nonNegative) { return .nonNegative }
        return nil
    }
}
