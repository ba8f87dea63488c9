import Foundation

/// Where a lock goes back when the fix would release it at an exit (or a leaking `goto`):
/// as early on the way there as the code stops needing it, which is where authors put it.
/// `bget` drops the cache lock after `b->refcnt++` and before `acquiresleep(&b->lock)` (a
/// spinlock held while sleeping panics); `kalloc` after the last statement naming `kmem`,
/// before filling the page it took.
///
/// The release moves up from the anchor over statements that leave the lock's object alone:
/// nothing names the lock's root (`kmem` of `&kmem.lock`, `f` of `f->ip`), nothing reaches a
/// field through a pointer read out of it (`b->refcnt` after `b = bcache.head.next`), no
/// other release is passed (their order is the author's), and no call without arguments
/// (`sched()` needs the caller's lock without naming it). Acquiring another lock is passed:
/// that is the place to drop this one. It moves up through the start of a block that only
/// one `if` edge enters, across an `if` without `else` whose test and body pass those tests,
/// and across a branch whose other arm only panics. It stops at a label, a loop head, or
/// any other join: the paths through the new place are the ones through the old, so the fix
/// is as right as it was. It does not cross a branch whose other arm returns (`filestat`'s
/// `copyout` test): that return may keep the lock by a contract only callers in other files
/// show, so the unlock stays on the leaking arm.
///
/// Limits: "leaves the lock's object alone" is read from the text. A callee that takes the
/// lock's data through a global, or a pointer read from it and handed to a call (`memset(r,
/// …)` after `r = kmem.freelist` is passed, as `kalloc` wants), is not seen. Only locks the
/// release names by an argument move (`end_op()` names no object and stays).
struct LockHoist {
    let points: FunctionPoints
    let source: SourceText
    let pack: RulePack
    let predecessors: [BlockID: [BlockID]]

    init(points: FunctionPoints, source: SourceText, pack: RulePack) {
        self.points = points
        self.source = source
        self.pack = pack
        var predecessors: [BlockID: [BlockID]] = [:]
        for b in points.function.blocks { for s in b.terminator.successors { predecessors[s, default: []].append(b.id) } }
        self.predecessors = predecessors
    }

    /// The start of the statement to release `resource` before, when earlier than `anchor`;
    /// nil when it stays.
    func hoisted(_ resource: HeldResource, from anchor: FunctionPoints.Point) -> (location: SourceLocation, point: FunctionPoints.Point)? {
        guard pack.locks.contains(resource.kind), let call = resource.fix.flatMap(ReleaseCall.init),
              let root = Self.root(of: call.arguments) else { return nil }
        let object = LockObject(root: root, guarded: derived(from: root))
        var block = anchor.block
        var index = anchor.index
        var earliest: SourceLocation? = nil
        var blocker: SourceLocation? = nil
        walk: while true {
            let b = points.block(block)
            if index > 0 {
                let statement = b.statements[index - 1]
                guard movable(statement, object, kind: resource.kind) else { blocker = statement.location; break }
                index -= 1
                earliest = statement.location
                continue
            }
            guard b.label == nil, let preds = predecessors[block], !preds.isEmpty else { break }
            if preds.count == 1 {
                let pred = points.block(preds[0])
                switch pred.terminator {
                case .jump(_, nil):
                    block = pred.id
                case .branch(let condition, let then, let other, let location):
                    let arm = then == block ? other : then
                    guard arm != block, passable(condition, object), stopsOnly(from: arm, entering: pred.id, object, kind: resource.kind) else { break walk }
                    block = pred.id
                    earliest = location
                default:
                    break walk
                }
                index = points.block(block).statements.count
                continue
            }
            // `if(c) S;` joining here: the test and its one-block body.
            guard preds.count == 2, let test = preds.first(where: { points.block($0).terminator.successors.contains(block) && isBranch($0) }),
                  let body = preds.first(where: { $0 != test }), predecessors[body] == [test],
                  case .jump(block, nil) = points.block(body).terminator, points.block(body).label == nil,
                  case .branch(let condition, _, _, let location) = points.block(test).terminator,
                  points.block(test).terminator.successors.contains(body),
                  passable(condition, object),
                  points.block(body).statements.allSatisfy({ movable($0, object, kind: resource.kind) }) else { break }
            block = test
            index = points.block(test).statements.count
            earliest = location
        }
        guard let earliest, let position = source.position(earliest),
              let start = source.statementStart(containing: position.offset) else { return nil }
        // The statement that stopped the walk must end before the new place: part of one
        // statement (`x = f(a) + g(b)`) is no place to split.
        if let blocker, let at = source.position(blocker), at.offset >= start { return nil }
        let place = source.position(offset: start)
        let location = SourceLocation(file: earliest.file, line: place.line, column: place.column)
        return location == points.location(of: anchor) ? nil : (location, FunctionPoints.Point(block: block, index: index))
    }

