/// One of N disjoint shares of a run's files (`K/N`, K from 1), so N machines can split a
/// large tree: every file is in exactly one shard.
///
/// A file's shard is a hash of its path as the run names it (the command-line path or the
/// compile database's `file`), not Swift's `Hasher`, which is seeded per process. So all N
/// shards must be given the same inputs from the same directory; a checkout at another
/// absolute path moves files whose database entries are absolute.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1...count.
    public let index: Int
    public let count: Int

    public static let whole = Shard(checkedIndex: 1, count: 1)

    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw ShardError(text: "\(index)/\(count)", reason: "N must be at least 1") }
        guard (1...count).contains(index) else {
            throw ShardError(text: "\(index)/\(count)", reason: "K must be between 1 and N")
        }
        self.init(checkedIndex: index, count: count)
    }

    /// `K/N`, as `--shard` takes it.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError(text: text, reason: "expected K/N, two whole numbers (2/4 is the second of four shards)")
        }
        try self.init(index: index, count: count)
    }

    private init(checkedIndex: Int, count: Int) {
        self.index = checkedIndex
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ path: String) -> Bool {
        Shard.bucket(of: path, count: count) == index - 1
    }

    /// 0..<count. FNV-1a over the path's UTF-8: fixed across processes, machines and Swift
    /// versions.
    public static func bucket(of path: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }
}

/// A `--shard` value that names no shard.
public struct ShardError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "invalid shard '\(text)': \(reason)" }
}
