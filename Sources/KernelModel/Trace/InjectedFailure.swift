import Sv39

/// A call the fault plan made fail, and where it was.
public struct InjectedFailure: Hashable, Sendable, Codable, CustomStringConvertible {
    public var point: FailurePoint
    /// The call that failed: "kalloc" or the named operation.
    public var call: String
    /// The modelled functions active when it failed, outermost first.
    public var callStack: [String]

    public init(point: FailurePoint, call: String, callStack: [String]) {
        self.point = point
        self.call = call
        self.callStack = callStack
    }

    /// "kalloc() in walk() ← mappages() ← proc_pagetable()".
    public var description: String { describe(omitting: []) }

    /// The description without the frames named in `omitted` (such as a test harness's).
    public func describe(omitting omitted: Set<String>) -> String {
        let callers = callStack.reversed().filter { $0 != call && !omitted.contains($0) }.map { "\($0)()" }
        return callers.isEmpty ? "\(call)()" : "\(call)() in " + callers.joined(separator: " ← ")
    }
}
