/// One acquisition or release as the C code would write it.
public struct ResourceStep: Hashable, Sendable, Codable, CustomStringConvertible {
    public var resource: ResourceID
    /// The function that acquires or releases: "kalloc", "mappages", "uvmunmap", "release".
    public var call: String
    /// The C statement with its arguments, e.g. "uvmunmap(pagetable, TRAMPOLINE, 1, 0)".
    public var statement: String
    /// The modelled function the call was made from, e.g. "proc_pagetable".
    public var function: String

    public init(resource: ResourceID, call: String, statement: String, function: String) {
        self.resource = resource
        self.call = call
        self.statement = statement
        self.function = function
    }

    public var description: String { "\(resource) by \(statement) in \(function)" }
}
