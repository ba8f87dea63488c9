import Foundation

/// The repair of a `missing-release` finding: the release calls the pack names for every
/// resource leaking at the finding's place, with their real arguments.
///
/// - Combined: parts of a call the pack declares `combines` become that call
///   (`iunlock(ip); iput(ip);` → `iunlockput(ip);`).
/// - Ordered: in reverse order of acquisition, a resource enclosing others (`log-op`
///   around `inode-ref`) after them; a resource whose dependency is released early on the
///   path (`end_op()` before the `iput`) goes before that release instead of at the exit.
/// - Placed on the leaking path only: a `goto` whose ladder has a rung that runs exactly
///   the missing releases besides what the current target runs is retargeted to it;
///   otherwise the calls go before the early release or the exit when only paths taking
///   the leaking path's branch reach it, or when they follow a label every way into which
///   holds the resource (`sys_link`'s `bad:`: once there, not on each `goto`); else before
///   the leaking `goto` (or `return`) when the acquisition dominates it, in a new block
///   when that statement is a braceless body. Otherwise no fix: a wrong fix costs more
///   than none.
/// - Joined under one handle: what leaks at the same exit under the same handle, reported
///   elsewhere (the inode's lock taken after the `goto`, reported at the return), goes in
///   with it where both land, so the two findings share one `iunlockput(ip)`; one with
///   nowhere better than its `goto` follows a same-handle partner into its place (inside
///   exec's `if(ip){ … }`). At a success return, what the analysis took to have escaped
///   under that handle (`dp`'s reference, passed to `dirlink`) joins a leak there too,
///   unless the function stores or returns the handle: the fix restores the call that took
///   both back (`iunlockput(dp)`), not half of it.
/// - A stranded header: a braceless `if(h)` on the way whose body no longer names `h` (the
///   line under it was lost) gets the release of `h` back as its body; a leak that header
///   causes by skipping what now follows it gets no fix of its own (`DanglingHeader`).
/// - In reverse order of acquisition: above the releases just before its place of what was
///   taken before everything it releases (`ReverseAcquisitionOrder`: `iunlockput(dp);` above
///   `iput(ip);`).
/// - A transaction's end: a lost release naming no object that encloses others
///   (`end_op()`) goes right after the release of the last inode every leaking path passed,
///   not on the leaking `goto` (`EnclosureEnd`).
/// - A lock early: moved up from the exit to where the code stops needing it (`LockHoist`:
///   before `acquiresleep` in `bget`, after the last use of `kmem` in `kalloc`).
/// - Checked on the paths: each place is walked once more with what every path through it
///   holds (`ReleasePlacement`). A place some path reaches without holding the resource, or
///   after which a path releases it again (`pipeclose`'s end, which the arm that released
///   the lock itself also reaches), gives way to where the leak is reported, then to the
///   latest statement where the release is right and leaves the exit clean (before the
///   `kfree` on the leaking arm); with none, no fix. A transaction's end no earlier place
///   closes on every leaking path goes on the line after the inode release that does,
///   though it ends its block (exec's `if(ip){ iunlockput(ip); }`).
/// - With the function's own size: a release the pack can only size `0` takes the variable
///   the function grows as it maps into the same table (`TrackedSize`: `sz`).
/// - In dependency order: what another inserted release depends on goes after it (a
///   helper's inode, locked and referenced: the lock first, so `iunlockput(ip)`).
/// - In the function's own lock order: not right after taking a lock this one was taken
///   under (`LockOrder`: `sleep`'s `release(&p->lock)` above `acquire(lk)`).
/// - Once before the ways split: a lock held through a local that leaks on several ways out
///   (sys_link's `bad:` and success return) gets one release before the branch where they
///   part, when the place chosen leaves another way holding it (`LeakSplit`).
///
/// Limits: which paths reach a point is judged on the CFG, not on what they hold: the
/// parts of one compound condition (`(a = f()) == 0 || (b = g()) == 0`) count as one
/// branch, though a path failing the first part does not hold `a`; a label counts as held
/// on every way in when the acquisition dominates them and nothing on the way releases it
/// or tests its handle for null with both outcomes going there. `ladder lint --fix`
/// analyses what it wrote and restores a file its fixes add a finding to. A resource with
/// no handle in the code (`end_op()`'s log) is not moved up: where the transaction may end
/// is the author's. One call cannot release a range of elements: that takes a loop, left
/// to the author.
struct MissingReleaseFix: FixBuilder {
    func fix(for finding: Finding, from evidence: Evidence) -> Fix? {
        guard case .event(let event, let context) = evidence else { return nil }
        let exit: ExitSnapshot
        switch event {
        case .errorExit(let e), .nonErrorExit(let e): exit = e
        default: return nil
        }
        let located = exit.held.filter { MissingRelease.location(of: $0, at: exit) == finding.location }
        guard let own = located.first(where: { $0.info == finding.resource }), Self.fixable(own),
              let source = context.sources.text(of: finding.location.file) else { return nil }
        // What leaks here, and what else leaks at this exit under the same handle (`ip`'s lock
        // taken after the `goto`, reported at the return): one fix for both where they meet,
        // as `iunlockput(ip)`. A partner that does not end up in the same place is left to
        // its own finding's fix.
        let handlesHere = Set(located.map(\.handleText))
        // A partner taken to have escaped at a success return (`dp`'s reference, passed to
        // `dirlink`) still goes with the leak it shares a handle with, as the call that took
        // both back (`iunlockput(dp)`), unless the code stores or returns that handle.
        let escaped = exit.alongside.filter { r in
            handlesHere.contains(r.handleText) && Self.fixable(r) && !Self.handsOn(r.handles, in: context.function, returning: exit.returned)
        }
        var group = exit.held.filter { r in located.contains(r) || (handlesHere.contains(r.handleText) && Self.fixable(r)) }
        // Each where it was taken (ids grow with the acquisition site), as `held` is ordered.
        for r in escaped { group.insert(r, at: group.firstIndex { $0.id > r.id } ?? group.endIndex) }
        var members = Self.ordered(group.filter(Self.fixable), pack: context.pack)
        var reportedAt: [SourceLocation] = []
        let points = FunctionPoints(function: context.function)
        let pack = context.pack

        // A braceless `if(h)` on the way that lost its body: the release of `h` goes back
        // there, and what the stranded header skips when `h` is null is its doing, not a
        // leak of its own to fix (that fix would release it twice once the header has a body).
        let stranded = DanglingHeader.all(in: points, source: source).filter { $0.isBetween(own.site, and: exit.location, in: points) }
        if let header = stranded.first(where: { $0.handle == own.handleText }) {
            return Self.restoreBody(of: header, releasing: exit.held.filter { $0.handleText == header.handle && Self.fixable($0) },
                                    source: source, function: context.function, pack: pack)
        }
        if stranded.contains(where: { $0.bodyReleases(own, in: points, pack: pack) }) { return nil }

        // Each resource's anchor: before the first early release of something it depends on,
        // else before the exit, each only where the paths reaching it took the leaking path's
        // branch; else before the leaking `goto` (or `return`), if the acquisition dominates it. A shared
        // `err_free:` rung or `out: return ret;` is no place for it: the `goto`, earlier on
        // the same path, is. (An exit before the goto would release too early a lock the
        // code after the label still needs, as `goto found;` in a slot search.)
        let exitPoint = points.point(of: exit.location)
        let handles = members.map(\.handleText)
        func heldAcross(_ point: FunctionPoints.Point, _ r: HeldResource) -> Bool {
            guard let call = r.fix.flatMap(ReleaseCall.init) else { return false }
            return points.isHeldAcross(point, site: r.site, handles: r.handles, keys: Set(call.expanded(with: pack.combines).map(\.key)), pack: pack)
        }
        // Where each is reported: the fallback place for its release.
        var reported = members.map { MissingRelease.location(of: $0, at: exit) }
        // A transaction with no object named ends after the last release of what it encloses.
        let enclosureEnd = EnclosureEnd(points: points, pack: pack)
        var ended = members.map { enclosureEnd.place(for: $0, leakingAt: finding.location) }
        var anchors = zip(members, reported).enumerated().map { i, pair in
            let (r, fallback) = pair
            if let end = ended[i] { return end }
            let early = exit.pendingOrders.filter { $0.dependent.id == r.id }.map(\.site).min()
            if let early, let point = points.point(of: early),
               points.isPrivate(point, handles: handles) || heldAcross(point, r) {
                return r.lostNames.isEmpty ? early : min(early, fallback)
            }
            // Its last name was cleared (`priv->buf = NULL`, exec's `ip = 0`), where it is
            // reported: after that the release would free NULL, so it goes before the clear.
            if !r.lostNames.isEmpty { return fallback }
            // The exit itself when only leaking paths reach it, or every path into the label
            // before it holds the resource; else the leaking goto.
            if let exitPoint, points.isPrivate(exitPoint, handles: handles) || heldAcross(exitPoint, r) { return exit.location }
            return fallback
        }
        // An escaped partner that cannot go before the early release it depends on (`end_op()`)
        // stays out: the half the finding names is better than a whole call out of order.
        let late = Set(members.indices.filter { i in
            escaped.contains(members[i])
                && exit.pendingOrders.contains { $0.dependent.id == members[i].id && $0.site < anchors[i] }
        })
        if !late.isEmpty {
            let stay = members.indices.filter { !late.contains($0) }
            (members, anchors, reported) = (stay.map { members[$0] }, stay.map { anchors[$0] }, stay.map { reported[$0] })
            ended = stay.map { ended[$0] }
        }
        // A resource with nowhere better than its goto joins one under the same handle that
        // has (the inode's lock with its reference, inside `if(ip){ … }` at exec's `bad:`).
        for i in anchors.indices where anchors[i] == reported[i] && reported[i] != exit.location {
            if let shared = members.indices.first(where: { $0 != i && members[$0].handleText == members[i].handleText && anchors[$0] != reported[$0] }) {
                anchors[i] = anchors[shared]
            }
        }
        // A lock goes back where the code stops needing it, when that is earlier (LockHoist).
        let hoist = LockHoist(points: points, source: source, pack: pack)
        var hoisted: [SourceLocation: FunctionPoints.Point] = [:]
        for (i, r) in members.enumerated() where anchors[i] == exit.location || anchors[i] == reported[i] {
            guard let from = points.point(of: anchors[i]), let moved = hoist.hoisted(r, from: from) else { continue }
            anchors[i] = moved.location
            hoisted[moved.location] = moved.point
        }
        // What is released first goes in no later than what follows it (the inode's lock
        // before its reference, both before `end_op()`).
        // (Not up to a transaction's end placed after the last inode release: that is earlier
        // than what it encloses needs.)
        for i in anchors.indices.dropLast().reversed() where ended[i + 1] == nil { anchors[i] = min(anchors[i], anchors[i + 1]) }
        // A partner goes in only where it meets what leaks here.
        let meeting = Set(zip(members, anchors).filter { located.contains($0.0) }.map { "\($0.0.handleText)@\($0.1)" })
        let kept = members.indices.filter { located.contains(members[$0]) || meeting.contains("\(members[$0].handleText)@\(anchors[$0])") }
        if kept.count < members.count {
            members = kept.map { members[$0] }
            anchors = kept.map { anchors[$0] }
            ended = kept.map { ended[$0] }
            reportedAt = kept.map { reported[$0] }
        } else {
            reportedAt = reported
        }
        // Above the releases just before the place of what was taken before all of these
        // (`iunlockput(dp)` above `iput(ip)`), as the author undoes in reverse.
        let order = ReverseAcquisitionOrder(points: points, pack: pack)
        var movedFrom: [SourceLocation: SourceLocation] = [:]
        for anchor in Set(anchors).sorted() where hoisted[anchor] == nil {
            let moved = order.place(anchor, releasing: zip(members, anchors).filter { $0.1 == anchor }.map(\.0))
            guard moved != anchor, !anchors.contains(moved) else { continue }
            movedFrom[moved] = anchor
            anchors = anchors.map { $0 == anchor ? moved : $0 }
        }
        // A transaction's end that no place above ends on every leaking path (exec's `bad:`,
        // whose inodes are let go after the `goto`s, inside `if(ip){ … }`): on the line after
        // the release of what it encloses that does.
        let placement = ReleasePlacement(points: points, pack: pack)
        var after: Set<SourceLocation> = []
        if let exitPoint {
            for i in members.indices where ended[i] == nil {
                guard let point = hoisted[anchors[i]] ?? points.point(of: anchors[i]),
                      placement.verdict(releasing: members[i], at: point, leakingAt: exitPoint) == .wrong,
                      let release = enclosureEnd.placeAfter(for: members[i], exit: exitPoint, placement: placement) else { continue }
                anchors[i] = release
                after.insert(release)
            }
        }
        // The fix of a lock that leaks on several ways out, placed once before they split.
        func split() -> Fix? {
            guard members.count == 1, let exitPoint, let call = Self.written(members[0], in: context.function, pack: pack),
                  let start = LeakSplit(points: points, pack: pack, placement: placement)
                    .place(releasing: members[0], call: call, reported: finding.location, exit: exitPoint, source: source) else { return nil }
            let edits = StatementInsertion(source: source).edits(inserting: [call.text + ";"], before: start)
            guard !edits.isEmpty else { return nil }
            return Fix(insertBefore: SourceLocation(file: finding.location.file, line: start.line, column: start.column),
                       text: call.text + ";\n", edits: edits, sourceDigest: source.digest)
        }
        // Each place walked once more with what every path through it holds: a release where
        // some path does not hold the resource, or releases it again later (a lock dropped in
        // a loop's `else`, then at the exit), goes back to where the leak is reported if that
        // is right; else there is no fix.
        for i in members.indices where !after.contains(anchors[i]) {
            guard let point = hoisted[anchors[i]] ?? points.point(of: anchors[i]),
                  placement.verdict(releasing: members[i], at: point, leakingAt: exitPoint, closing: .some) == .wrong else { continue }
            if reportedAt[i] != anchors[i], let fallback = points.point(of: reportedAt[i]),
               placement.verdict(releasing: members[i], at: fallback, leakingAt: exitPoint, closing: .some) != .wrong {
                anchors[i] = reportedAt[i]
            } else if let exitPoint, let found = placement.search(releasing: members[i], leakingAt: exitPoint, source: source) {
                anchors[i] = found.location
                if found.after { after.insert(found.location) }
            } else {
                return split()
            }
        }
        // A place right before the release of something taken later (`end_op();` above
        // `iunlock(ip);`) goes below it instead, where it is as right: reverse order.
        let order2 = ReverseAcquisitionOrder(points: points, pack: pack)
        for i in members.indices where !after.contains(anchors[i]) && hoisted[anchors[i]] == nil {
            guard let point = points.point(of: anchors[i]), point.index < points.block(point.block).statements.count,
                  case .call(let call) = points.block(point.block).statements[point.index], call.origin == .source,
                  let callee = call.callee, pack.releases[callee] != nil || pack.combines[callee] != nil,
                  let handle = call.arguments.first?.path, !members[i].handles.contains(handle),
                  order2.takenAfter(handle, members[i], reaching: point),
                  StatementText(at: call.location, in: source)?.lines(in: source) != nil,
                  placement.verdict(releasing: members[i], at: FunctionPoints.Point(block: point.block, index: point.index + 1),
                                    leakingAt: exitPoint, closing: .some, unusedAfter: true) == .right else { continue }
            anchors[i] = call.location
            after.insert(call.location)
        }
        // Not right after taking a lock this one was taken under (`acquire(lk)` at the end of
        // `sleep`): above that acquisition, where it is as right (LockOrder).
        let lockOrder = LockOrder(points: points, pack: pack)
        for i in members.indices where !after.contains(anchors[i]) && hoisted[anchors[i]] == nil {
            guard let point = points.point(of: anchors[i]), let above = lockOrder.above(members[i], at: point),
                  let abovePoint = points.point(of: above), StatementText(at: above, in: source)?.lines(in: source) != nil,
                  placement.verdict(releasing: members[i], at: abovePoint, leakingAt: exitPoint, closing: .some) == .right else { continue }
            anchors[i] = above
        }
        // One lock whose place leaves another way out holding it: one release before the
        // ways split, if there is such a place (LeakSplit).
        if members.count == 1, let at = anchors.first, let point = hoisted[at] ?? points.point(of: at).map({
            after.contains(at) ? FunctionPoints.Point(block: $0.block, index: $0.index + 1) : $0
        }), LeakSplit(points: points, pack: pack, placement: placement).leavesOthers(members[0], at: point) {
            if let fix = split() { return fix }
        }
        let calls = members.compactMap { $0.fix.flatMap(ReleaseCall.init) }
        guard calls.count == members.count else { return nil }

        if let retarget = Self.retarget(finding.location, adding: calls, points: points, source: source, pack: pack) {
            return retarget
        }

        var edits: [TextEdit] = []
        var inserted: [ReleaseCall] = []
        for anchor in Set(anchors).sorted() {
            let here = zip(members, anchors).filter { $0.1 == anchor }.map(\.0)
            if after.contains(anchor) {
                guard let statement = StatementText(at: anchor, in: source), let lines = statement.lines(in: source) else { return nil }
                let combined = ReleaseCall.combining(here.compactMap { Self.written($0, in: context.function, pack: pack) }, with: pack.combines)
                let at = source.position(offset: lines.upperBound)
                let indent = source.indentation(of: anchor.line)
                edits.append(TextEdit(file: source.path, start: at, end: at, replacement: combined.map { indent + $0.text + ";\n" }.joined()))
                inserted += combined
                continue
            }
            let original = movedFrom[anchor] ?? anchor
            let fallback = zip(anchors, reportedAt).contains { $0.0 == anchor && original == $0.1 }
            guard let point = hoisted[anchor] ?? points.point(of: anchor), let start = source.position(anchor),
                  (!fallback && hoisted[anchor] == nil)
                    || here.allSatisfy({ points.isDominated(point, by: $0.site) }) else { return nil }
            let combined = ReleaseCall.combining(here.compactMap { Self.written($0, in: context.function, pack: pack) }, with: pack.combines)
            edits += StatementInsertion(source: source).edits(inserting: combined.map { $0.text + ";" }, before: start)
            inserted += combined
        }
        guard !edits.isEmpty, var first = anchors.min() else { return nil }
        // A call put on the line after a statement is inserted before that line.
        if after.contains(first), let line = StatementText(at: first, in: source)?.lines(in: source) {
            let at = source.position(offset: line.upperBound)
            first = SourceLocation(file: first.file, line: at.line, column: 1)
        }
        let text = inserted.map { $0.text + ";\n" }.joined()
        return Fix(insertBefore: first, text: text, edits: edits, sourceDigest: source.digest)
    }

