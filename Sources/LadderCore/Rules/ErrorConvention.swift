/// Which returned values mean failure, by return type.
public struct ErrorConvention: Sendable, Hashable {
    /// For pointer returns (NULL is `zero`; `ERR_PTR` values are `negative`).
    public var pointer: SignSet
    /// For signed integer returns.
    public var signed: SignSet
    /// Exact error values for unsigned returns (xv6's `uint64` system calls return -1);
    /// failure-branch inference adds to these per function.
    public var unsignedValues: [Int64]

    public init(pointer: SignSet = [.zero, .negative], signed: SignSet = [.negative], unsignedValues: [Int64] = [-1]) {
        self.pointer = pointer
        self.signed = signed
        self.unsignedValues = unsignedValues
    }

    /// Whether a signed `int` whose possible signs are `signs` is a failure: never zero, and
    /// possibly an error sign.
    public func signedFailure(_ signs: SignSet) -> Bool {
        !signs.isEmpty && !signs.contains(.zero) && !signs.isDisjoint(with: signed)
    }
}

/// The possible signs of a value. Pointers use the same three: NULL is `zero`, a valid
/// pointer `positive`, an `ERR_PTR` `negative` (error pointers are negative errnos).
public struct SignSet: OptionSet, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let negative = SignSet(rawValue: 1)
    public static let zero = SignSet(rawValue: 2)
    public static let positive = SignSet(rawValue: 4)
    public static let always: SignSet = [.negative, .zero, .positive]
    public static let nonZero: SignSet = [.negative, .positive]
    public static let nonNegative: SignSet = [.zero, .positive]

    public init(of value: Int64) {
        self = value < 0 ? .negative : value == 0 ? .zero : .positive
    }

    public var description: String {
        switch self {
        case .always: "any"
        case .nonZero: "non-zero"
        case .nonNegative: "non-negative"
        case .negative: "negative"
        case .zero: "zero"
        case .positive: "positive"
        case [.negative, .zero]: "non-positive"
        default: "none"
        }
    }
}
