/// Releases undo acquisitions in reverse order. A release a fix inserts goes above the
/// releases written just before its place when what those release was taken before
/// everything the fix releases:
///
///     iput(ip);            // ip taken first         iunlockput(dp);
///     end_op();        →                             iput(ip);
///                          // fix for dp             end_op();
///
/// It moves only over release calls that directly precede the place in the same straight
/// code, each naming its handle as first argument, and only when every acquisition of that
/// handle that can reach the place is written before every acquisition of what the fix
/// releases. A release with no handle (`end_op()`) or a handle with no acquisition in view (a
/// parameter) stops it: which came first is not visible there.
///
/// Two taken by the same call go in the order the call names them.
///
/// Limits: "written before" is source order, which is acquisition order in straight code;
/// a loop that takes the earlier handle again after the later one would be misjudged, and
/// `--fix` analyses its result again and keeps nothing that adds a finding.
struct ReverseAcquisitionOrder {
    let points: FunctionPoints
    let pack: RulePack

    /// `anchor`, or the first of the releases directly before it that the fix's calls belong above.
    func place(_ anchor: SourceLocation, releasing members: [HeldResource]) -> SourceLocation {
        guard var point = points.point(of: anchor), let firstTaken = members.map(\.site).min() else { return anchor }
        let handles = Set(members.flatMap(\.handles))
        var result = anchor
        while point.index > 0 {
            guard case .call(let call) = points.block(point.block).statements[point.index - 1], call.origin == .source,
                  let callee = call.callee, pack.releases[callee] != nil || pack.combines[callee] != nil,
                  let handle = call.arguments.first?.path, !handles.contains(handle) else { break }
            let taken = acquisitions(of: handle, reaching: point)
            guard (!taken.isEmpty && taken.allSatisfy({ $0 < firstTaken })) || namedEarlier(members, than: handle) else { break }
            point.index -= 1
            result = call.location
        }
        return result
    }

    /// Whether every acquisition of `handle` that reaches `point` is written after that of
    /// `resource`: a release of `handle` there belongs before the resource's.
    func takenAfter(_ handle: AccessPath, _ resource: HeldResource, reaching point: FunctionPoints.Point) -> Bool {
        let taken = acquisitions(of: handle, reaching: point)
        return !taken.isEmpty && taken.allSatisfy { $0 > resource.site }
    }

    /// Taken together by one call (`pipealloc(&rf, &wf)`), the ones it names first are given
    /// back first, as the author lists them (`fileclose(rf); fileclose(wf);`): one call has
    /// no order of its own to reverse.
    private func namedEarlier(_ members: [HeldResource], than handle: AccessPath) -> Bool {
        let sites = Set(members.map(\.site))
        guard sites.count == 1, let site = sites.first, let at = points.point(of: site),
              at.index < points.block(at.block).statements.count,
              case .call(let call) = points.block(at.block).statements[at.index] else { return false }
        // An output argument `&rf` names the variable the call wrote, `rf` (a handle `*&rf`).
        let names = call.arguments.map { argument in
            argument.path.isAddressOf ? AccessPath(argument.path.root, argument.path.steps.dropLast()) : argument.path
        }
        guard let other = names.firstIndex(of: handle) else { return false }
        return members.allSatisfy { member in
            names.firstIndex(where: member.handles.contains).map { $0 < other } ?? false
        }
    }

    /// Where `handle` is acquired (an acquirer's result or first argument), on some path to
    /// `point`. A plain assignment is no acquisition: a pointer walking a table (`for(pp =
    /// proc; …; pp++)`) takes nothing, so it says nothing of when `freeproc(pp)`'s slot was
    /// taken, and a lock inside it (`&pp->lock`, which freeproc needs held) must not be moved
    /// above that call.
    private func acquisitions(of handle: AccessPath, reaching point: FunctionPoints.Point) -> [SourceLocation] {
        var found: [SourceLocation] = []
        for block in points.function.blocks {
            for (i, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement,
                      call.callee.map({ pack.acquires[$0] != nil }) == true,
                      call.result?.path == handle || call.arguments.first?.path == handle else { continue }
                let reaches = block.id == point.block ? i < point.index
                    : block.terminator.successors.contains { points.function.reaches(from: $0, to: point.block) }
                if reaches { found.append(statement.location) }
            }
        }
        return found
    }
}
