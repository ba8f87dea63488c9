/// One place where a run can be made to fail: the k-th allocation, or the n-th call of a
/// named operation (such as the second `mappages`). Both count from 1 and count every call
/// since the plan was armed, failed or not, so a point names the same call in every run of
/// the same path.
public enum FailurePoint: Hashable, Sendable, CustomStringConvertible {
    case allocation(Int)
    case operation(String, occurrence: Int)

    public var description: String {
        switch self {
        case .allocation(let k): "allocation #\(k)"
        case .operation(let name, let n): "\(name) #\(n)"
        }
    }
}

extension FailurePoint: Comparable {
    /// Allocations first, then operations by name and occurrence: the order reports use.
    public static func < (lhs: FailurePoint, rhs: FailurePoint) -> Bool {
        switch (lhs, rhs) {
        case (.allocation(let a), .allocation(let b)): a < b
        case (.allocation, .operation): true
        case (.operation, .allocation): false
        case (.operation(let a, let m), .operation(let b, let n)): (a, m) < (b, n)
        }
    }
}

/// Flat JSON, `{"kind": "allocation", "index": 3}` or
/// `{"kind": "operation", "name": "mappages", "index": 2}`, rather than the nested shape
/// synthesised for enums, because other tools read it.
extension FailurePoint: Codable {
    private enum CodingKeys: String, CodingKey { case kind, name, index }
    private enum Kind: String, Codable { case allocation, operation }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .allocation(let k):
            try container.encode(Kind.allocation, forKey: .kind)
            try container.encode(k, forKey: .index)
        case .operation(let name, let n):
            try container.encode(Kind.operation, forKey: .kind)
            try container.encode(name, forKey: .name)
            try container.encode(n, forKey: .index)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let index = try container.decode(Int.self, forKey: .index)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .allocation: self = .allocation(index)
        case .operation: self = .operation(try container.decode(String.self, forKey: .name), occurrence: index)
        }
    }
}
