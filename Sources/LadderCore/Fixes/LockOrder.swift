/// A lock's release is not put after the acquisition of a lock the function held when it
/// took this one: that would hold the two in the reverse of the function's own order.
///
///     acquire(&p->lock);     // taken while holding lk (released on the next line)
///     release(lk);
///     …
///                            ← release(&p->lock) goes here,
///     acquire(lk);
///                            ← not here: p->lock held while taking lk inverts lk → p->lock
///
/// `sleep` takes `p->lock` under the caller's `lk` and gives it back before taking `lk`
/// again; `wakeup`, called with `lk` held, takes each `p->lock`, so the other order
/// deadlocks. Used when the builder's place for a lock is right after such an acquisition:
/// the release moves above it, where the release is as right on every path.
///
/// Limits: "held when it took this one" is read from this function alone: a release of
/// the other lock's handle reachable from the acquisition without taking that lock again
/// (the lock held on entry, as a sleep's caller's). An order other functions establish is
/// not seen.
struct LockOrder {
    let points: FunctionPoints
    let pack: RulePack

    /// The acquisition statement just before `point` to release `resource` above, if any.
    func above(_ resource: HeldResource, at point: FunctionPoints.Point) -> SourceLocation? {
        guard pack.locks.contains(resource.kind), point.index > 0,
              case .call(let taking) = points.block(point.block).statements[point.index - 1], taking.origin == .source,
              let callee = taking.callee, let rule = pack.acquires[callee], !rule.resources.isEmpty,
              rule.resources.allSatisfy({ pack.locks.contains($0.kind) }),
              let other = taking.arguments.first?.path, !resource.handles.contains(other),
              heldWhenTaken(other, resource) else { return nil }
        return taking.location
    }

    /// Whether some path from the acquisition of `resource` releases `handle` before taking
    /// it: `handle` was held when `resource` was taken.
    private func heldWhenTaken(_ handle: AccessPath, _ resource: HeldResource) -> Bool {
        guard let site = points.point(of: resource.site) else { return false }
        func scan(_ statements: ArraySlice<Statement>) -> Bool? {
            for case .call(let call) in statements {
                guard let callee = call.callee, call.arguments.first?.path == handle else { continue }
                if pack.releases[callee] != nil { return true }
                if pack.acquires[callee] != nil { return false }
            }
            return nil
        }
        let first = points.block(site.block)
        if let found = scan(first.statements[(site.index + 1)...]) { return found }
        var seen: Set<BlockID> = []
        var work = first.terminator.successors
        while let id = work.popLast() {
            guard seen.insert(id).inserted else { continue }
            let block = points.block(id)
            switch scan(block.statements[...]) {
            case true?: return true
            case false?: continue
            case nil: work += block.terminator.successors
            }
        }
        return false
    }
}
