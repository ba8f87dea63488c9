/// How the call under test ended.
public enum PathOutcome: Hashable, Sendable {
    case succeeded
    case failed(KernelError)

    public var failed: Bool {
        if case .failed = self { return true }
        return false
    }
}
