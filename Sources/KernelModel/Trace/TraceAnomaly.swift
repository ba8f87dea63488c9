/// Something the trace itself refuses: acquiring what is already held, or releasing what is
/// not. The model's guards make both impossible; tests require the list to stay empty.
public enum TraceAnomaly: Hashable, Sendable, CustomStringConvertible {
    case acquiredWhileHeld(ResourceStep)
    case releasedWhileNotHeld(ResourceStep)

    public var description: String {
        switch self {
        case .acquiredWhileHeld(let step): "acquired while already held: \(step)"
        case .releasedWhileNotHeld(let step): "released while not held: \(step)"
        }
    }
}
