/// Whether a release inserted at one point of a function is right on every path through
/// that point: each path reaching it holds the resource, and none releases it again after.
///
///     for(p = proc; …){                       a release of `p->lock` after the loop would run
///       acquire(&p->lock);                    on the path that released it in `else` and
///       if(p->state == UNUSED) goto found;    left the loop: a second release there
///       else release(&p->lock);
///     }
///
/// The fix builders choose a place from the shape of the CFG (dominance, labels, private
/// edges); this walks the paths once more with what each holds, and a place that fails is
/// not used. Every path is followed with a small state: whether the resource is held,
/// whether the inserted release ran, and which of the pointers the function tests for null
/// are known null or non-null (`ip = 0;` before `goto bad`, then `if(ip){ … }`), so a path
/// the code itself keeps out of a block does not count against a place inside it.
///
/// Limits: it sees the calls written in the function, not what a callee releases (a helper
/// that frees what it is given); another call of the acquirer with the same text (a lock
/// taken again) counts as the same acquisition; an acquisition whose handle is its result
/// is held only where that result is not null. Too many states (a function of dozens of
/// tested pointers) and it gives no answer, and the builder's own choice stands.
struct ReleasePlacement {
    let points: FunctionPoints
    let pack: RulePack
    /// Work left for all the verdicts of the one fix this placement serves. A verdict has
    /// its own budget, but `search` asks up to 200 places: on the intel drivers' largest
    /// functions one fix took minutes. Spent, the remaining places are unknown and the fix
    /// keeps the builder's own choice.
    private let allowance = Allowance(200_000 * 5)

    private final class Allowance {
        var remaining: Int
        init(_ remaining: Int) { self.remaining = remaining }
    }

    /// The pointers some branch tests against null, each with its bit in `Fact.null` and
    /// `Fact.nonNull`. Past 64 the rest are taken as untested: their tests narrow nothing.
    private let tested: [AccessPath: UInt64]

