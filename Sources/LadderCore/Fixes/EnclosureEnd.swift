/// Where the release of an enclosing resource that names no object goes (`end_op()`, the
/// log's transaction around inode references): right after the release of the last thing
/// it encloses that every leaking path has passed.
///
///     iunlockput(ip);                 iunlockput(ip);
///     ip = 0;              →          end_op();
///     if((mem = kalloc()) == 0)       ip = 0;
///       goto bad;   // log held       …
///
/// The author ended the transaction once the last inode was let go; putting `end_op()` on
/// the leaking `goto` instead fixes that path alone, and the success return still holds it.
///
/// It takes the latest such release that the acquisition dominates and that dominates the
/// leaking place, and inserts before the statement after it in the same straight code;
/// none when the release ends its block, or when nothing the resource encloses is
/// released on every way to the leak.
///
/// Limits: what runs after the release is not checked for needing the transaction (a
/// `log_write` of a buffer): only inode operations are seen, and `--fix` analyses its
/// result again and keeps nothing that adds a finding (an `iput` after `end_op()` would).
struct EnclosureEnd {
    let points: FunctionPoints
    let pack: RulePack

    func place(for resource: HeldResource, leakingAt leak: SourceLocation) -> SourceLocation? {
        let inner = Set(pack.enclosures.filter { $0.outer == resource.kind }.flatMap(\.inner))
        guard !inner.isEmpty, let release = resource.fix.flatMap(ReleaseCall.init),
              release.arguments.trimmingSpaces.isEmpty,
              let leakPoint = points.point(of: leak) else { return nil }
        var best: (release: SourceLocation, next: SourceLocation)? = nil
        for block in points.function.blocks {
            for (i, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, call.origin == .source, i + 1 < block.statements.count,
                      let made = ReleaseCall(call.text),
                      made.expanded(with: pack.combines).contains(where: { part in
                          pack.releases[part.callee]?.contains { !inner.isDisjoint(with: $0.kinds) } == true
                      }),
                      points.isDominated(FunctionPoints.Point(block: block.id, index: i), by: resource.site),
                      points.isDominated(leakPoint, by: call.location) else { continue }
                if best.map({ call.location > $0.release }) ?? true {
                    best = (call.location, block.statements[i + 1].location)
                }
            }
        }
        return best?.next
    }

    /// When no release before the leak will do (exec's `bad:` ends the transaction inside
    /// `if(ip){ iunlockput(ip); … }`, after every `goto`): right after the latest release of
    /// what it encloses at which every path holds it and after which no path to `exit`
    /// still does (`ReleasePlacement`), though the release ends its block. The release's
    /// place is returned: the new call goes on the line after it.
    func placeAfter(for resource: HeldResource, exit: FunctionPoints.Point, placement: ReleasePlacement) -> SourceLocation? {
        let inner = Set(pack.enclosures.filter { $0.outer == resource.kind }.flatMap(\.inner))
        guard !inner.isEmpty, let release = resource.fix.flatMap(ReleaseCall.init),
              release.arguments.trimmingSpaces.isEmpty else { return nil }
        var candidates: [(SourceLocation, FunctionPoints.Point)] = []
        for block in points.function.blocks {
            for (i, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, call.origin == .source, let made = ReleaseCall(call.text),
                      made.expanded(with: pack.combines).contains(where: { part in
                          pack.releases[part.callee]?.contains { !inner.isDisjoint(with: $0.kinds) } == true
                      }) else { continue }
                candidates.append((call.location, FunctionPoints.Point(block: block.id, index: i + 1)))
            }
        }
        return candidates.sorted { $0.0 > $1.0 }
            .first { placement.verdict(releasing: resource, at: $0.1, leakingAt: exit) == .right }?.0
    }
}
