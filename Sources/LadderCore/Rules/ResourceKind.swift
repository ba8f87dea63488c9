/// A kind of resource a pack declares (`page`, `spinlock`, `inode-ref`): what acquisitions
/// produce and releases take back. A type of its own so a kind is never confused with a
/// call name or a handle, which are strings too.
public struct ResourceKind: Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral name: String) { self.name = name }

    public var description: String { name }

    public static func < (a: ResourceKind, b: ResourceKind) -> Bool { a.name < b.name }

    public init(from decoder: any Decoder) throws {
        name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
