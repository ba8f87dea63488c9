/// Why a scenario could not be run at all (as opposed to the call under test failing,
/// which is an outcome): the machine did not boot, or the setup before the call failed.
public enum ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    case boot(KernelBootError)
    case setup(KernelError)
    case invalid(String)

    public var description: String {
        switch self {
        case .boot(let error): "kernel did not boot: \(error)"
        case .setup(let error): "scenario setup failed: \(error)"
        case .invalid(let why): "invalid scenario: \(why)"
        }
    }
}
