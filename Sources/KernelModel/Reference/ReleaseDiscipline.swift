/// Checks that a stretch of trace (one call, or a teardown) releases in reverse order:
///
/// - resources acquired and released within the stretch are properly nested: each release
///   gives back the most recently acquired of those still held (a scan that takes and drops
///   a lock in passing is fine; releasing the first of two held resources first is not);
/// - resources held from before the stretch and released in it go newest first;
/// - when the call failed, nothing it acquired is still held afterwards.
///
/// Resources acquired in the stretch and kept (handed on to the caller) take no part in
/// the nesting: handing on is not a release.
public enum ReleaseDiscipline {
    public static func violations(in events: [ResourceEvent], stretch: Range<Int>, failed: Bool)
        -> [DisciplineViolation]
    {
        let window = events[stretch]
        var acquiredHere: [Int: ResourceID] = [:]
        var releasedHere: Set<Int> = []
        for event in window {
            switch event {
            case .acquire(let instance, let step): acquiredHere[instance] = step.resource
            case .release(let instance, _): releasedHere.insert(instance)
            case .failure: break
            }
        }

        var found: [DisciplineViolation] = []
        var nested: [(instance: Int, resource: ResourceID)] = []
        var lastOlderRelease: (instance: Int, resource: ResourceID)?
        for event in window {
            switch event {
            case .acquire(let instance, let step):
                if releasedHere.contains(instance) { nested.append((instance, step.resource)) }
            case .release(let instance, let step):
                if acquiredHere[instance] != nil {
                    if let top = nested.last, top.instance != instance {
                        found.append(.releasedBeforeLaterAcquisition(released: step, stillHeld: top.resource))
                    }
                    nested.removeAll { $0.instance == instance }
                } else {
                    if let previous = lastOlderRelease, previous.instance < instance {
                        found.append(.olderReleasedFirst(released: step, after: previous.resource))
                    }
                    lastOlderRelease = (instance, step.resource)
                }
            case .failure:
                break
            }
        }
        if failed {
            for (instance, resource) in acquiredHere.sorted(by: { $0.key < $1.key })
            where !releasedHere.contains(instance) {
                found.append(.heldAfterFailure(resource))
            }
        }
        return found
    }
}