    init(points: FunctionPoints, pack: RulePack) {
        self.points = points
        self.pack = pack
        var tested: Set<AccessPath> = []
        for block in points.function.blocks {
            if case .branch(let condition, _, _, _) = block.terminator, let (path, _) = Self.nullTest(condition) { tested.insert(path) }
        }
        let ordered = tested.sorted { $0.description < $1.description }.prefix(64)
        self.tested = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, UInt64(1) << UInt64($0)) })
    }

    /// What the paths through a place show.
    enum Verdict: Equatable {
        /// Held on every path through it, released by nothing after it.
        case right
        /// Some path through it does not hold the resource there, or releases it again.
        case wrong
        /// Too many states, or the acquisition is not a statement of this function.
        case unknown
    }

    /// The state of one path: what a block is entered with is a set of these.
    private struct Fact: Hashable {
        var held = false
        var released = false
        /// A variable the handle is written with was assigned while held (`p++` in a
        /// slot search): the handle's text names something else now.
        var renamed = false
        /// Held since the acquisition itself ran (not only taken to be held from another
        /// call's result, `ip = namei(…)` beside `ip = create(…)`): what `everyExit` counts.
        var taken = false
        /// Tested pointers known null, and known not null, as bits (`ReleasePlacement.tested`):
        /// a set of paths here made hashing them most of a fix's cost.
        var null: UInt64 = 0
        var nonNull: UInt64 = 0
    }

    /// How much of the leak at the exit a place must close.
    enum Closing {
        /// Some path reaching the exit passed the place since it took the resource: the
        /// place is on the way to the leak, not beside it (`iput(next)` at the end of
        /// `namex`'s loop does nothing for the `return` at the top of the next iteration).
        case some
        /// No path reaches the exit holding it.
        case every
    }

    /// A release of `resource` inserted before the statement (or terminator) at `point`.
    /// `exit`: when given, the place must also close the leak at that return, as `closing` says.
    /// `unusedAfter`: also wrong when a path reads the handle after the inserted release
    /// (`ip = next;` after `iput(next)`): the code still needs what it would give back.
    /// `everyExit`: also wrong when any path still holds the resource at a return, or takes
    /// it again while holding it (a lock locked twice deadlocks): the place must close every
    /// leak of the resource, not only the one at `exit`.
    func verdict(releasing resource: HeldResource, at point: FunctionPoints.Point,
                 leakingAt exit: FunctionPoints.Point? = nil, closing: Closing = .every, unusedAfter: Bool = false,
                 everyExit: Bool = false) -> Verdict {
        guard let sitePoint = points.point(of: resource.site), sitePoint.index < points.block(sitePoint.block).statements.count,
              case .call(let acquisition) = points.block(sitePoint.block).statements[sitePoint.index],
              let keys = resource.fix.flatMap(ReleaseCall.init).map({ Set($0.expanded(with: pack.combines).map(\.key)) })
        else { return .unknown }
        let tested = self.tested
        // A variable in the handle the resource was taken under, or what that is reached
        // through (`np` of `&np->lock`). Not a later alias: in a lookup loop's next turn,
        // `next = dirlookup(…)` takes the inode the fix's `iput(next)` names again.
        let takenAs = resource.takenAs ?? resource.handles.first
        func namesThrough(_ variable: Variable) -> Bool { takenAs?.mentions(variable) == true }
        let same: (Call) -> Bool = { call in
            call.location == acquisition.location
                || (call.callee == acquisition.callee && call.arguments.map(\.path) == acquisition.arguments.map(\.path)
                    && call.result?.path == acquisition.result?.path)
        }
        // Taken only where the result is not null, when the function tests that at all (a
        // `bread` it never tests is taken to succeed, as the analysis takes it).
        // The result may be the handle or what it is reached through (`np` of `&np->lock`).
        let resultIsHandle = acquisition.result.map { result in
            tested[result.path] != nil
                && (resource.handles.contains(result.path) || result.variable.map(namesThrough) == true)
        } ?? false
        var wrong = false

        func release(_ facts: Set<Fact>, inserted: Bool) -> Set<Fact> {
            Set(facts.map { f in
                var f = f
                if !f.held && (inserted || f.released) { wrong = true }
                if inserted && f.renamed { wrong = true }
                f.held = false
                f.taken = false
                if inserted { f.released = true }
                return f
            })
        }
        func reads(_ expression: Expr) -> Bool { resource.handles.contains(where: expression.path.mentions) }
        // Writing a handle itself (`ip = next;`) reads nothing of it; writing through it
        // (`ip->nlink = 0;`) does.
        func reads(_ statement: Statement) -> Bool {
            switch statement {
            case .call(let call): call.arguments.contains(where: reads)
            case .assign(let target, let value, _): reads(value) || (!resource.handles.contains(target.path) && reads(target))
            }
        }
        func apply(_ statement: Statement, to facts: Set<Fact>) -> Set<Fact> {
            if unusedAfter, facts.contains(where: { $0.released && !$0.held }), reads(statement) { wrong = true }
            switch statement {
            case .call(let call):
                if same(call) {
                    if everyExit, facts.contains(where: \.taken) { wrong = true }
                    // Taken again: what the inserted release gave back is another acquisition's.
                    guard resultIsHandle, let handle = acquisition.result.flatMap({ tested[$0.path] }) else {
                        // Taken again while held: two of them, and the older one keeps its name's fate.
                        return Set(facts.map { var f = $0; f.renamed = f.held && f.renamed; f.held = true; f.taken = true; f.released = false; return f })
                    }
                    // Taken where the result is not null; the failed call's null goes to its test.
                    return Set(facts.flatMap { f -> [Fact] in
                        var got = f, failed = f
                        got.renamed = got.held && got.renamed
                        got.held = true
                        got.taken = true
                        got.released = false
                        got.null &= ~handle; got.nonNull |= handle
                        failed.held = false
                        failed.taken = false
                        failed.nonNull &= ~handle; failed.null |= handle
                        return [got, failed]
                    })
                }
                var facts = facts
                // The handle taken from another call (`ip = create(…)` beside `ip = namei(…)`):
                // another way of acquiring what the finding names, so held there too.
                if let result = call.result, resource.handles.contains(result.path) || (result.variable.map(namesThrough) ?? false) {
                    facts = Set(facts.map { var f = $0; f.held = true; f.released = false; f.renamed = false; return f })
                }
                if let callee = call.callee, pack.releases[callee] != nil, let made = ReleaseCall(call.text),
                   !keys.isDisjoint(with: made.expanded(with: pack.combines).map(\.key)) {
                    facts = release(facts, inserted: false)
                }
                if let bit = call.result.flatMap({ tested[$0.path] }) {
                    facts = Set(facts.map { var f = $0; f.null &= ~bit; f.nonNull &= ~bit; return f })
                }
                return facts
            case .assign(let target, let value, _):
                var facts = facts
                // The variable itself (`p++`), not a field written through it (`ip->nlink++`),
                // which leaves the handle naming the same object.
                if case .variable(let variable) = target.kind, !resource.handles.contains(target.path), namesThrough(variable) {
                    facts = Set(facts.map { var f = $0; if f.held { f.renamed = true }; return f })
                }
                guard let bit = tested[target.path] else { return facts }
                return Set(facts.map { f in
                    var f = f
                    f.null &= ~bit; f.nonNull &= ~bit
                    if value.constantValue == 0 { f.null |= bit }
                    return f
                })
            }
        }

        var entering: [BlockID: Set<Fact>] = [points.function.entry: [Fact()]]
        var atExit: Set<Fact> = []
        var work = [points.function.entry]
        var visits = 0
        let limit = 40 * max(1, points.function.blocks.count)
        // Facts carried through statements, summed over the walk: a kernel function of a
        // thousand blocks with many tested pointers (ice_switch.c, ixgbe_main.c) made each
        // verdict cost minutes, and a fix asks for several. Past this the place is unknown
        // and the fix falls back to the reported place.
        var spent = 0
        let budget = min(200_000, allowance.remaining)
        defer { allowance.remaining -= spent }
        while let id = work.popLast() {
            visits += 1
            guard visits <= limit else { return .unknown }
            spent += (entering[id]?.count ?? 1) * max(1, points.block(id).statements.count)
            guard spent <= budget else { return .unknown }
            let block = points.block(id)
            var facts = entering[id] ?? []
            for (i, statement) in block.statements.enumerated() {
                if point == FunctionPoints.Point(block: id, index: i) { facts = release(facts, inserted: true) }
                facts = apply(statement, to: facts)
            }
            if point == FunctionPoints.Point(block: id, index: block.statements.count) { facts = release(facts, inserted: true) }
            if exit == FunctionPoints.Point(block: id, index: block.statements.count) { atExit.formUnion(facts) }
            guard facts.count <= 256 else { return .unknown }
            var edges: [(BlockID, Set<Fact>)] = []
            if everyExit, case .return = block.terminator, facts.contains(where: \.taken) { wrong = true }
            switch block.terminator {
            case .jump(let target, _): edges = [(target, facts)]
            case .branch(let condition, let then, let other, _):
                if let (path, nullWhenTrue) = Self.nullTest(condition), let bit = tested[path] {
                    edges = [(then, Self.narrow(facts, bit, null: nullWhenTrue)), (other, Self.narrow(facts, bit, null: !nullWhenTrue))]
                } else {
                    edges = [(then, facts), (other, facts)]
                }
            case .return, .unreachable: break
            }
            for (target, incoming) in edges where !incoming.isEmpty {
                let before = entering[target] ?? []
                let after = before.union(incoming)
                if after.count != before.count {
                    entering[target] = after
                    work.append(target)
                }
            }
        }
        if wrong { return .wrong }
        if exit != nil {
            switch closing {
            // And it must be what ends it there: a place no path to the exit passes closes nothing.
            case .every: if atExit.contains(where: \.held) || !atExit.contains(where: \.released) { return .wrong }
            case .some: if !atExit.contains(where: \.released) { return .wrong }
            }
        }
        return .right
    }

    /// Where `search` puts a release: before a statement, or on the line after one that
    /// ends its block (`iunlock(f->ip);` before the test that follows the block).
    struct Place: Equatable {
        var location: SourceLocation
        var after: Bool
    }

    /// The latest place, before a statement standing on a line of its own or after the
    /// release ending a block of what was taken after the resource (reverse order of
    /// acquisition), at which a release of `resource` is right on every path and leaves
    /// none holding it at `exit`: the leaking branch's own code (`pipeclose`'s `kfree(pi)`
    /// under the test that released the lock on the other arm), when the builder's place
    /// and the reported one are both wrong.
    func search(releasing resource: HeldResource, leakingAt exit: FunctionPoints.Point, source: SourceText) -> Place? {
        let order = ReverseAcquisitionOrder(points: points, pack: pack)
        var candidates: [(Place, FunctionPoints.Point)] = []
        for block in points.function.blocks {
            for i in 0...block.statements.count {
                let point = FunctionPoints.Point(block: block.id, index: i)
                // Falling into the next block or into a test with no call of its own.
                let straight: Bool
                switch block.terminator {
                case .jump(_, nil), .branch: straight = true
                default: straight = false
                }
                if i == block.statements.count, i > 0, straight,
                   case .call(let last) = block.statements[i - 1], last.origin == .source,
                   let callee = last.callee, pack.releases[callee] != nil || pack.combines[callee] != nil,
                   let handle = last.arguments.first?.path,
                   order.takenAfter(handle, resource, reaching: FunctionPoints.Point(block: block.id, index: i - 1)),
                   let statement = StatementText(at: last.location, in: source), statement.lines(in: source) != nil {
                    candidates.append((Place(location: last.location, after: true), point))
                }
                // For a lock, the end of a braced block the code falls out of (`wakeup(&log);`
                // then `}`): where an author closes the critical section the block opened. Not right after
                // a release (the order of two releases is the author's; the reverse-order case
                // is above) or an acquisition, nor after a statement sharing its lines.
                if pack.locks.contains(resource.kind), i == block.statements.count, i > 0, case .jump(_, nil) = block.terminator,
                   endsBracedBlock(after: block.statements[i - 1], source: source) {
                    candidates.append((Place(location: block.statements[i - 1].location, after: true), point))
                }
                guard let location = i < block.statements.count ? block.statements[i].location : terminatorStatement(block),
                      let start = source.position(location), source.startsLine(start),
                      StatementText(at: location, in: source) != nil else { continue }
                candidates.append((Place(location: location, after: false), point))
            }
        }
        guard candidates.count <= 200 else { return nil }
        return candidates.sorted { ($0.0.location, $0.0.after ? 1 : 0) > ($1.0.location, $1.0.after ? 1 : 0) }
            .first { verdict(releasing: resource, at: $0.1, leakingAt: exit, unusedAfter: true) == .right }?.0
    }

    /// Whether `statement`, neither a release nor an acquisition, stands on lines of its own
    /// and is the last before a `}`.
    private func endsBracedBlock(after statement: Statement, source: SourceText) -> Bool {
        if case .call(let call) = statement {
            guard call.origin == .source, let callee = call.callee, pack.releases[callee] == nil,
                  pack.combines[callee] == nil, pack.acquires[callee] == nil else { return false }
        }
        guard let text = StatementText(at: statement.location, in: source), let lines = text.lines(in: source) else { return false }
        var i = lines.upperBound
        while i < source.bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n")].contains(source.bytes[i]) { i += 1 }
        return i < source.bytes.count && source.bytes[i] == UInt8(ascii: "}")
    }

    /// A `return` or `goto`: the terminators written as statements.
    private func terminatorStatement(_ block: Block) -> SourceLocation? {
        switch block.terminator {
        case .return(_, let location): location
        case .jump(_, let via?): via.location
        default: nil
        }
    }

    /// `ip == 0`, `!ip` (true when null), `ip != 0`, `ip` (true when not null): the pointer tested.
    static func nullTest(_ condition: Expr) -> (AccessPath, Bool)? {
        switch condition.kind {
        case .binary(let op, let a, let b) where op == .eq || op == .ne:
            let tested = b.constantValue == 0 ? a : a.constantValue == 0 ? b : nil
            guard let tested, let (path, nullWhenTrue) = nullTest(tested) else { return nil }
            return (path, op == .eq ? !nullWhenTrue : nullWhenTrue)
        case .unary(.logicalNot, let e):
            guard let (path, nullWhenTrue) = nullTest(e) else { return nil }
            return (path, !nullWhenTrue)
        case .variable, .member, .deref, .index:
            return (condition.path, false)
        default:
            return nil
        }
    }

    /// The paths on which `path` is null (or not), as that edge of its test knows it.
    private static func narrow(_ facts: Set<Fact>, _ bit: UInt64, null: Bool) -> Set<Fact> {
        Set(facts.compactMap { f in
            var f = f
            if null {
                guard f.nonNull & bit == 0 else { return nil }
                f.null |= bit
            } else {
                guard f.null & bit == 0 else { return nil }
                f.nonNull |= bit
            }
            return f
        })
    }
}
