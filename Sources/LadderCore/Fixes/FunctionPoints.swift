/// The questions a fix asks of a function's CFG about one program point: where a statement
/// is, whether every path reaching it went through an acquisition, and what the code from a
/// label on releases.
struct FunctionPoints {
    let function: Function

    /// A point: before statement `index` of block `block` (`index == statements.count` is
    /// the terminator: a `return` or the `goto`).
    struct Point: Hashable {
        var block: BlockID
        var index: Int
    }

    func point(of location: SourceLocation) -> Point? {
        for block in function.blocks {
            if let i = block.statements.firstIndex(where: { $0.location == location }) { return Point(block: block.id, index: i) }
            switch block.terminator {
            case .return(_, let l) where l == location: return Point(block: block.id, index: block.statements.count)
            case .jump(_, let via?) where via.location == location: return Point(block: block.id, index: block.statements.count)
            default: continue
            }
        }
        return nil
    }

    /// Where the statement (or the terminator) at `point` is.
    func location(of point: Point) -> SourceLocation? {
        let b = block(point.block)
        if point.index < b.statements.count { return b.statements[point.index].location }
        switch b.terminator {
        case .return(_, let l), .branch(_, _, _, let l): return l
        case .jump(_, let via?): return via.location
        default: return nil
        }
    }

    /// The `goto` at `location`: its label and the block it jumps to.
    func goto(at location: SourceLocation) -> (label: String, target: BlockID)? {
        for block in function.blocks {
            if case .jump(let target, let via?) = block.terminator, via.location == location { return (via.label, target) }
        }
        return nil
    }

    /// Whether every path from the entry to `point` passes the acquisition at `site`. True
    /// when the site is not a statement of this function (a macro's or a callee's): the
    /// analysis saw it held, and there is nothing here to contradict it.
    func isDominated(_ point: Point, by site: SourceLocation) -> Bool {
        guard let acquired = self.point(of: site) else { return true }
        if acquired.block == point.block && acquired.index < point.index { return true }
        guard function.entry != acquired.block else { return point.block != acquired.block || acquired.index < point.index }
        return function.firstReachable(from: [function.entry], following: { $1 != acquired.block }) { $0 == point.block } == nil
    }

    /// Whether only the paths that take one edge of a condition reach `point`: walking back
    /// from it meets branches before any label or other join. Code inserted there runs on
    /// those paths alone, not on others sharing an exit (`out: return ret;`). Two joins are
    /// seen through: the parts of one compound condition (`a == 0 || b < 0`), and the end of
    /// an `if` without `else` whose body touches none of `handles` (`if(f) fileclose(f);`
    /// before the point, for a fix releasing `ip`).
    ///
    /// A path failing the first part of `(a = f()) == 0 || (b = g()) == 0` may not hold
    /// what one failing the second does, which the CFG cannot tell (`--fix` checks its
    /// result again and keeps nothing that adds a finding).
    func isPrivate(_ point: Point, handles: [String]) -> Bool {
        var predecessors: [BlockID: [BlockID]] = [:]
        for b in function.blocks { for s in b.terminator.successors { predecessors[s, default: []].append(b.id) } }
        func isBranch(_ b: BlockID) -> Bool { if case .branch = block(b).terminator { true } else { false } }
        var current = point.block
        var seen: Set<BlockID> = []
        while seen.insert(current).inserted {
            guard block(current).label == nil, let preds = predecessors[current], !preds.isEmpty else { return false }
            if preds.allSatisfy(isBranch) { return true }
            if preds.count == 1 {
                current = preds[0]
                continue
            }
            // `if(c) S;` joining here: one predecessor is the test, the others its body.
            guard let test = preds.first(where: isBranch), preds.count == 2, preds.contains(where: { $0 != test }),
                  !touches(from: block(test).terminator.successors, joiningAt: current, test: test, handles: handles) else { return false }
            current = test
        }
        return false
    }

