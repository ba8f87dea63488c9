/// The kernel's log of acquisitions, releases and injected failures, in order, with the
/// bookkeeping that pairs each release with its acquisition.
public struct ResourceTrace: Sendable {
    public private(set) var events: [ResourceEvent] = []
    public private(set) var anomalies: [TraceAnomaly] = []
    private var held: [ResourceKey: (instance: Int, resource: ResourceID)] = [:]
    private var nextInstance = 1

    public init() {}

    /// Resources acquired and not yet released, oldest first.
    public var heldResources: [ResourceID] {
        held.values.sorted { $0.instance < $1.instance }.map(\.resource)
    }

    mutating func acquire(_ key: ResourceKey, _ step: ResourceStep) {
        if held[key] != nil { anomalies.append(.acquiredWhileHeld(step)) }
        let instance = nextInstance
        nextInstance += 1
        held[key] = (instance, step.resource)
        events.append(.acquire(instance: instance, step))
    }

    mutating func release(_ key: ResourceKey, _ step: ResourceStep) {
        guard let entry = held.removeValue(forKey: key) else {
            anomalies.append(.releasedWhileNotHeld(step))
            return
        }
        events.append(.release(instance: entry.instance, step))
    }

    mutating func record(_ failure: InjectedFailure) {
        events.append(.failure(failure))
    }
}
