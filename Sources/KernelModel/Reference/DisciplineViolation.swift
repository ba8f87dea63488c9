/// A way a stretch of trace breaks reverse-order release.
public enum DisciplineViolation: Hashable, Sendable, CustomStringConvertible {
    /// A resource acquired in the stretch was released while something acquired after it
    /// (and released in the same stretch) was still held.
    case releasedBeforeLaterAcquisition(released: ResourceStep, stillHeld: ResourceID)
    /// Of two resources held from before the stretch, the older was released first.
    case olderReleasedFirst(released: ResourceStep, after: ResourceID)
    /// The call failed but left this resource held.
    case heldAfterFailure(ResourceID)

    public var description: String {
        switch self {
        case .releasedBeforeLaterAcquisition(let released, let held):
            "\(released.resource) released while \(held), acquired later, is still held"
        case .olderReleasedFirst(let released, let after):
            "\(released.resource) released after \(after), which was acquired before it"
        case .heldAfterFailure(let resource): "\(resource) still held after the call failed"
        }
    }
}
