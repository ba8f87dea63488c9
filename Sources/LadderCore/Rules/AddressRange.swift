/// An address range from a call's arguments: each bound is an argument index or a
/// constant; `end` is exclusive; `length` and `pages` (4096 bytes) are from `start`.
public struct RangeSpec: Sendable, Hashable {
    public enum Bound: Sendable, Hashable {
        case argument(Int)
        case constant(Int64)
    }

    public var start: Bound
    public var end: Bound?
    public var length: Bound?
    public var pages: Bound?

    public init(start: Bound, end: Bound? = nil, length: Bound? = nil, pages: Bound? = nil) {
        self.start = start
        self.end = end
        self.length = length
        self.pages = pages
    }

    /// The argument indices its bounds read.
    public var arguments: [Int] {
        [start, end, length, pages].compactMap { bound in
            if case .argument(let i)? = bound { i } else { nil }
        }
    }

    /// The concrete range, with nil for bounds not known as constants.
    public func resolve(_ arguments: [Expr]) -> AddressRange {
        func value(_ b: Bound?) -> Int64? {
            switch b {
            case .argument(let i)?: i < arguments.count ? arguments[i].constantValue : nil
            case .constant(let v)?: v
            case nil: nil
            }
        }
        let lo = value(start)
        var hi: Int64?
        if end != nil { hi = value(end) }
        else if let n = value(length), let lo { hi = lo &+ n }
        else if let n = value(pages), let lo { hi = lo &+ n &* 4096 }
        return AddressRange(lo: lo, hi: hi)
    }
}

public struct AddressRange: Sendable, Hashable {
    public var lo: Int64?
    public var hi: Int64?

    /// Unknown bounds may overlap anything; a known empty range overlaps nothing.
    public func overlaps(_ other: AddressRange) -> Bool {
        if let lo, let hi, lo >= hi { return false }
        if let lo = other.lo, let hi = other.hi, lo >= hi { return false }
        if let hi, let olo = other.lo, UInt64(bitPattern: hi) <= UInt64(bitPattern: olo) { return false }
        if let ohi = other.hi, let lo, UInt64(bitPattern: ohi) <= UInt64(bitPattern: lo) { return false }
        return true
    }
}