    /// `if(h)` + `release(h);` on the next line, one level deeper: the body a stranded header lost.
    static func restoreBody(of header: DanglingHeader, releasing held: [HeldResource], source: SourceText, function: Function,
                            pack: RulePack) -> Fix? {
        let calls = ordered(held, pack: pack).compactMap { written($0, in: function, pack: pack) }
        guard !calls.isEmpty, calls.count == held.count else { return nil }
        let combined = ReleaseCall.combining(calls, with: pack.combines)
        // One statement is the header's whole body; more need braces, which is no longer a body restored.
        guard combined.count == 1, let call = combined.first else { return nil }
        let at = source.position(offset: header.insertAt)
        let edit = TextEdit(file: source.path, start: at, end: at, replacement: "\n" + header.indentation + call.text + ";")
        let location = SourceLocation(file: source.path, line: at.line, column: 1)
        return Fix(insertBefore: location, text: call.text + ";\n",
                   summary: "insert '\(call.text);' as the body of the braceless 'if(\(header.handle))' at line \(at.line)",
                   edits: [edit], sourceDigest: source.digest)
    }

    /// The call that releases `resource` as this function would write it: the pack's template
    /// with the function's own size where the template can only say `0` (`TrackedSize`).
    static func written(_ resource: HeldResource, in function: Function, pack: RulePack) -> ReleaseCall? {
        resource.fix.flatMap(ReleaseCall.init).map { TrackedSize.written($0, handle: resource.handleText, in: function, pack: pack) }
    }

