/// What a trace shows for a resource: its kind and a C-like name ("TRAMPOLINE",
/// "mem@0x1000", "proc[0].lock"). Names are for people and may repeat (two processes both map
/// 0x0); the trace pairs releases with acquisitions by instance, not by name.
public struct ResourceID: Hashable, Sendable, Codable, CustomStringConvertible {
    public var kind: ResourceKind
    public var name: String

    public init(kind: ResourceKind, name: String) {
        self.kind = kind
        self.name = name
    }

    public var description: String { "\(kind.rawValue) \(name)" }
}
