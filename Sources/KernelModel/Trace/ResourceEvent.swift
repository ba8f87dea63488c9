/// One entry of the kernel's resource trace. Every acquisition gets a fresh instance number
/// (numbers grow with time), and its release carries the same number.
public enum ResourceEvent: Hashable, Sendable, CustomStringConvertible {
    case acquire(instance: Int, ResourceStep)
    case release(instance: Int, ResourceStep)
    case failure(InjectedFailure)

    public var instance: Int? {
        switch self {
        case .acquire(let instance, _), .release(let instance, _): instance
        case .failure: nil
        }
    }

    public var step: ResourceStep? {
        switch self {
        case .acquire(_, let step), .release(_, let step): step
        case .failure: nil
        }
    }

    public var description: String {
        switch self {
        case .acquire(let n, let step): "acquire #\(n) \(step)"
        case .release(let n, let step): "release #\(n) \(step)"
        case .failure(let failure): "fail \(failure.point): \(failure)"
        }
    }
}