    /// Whether the function stores a handle anywhere (`p->cwd = ip`) or returns it: then
    /// what it holds through it may be someone else's to release.
    static func handsOn(_ handles: [AccessPath], in function: Function, returning returned: Expr?) -> Bool {
        if let returned, handles.contains(where: returned.path.mentions) { return true }
        for block in function.blocks {
            // The value itself, perhaps cast (`(char*)pi`: lowering drops the cast); not a
            // call that takes it (`dirlookup(dp, …)`).
            for case .assign(_, let value, _) in block.statements where handles.contains(value.path) { return true }
        }
        return false
    }

    static func fixable(_ resource: HeldResource) -> Bool {
        resource.fix != nil && resource.elements?.isKnown != true
    }

    /// Newest first; then anything a pack enclosure says must outlive another, or that
    /// another depends on, moves after it. Two taken by one call (a helper's inode, locked
    /// and referenced) have no order of acquisition to reverse: the lock depends on the
    /// reference, so its release comes first, which also lets the two combine (`iunlockput`).
    static func ordered(_ resources: [HeldResource], pack: RulePack) -> [HeldResource] {
        var result = Array(resources.reversed())
        var moved = true
        var rounds = 0
        while moved && rounds < result.count * result.count + 1 {
            moved = false
            rounds += 1
            for i in result.indices {
                let outer = result[i]
                guard let j = result.indices.last(where: { j in
                    j > i && (encloses(outer.kind, result[j].kind, pack) || dependsOn(result[j], outer))
                }) else { continue }
                result.remove(at: i)
                result.insert(outer, at: j)
                moved = true
                break
            }
        }
        return result
    }

