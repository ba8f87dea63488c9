/// A lock that leaks on several ways out, which part after the place its release belongs:
/// one release before the branch where those ways split, not a copy on each.
///
///     ip->nlink++;
///     iupdate(ip);
///                                              ← iunlock(ip) lost here
///     if((dp = nameiparent(new, name)) == 0)
///       goto bad;                              ← bad: locks ip again: a deadlock
///     …
///     iput(ip);
///     end_op();
///     return 0;                                ← returns with ip locked
///
/// The builder fixes one leak at a time, at or near where it is reported. When the place it
/// chose leaves another way out still holding the lock (or locking it again), and no copy
/// fits on that way (`bad:` needs the inode unlocked before its own `ilock(ip)`), this finds
/// the one place that closes them all: the latest statement standing on a line of its own
/// that every path to the reported leak passes, at which a release is right on every path
/// (`ReleasePlacement`: held there, released by nothing after, no return left holding it,
/// never locked again while held). Each finding of the split gets the same edit, so the
/// fixes agree.
///
/// Only a lock held through a local variable the function neither stores nor returns (see
/// `applies`), named by the release's argument, alone in the fix, and only when, from that
/// place to the reported leak, the code neither hands the lock's object itself to a call
/// (`iupdate(ip)`, `stati(ip, …)`: what needs it locked) nor writes through it (`ip->nlink--`).
///
/// Limits: reading a field through the object is allowed there (sys_link's `ip->dev` and
/// `ip->inum`, fixed while the inode is referenced); a field the lock guards (`ip->size`)
/// read there is not told apart from those. A callee reaching the object through a global is
/// not seen.
struct LeakSplit {
    let points: FunctionPoints
    let pack: RulePack
    let placement: ReleasePlacement

    /// Whether a release of `resource` at `point` leaves some way out still holding it.
    func leavesOthers(_ resource: HeldResource, at point: FunctionPoints.Point) -> Bool {
        guard applies(to: resource) else { return false }
        return placement.verdict(releasing: resource, at: point, everyExit: true) == .wrong
    }

    /// A lock held through a local variable the function neither stores nor returns: then
    /// every way out holding it leaks, as no caller can name it to release it. Through a
    /// parameter (`f->ip`) a success return may keep it for a caller by a contract the fix
    /// cannot see, so that return is no leak to close (`filestat`'s unlock stays on its
    /// error arm).
    private func applies(to resource: HeldResource) -> Bool {
        guard pack.locks.contains(resource.kind), let site = points.point(of: resource.site),
              site.index < points.block(site.block).statements.count,
              case .call(let acquisition) = points.block(site.block).statements[site.index] else { return false }
        let named = ([acquisition.result].compactMap { $0 } + acquisition.arguments.prefix(1)).first { resource.handles.contains($0.path) }
        guard let named, case .variable(let v) = named.kind, LockHoist.isLocal(v),
              !MissingReleaseFix.handsOn(resource.handles, in: points.function, returning: nil) else { return false }
        for block in points.function.blocks {
            if case .return(let value?, _) = block.terminator, resource.handles.contains(where: value.path.mentions) { return false }
        }
        return true
    }

    /// The start of the statement before which one release of `resource` closes every leak
    /// of it, the leak reported at `reported` (whose exit is `exit`) among them.
    func place(releasing resource: HeldResource, call: ReleaseCall, reported: SourceLocation,
               exit: FunctionPoints.Point, source: SourceText) -> TextPosition? {
        guard applies(to: resource), let root = LockHoist.root(of: call.arguments) else { return nil }
        // Each statement start, with the earliest point of the function's code in it (the
        // first part of a compound condition).
        var starts: [Int: (point: FunctionPoints.Point, location: SourceLocation)] = [:]
        for block in points.function.blocks {
            for i in 0...block.statements.count {
                let point = FunctionPoints.Point(block: block.id, index: i)
                guard let location = points.location(of: point), location > resource.site, location <= reported,
                      let at = source.position(location), let start = source.statementStart(containing: at.offset),
                      source.startsLine(source.position(offset: start)) else { continue }
                // A statement before it in the same block that starts earlier: not the first part.
                if i > 0, let previous = source.position(block.statements[i - 1].location), previous.offset >= start { continue }
                if let known = starts[start], known.location < location { continue }
                starts[start] = (point, location)
            }
        }
        guard starts.count <= 200 else { return nil }
        for (start, candidate) in starts.sorted(by: { $0.key > $1.key }) {
            guard dominates(candidate.point, exit),
                  placement.verdict(releasing: resource, at: candidate.point, everyExit: true) == .right else { continue }
            let from = SourceLocation(file: reported.file, line: source.position(offset: start).line, column: source.position(offset: start).column)
            guard !needsObject(root, from: from, to: reported) else { return nil }
            return source.position(offset: start)
        }
        return nil
    }

    /// Whether a statement written from `from` up to `to` hands the object itself to a call
    /// other than a release, or writes it or through it.
    private func needsObject(_ root: String, from: SourceLocation, to: SourceLocation) -> Bool {
        for block in points.function.blocks {
            for statement in block.statements where statement.location >= from && statement.location < to {
                switch statement {
                case .call(let call):
                    guard let callee = call.callee else { return true }
                    if pack.releases[callee] != nil || pack.combines[callee] != nil { continue }
                    if call.arguments.contains(where: { $0.text.filter { !$0.isWhitespace } == root }) { return true }
                case .assign(let target, _, _):
                    if StatementText.mentions(target.text, root) { return true }
                }
            }
        }
        return false
    }

    /// Whether every path from the entry to `q` passes `p`.
    private func dominates(_ p: FunctionPoints.Point, _ q: FunctionPoints.Point) -> Bool {
        if p.block == q.block { return p.index <= q.index }
        let function = points.function
        guard function.entry != p.block else { return true }
        return function.firstReachable(from: [function.entry], following: { $1 != p.block }) { $0 == q.block } == nil
    }
}
