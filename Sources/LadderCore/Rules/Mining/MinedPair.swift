/// What one error ladder says about one pair: the release `release` (argument
/// `releaseArgument`) undid what `acquire` gave, in its result or in one of its arguments.
public struct MinedPair: Sendable, Hashable, Comparable {
    public var acquire: String
    public var release: String
    public var resource: MinedResource
    public var releaseArgument: Int

    public init(acquire: String, release: String, resource: MinedResource, releaseArgument: Int) {
        self.acquire = acquire
        self.release = release
        self.resource = resource
        self.releaseArgument = releaseArgument
    }

    public static func < (a: MinedPair, b: MinedPair) -> Bool {
        (a.acquire, a.release, a.resource, a.releaseArgument) < (b.acquire, b.release, b.resource, b.releaseArgument)
    }
}

/// Where the acquire call put the resource.
public enum MinedResource: Sendable, Hashable, Comparable {
    /// `x = acquire(…)`.
    case result
    /// `acquire(…, x, …)` at this argument, its result tested for success.
    case argument(Int)
}

/// How the path tested the acquire call before going on, which says how it fails.
public enum MinedSuccess: String, Sendable, Hashable, CaseIterable {
    /// `if (!x)`: NULL is failure.
    case validPointer = "valid-pointer"
    /// `if (IS_ERR(x))`: an ERR_PTR value is failure.
    case notError = "not-error"
    /// `if (ret)`: any non-zero value is failure.
    case zero
    /// `if (ret < 0)`: only negative values are failure.
    case nonNegative = "nonnegative"
}

/// One function's evidence: each pair it showed, with the test seen before it.
public struct MinedFunction: Sendable, Hashable {
    public var function: String
    public var file: String
    public var pairs: [MinedPair: MinedSuccess]

    public init(function: String, file: String, pairs: [MinedPair: MinedSuccess]) {
        self.function = function
        self.file = file
        self.pairs = pairs
    }
}