    /// Whether `dependent` needs `base` held until it is released itself.
    static func dependsOn(_ dependent: HeldResource, _ base: HeldResource) -> Bool {
        dependent.dependsOn.contains(base.id) || dependent.dependsOn.contains(base.id | HeldResource.olderFlag)
    }

    static func encloses(_ outer: ResourceKind, _ inner: ResourceKind, _ pack: RulePack) -> Bool {
        pack.enclosures.contains { $0.outer == outer && $0.inner.contains(inner) }
    }

    /// `goto err_free` → `goto err_clk` when the code from `err_clk` releases exactly what
    /// the code from `err_free` does plus the missing calls.
    static func retarget(_ location: SourceLocation, adding calls: [ReleaseCall], points: FunctionPoints,
                         source: SourceText, pack: RulePack) -> Fix? {
        guard let jump = points.goto(at: location), let start = source.position(location) else { return nil }
        let current = points.releases(from: jump.target, pack: pack)
        let wanted = current.union(calls.flatMap { $0.expanded(with: pack.combines) }.map(\.key))
        guard wanted != current,
              let rung = points.labels.first(where: { $0.label != jump.label && points.releases(from: $0.block, pack: pack) == wanted }),
              let end = source.statementEnd(from: start.offset) else { return nil }
        let statement = source.text(start.offset..<end)
        guard let range = statement.range(of: jump.label, options: .backwards) else { return nil }
        let labelStart = start.offset + statement.utf8.distance(from: statement.startIndex, to: range.lowerBound)
        let edit = TextEdit(file: source.path, start: source.position(offset: labelStart),
                            end: source.position(offset: labelStart + jump.label.utf8.count), replacement: rung.label)
        return Fix(insertBefore: location, text: "", summary: "jump to '\(rung.label)' instead of '\(jump.label)' at line \(location.line)",
                   edits: [edit], sourceDigest: source.digest)
    }
}