    /// Whether `point` lies in the straight code after a label that every path reaching it
    /// enters holding what `site` acquired: the acquisition dominates each way in, and no
    /// path from it to the label releases any of `keys` (calls as `ReleaseCall.key` spells
    /// them), and no test of one of `handles` lets both outcomes reach it. Code inserted there runs once for every `goto` (`bad:` of `sys_link`), where
    /// a fix on each leaking `goto` would repeat it. False when the site is not a statement
    /// of this function: there is nothing here to show it is held on every way in.
    func isHeldAcross(_ point: Point, site: SourceLocation, handles: [AccessPath], keys: Set<String>, pack: RulePack) -> Bool {
        guard let acquired = self.point(of: site) else { return false }
        var predecessors: [BlockID: [BlockID]] = [:]
        for b in function.blocks { for s in b.terminator.successors { predecessors[s, default: []].append(b.id) } }
        // Back from the point to its label along code nothing else enters.
        var label = point.block
        while block(label).label == nil {
            guard let preds = predecessors[label], preds.count == 1, case .jump(_, nil) = block(preds[0]).terminator else { return false }
            label = preds[0]
        }
        guard label != acquired.block, let ways = predecessors[label], !ways.isEmpty,
              ways.allSatisfy({ isDominated(Point(block: $0, index: block($0).statements.count), by: site) }) else { return false }
        // The blocks on some path from the acquisition to the label.
        var reaching: Set<BlockID> = []
        var work = ways
        while let b = work.popLast() {
            guard b != label, reaching.insert(b).inserted, b != acquired.block else { continue }
            work += predecessors[b] ?? []
        }
        for id in reaching {
            // A test of the handle itself (`(mem = kalloc()) == 0`) with both outcomes
            // reaching the label lets in a path that never held it.
            if case .branch(let condition, let then, let other, _) = block(id).terminator,
               Self.testsNull(condition, of: handles),
               [then, other].allSatisfy({ $0 == label || reaching.contains($0) }) { return false }
            let statements = block(id).statements
            let from = id == acquired.block ? acquired.index + 1 : 0
            for case .call(let call) in statements.dropFirst(from) {
                guard let callee = call.callee, pack.releases[callee] != nil, let release = ReleaseCall(call.text) else { continue }
                if !keys.isDisjoint(with: release.expanded(with: pack.combines).map(\.key)) { return false }
            }
        }
        return true
    }

    /// Whether `condition` is a test of one of `handles` against null (`mem == 0`, `!ip`, `ip`).
    static func testsNull(_ condition: Expr, of handles: [AccessPath]) -> Bool {
        switch condition.kind {
        case .binary(let op, let a, let b) where op == .eq || op == .ne:
            if b.constantValue == 0 { return testsNull(a, of: handles) }
            if a.constantValue == 0 { return testsNull(b, of: handles) }
            return false
        case .unary(.logicalNot, let e): return testsNull(e, of: handles)
        default: return handles.contains(condition.path)
        }
    }

    /// Whether the blocks from `starts` up to `join` (the body of an `if`) call anything with
    /// one of `handles` in its text.
    private func touches(from starts: [BlockID], joiningAt join: BlockID, test: BlockID, handles: [String]) -> Bool {
        someCall(from: starts, before: [test, join]) { call in handles.contains { call.text.contains($0) } }
    }

    /// Whether a call in the blocks from `starts` up to, not into, `stops` satisfies
    /// `matches`: what the body of an `if` runs, when `stops` are its test and its join.
    func someCall(from starts: [BlockID], before stops: Set<BlockID>, where matches: (Call) -> Bool) -> Bool {
        function.firstReachable(from: starts.filter { !stops.contains($0) }, following: { !stops.contains($1) }) { b in
            block(b).statements.contains { statement in
                guard case .call(let call) = statement else { return false }
                return matches(call)
            }
        } != nil
    }

    /// The release calls on every path from `start` to a return, as written (`ip` of `iput(ip)`):
    /// what jumping to a label runs.
    func releases(from start: BlockID, pack: RulePack) -> Set<String> {
        var calls: Set<String> = []
        for b in function.reachableBlocks(from: [start]) {
            for case .call(let call) in block(b).statements where call.origin == .source {
                guard let callee = call.callee, pack.releases[callee] != nil, let release = ReleaseCall(call.text) else { continue }
                calls.formUnion(release.expanded(with: pack.combines).map(\.key))
            }
        }
        return calls
    }

    /// The labelled blocks, in source order.
    var labels: [(label: String, block: BlockID)] {
        function.blocks.compactMap { b in b.label.map { ($0, b.id) } }
    }

    func block(_ id: BlockID) -> Block {
        if function.blocks.indices.contains(id), function.blocks[id].id == id { return function.blocks[id] }
        return function.blocks.first { $0.id == id } ?? Block(id: id)
    }
}
