/// A condition on which xv6 calls `panic()`. The model records it and carries on (so a run
/// can report every problem), and tests require that none happened. `message` is xv6's own
/// string, e.g. "freewalk: leaf".
public struct KernelPanic: Hashable, Sendable, Codable, CustomStringConvertible {
    public var message: String
    public var detail: String

    public init(_ message: String, detail: String = "") {
        self.message = message
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? "panic: \(message)" : "panic: \(message) (\(detail))" }
}