    /// The first name in a release's arguments: `kmem` of `&kmem.lock`, `f` of `f->ip`.
    static func root(of arguments: String) -> String? {
        let name = arguments.drop { !($0.isLetter || $0 == "_") }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    /// The root, and every variable assigned a value read through it or through one of
    /// these (`b = bcache.head.next`, then `b = b->prev`).
    private func derived(from root: String) -> Set<String> {
        var names: Set<String> = [root]
        var grew = true
        while grew {
            grew = false
            for block in points.function.blocks {
                for case .assign(let target, let value, _) in block.statements {
                    guard case .variable = target.kind, !names.contains(target.text),
                          names.contains(where: { StatementText.mentions(value.text, $0) }) else { continue }
                    names.insert(target.text)
                    grew = true
                }
            }
        }
        return names
    }

    /// Whether the release may move above `statement`: it reads and writes locals only
    /// (values, not fields: `memset(r, 5, PGSIZE)` passes, `ip->ref++` or `nextpid = …` does
    /// not), or it acquires a lock of another kind (sleeping on `b->lock` while holding a
    /// spinlock is what the author avoids).
    private func movable(_ statement: Statement, _ object: LockObject, kind: ResourceKind) -> Bool {
        switch statement {
        case .assign(let target, let value, _):
            guard case .variable(let v) = target.kind, Self.isLocal(v) else { return false }
            return Self.isLocalValue(value) && !object.isNeeded(by: value.text)
        case .call(let call):
            guard call.origin == .source, !call.isNoReturn, let callee = call.callee,
                  pack.releases[callee] == nil, !StatementText.mentions(call.text, object.root) else { return false }
            if let acquired = pack.acquires[callee] {
                return call.result == nil && !acquired.resources.isEmpty && acquired.resources.allSatisfy { $0.kind != kind && pack.locks.contains($0.kind) }
            }
            if let result = call.result {
                guard case .variable(let v) = result.kind, Self.isLocal(v) else { return false }
            }
            return !call.arguments.isEmpty && call.arguments.allSatisfy(Self.isLocalValue) && !object.isNeeded(by: call.text)
        }
    }

    private func passable(_ condition: Expr, _ object: LockObject) -> Bool {
        Self.isLocalValue(condition) && !object.isNeeded(by: condition.text)
    }

    static func isLocal(_ v: Variable) -> Bool { v.storage == .local || v.storage == .temporary }

    /// A value computed from locals and constants alone: no field, element, dereference,
    /// global or parameter.
    static func isLocalValue(_ e: Expr) -> Bool {
        switch e.kind {
        case .constant, .string: true
        case .variable(let v): isLocal(v)
        case .unary(_, let x): isLocalValue(x)
        case .binary(_, let a, let b): isLocalValue(a) && isLocalValue(b)
        case .addressOf(let x): if case .variable(let v) = x.kind { isLocal(v) } else { false }
        case .member, .deref, .index, .call, .opaque, .containerOf: false
        }
    }

    /// Whether every path from `arm` (entered only from `test`) ends in a call that does not
    /// return (`panic`), without a label, a `goto`, a loop or a statement the walk could not
    /// pass. An arm that returns is not crossed: it may keep the lock by contract (a lock
    /// helper whose caller is in another file), which the fix cannot see.
    private func stopsOnly(from arm: BlockID, entering test: BlockID, _ object: LockObject, kind: ResourceKind) -> Bool {
        var seen: Set<BlockID> = []
        var work = [arm]
        var from: [BlockID: BlockID] = [arm: test]
        while let id = work.popLast() {
            guard seen.insert(id).inserted else { return false }
            let b = points.block(id)
            guard b.label == nil, predecessors[id] == [from[id]!], b.statements.allSatisfy({ movable($0, object, kind: kind) }) else { return false }
            switch b.terminator {
            case .unreachable: continue
            case .return: return false
            case .jump(let next, nil):
                from[next] = id
                work.append(next)
            case .branch(let condition, let then, let other, _):
                guard passable(condition, object) else { return false }
                from[then] = id
                from[other] = id
                work += [then, other]
            case .jump:
                return false
            }
        }
        return true
    }

    private func isBranch(_ id: BlockID) -> Bool {
        if case .branch = points.block(id).terminator { true } else { false }
    }
}

/// A lock's object as the code names it: the root of the release's argument, and the
/// variables holding pointers read out of it.
private struct LockObject {
    let root: String
    let guarded: Set<String>

    /// Whether `code` names the root, or reaches a field or element through a guarded name.
    func isNeeded(by code: String) -> Bool {
        StatementText.mentions(code, root) || guarded.contains { StatementText.reachesThrough(code, $0) }
    }
}
