/// An address range from a call's arguments: each bound is an argument index or a
/// constant; `end` is exclusive; `length` and `pages` (4096 bytes) are from `start`.
public struct RangeSpec: Sendable, Hashable, Codable {
    public enum Bound: Sendable, Hashable, Codable {
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

    /// The range as far as the arguments tell: bounds are constants, or a variable plus a
    /// constant offset (`va`, `va + PGSIZE`), or unknown.
    public func resolve(_ arguments: [Expr]) -> AddressRange {
        func value(_ b: Bound?) -> AddressRange.Point? {
            switch b {
            case .argument(let i)?: i < arguments.count ? AddressRange.Point(arguments[i]) : nil
            case .constant(let v)?: AddressRange.Point(base: nil, offset: v)
            case nil: nil
            }
        }
        let lo = value(start)
        var hi: AddressRange.Point?
        if end != nil { hi = value(end) }
        else if let n = value(length), n.base == nil, let lo { hi = lo.adding(n.offset) }
        else if let n = value(pages), n.base == nil, let lo { hi = lo.adding(n.offset &* 4096) }
        return AddressRange(lo: lo, hi: hi)
    }
}

/// `[lo, hi)`, each bound a constant or a variable plus an offset, or unknown. Bounds on
/// different variables cannot be compared, so such ranges may overlap anything.
public struct AddressRange: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        /// The value the offset is from; nil for an absolute address.
        public var base: AccessPath?
        public var offset: Int64

        public init(base: AccessPath?, offset: Int64) {
            self.base = base
            self.offset = offset
        }

        init(_ e: Expr) {
            if let c = e.constantValue {
                self.init(base: nil, offset: c)
                return
            }
            switch e.kind {
            case .binary(.add, let a, let b) where b.constantValue != nil: self.init(base: a.path, offset: b.constantValue!)
            case .binary(.add, let a, let b) where a.constantValue != nil: self.init(base: b.path, offset: a.constantValue!)
            case .binary(.sub, let a, let b) where b.constantValue != nil: self.init(base: a.path, offset: 0 &- b.constantValue!)
            default: self.init(base: e.path, offset: 0)
            }
        }

        func adding(_ n: Int64) -> Point { Point(base: base, offset: offset &+ n) }

        /// `self <= other`, when the two can be compared at all.
        func atMost(_ other: Point) -> Bool? {
            guard base == other.base else { return nil }
            return base == nil ? UInt64(bitPattern: offset) <= UInt64(bitPattern: other.offset) : offset <= other.offset
        }
    }

    public var lo: Point?
    public var hi: Point?

    public init(lo: Point?, hi: Point?) {
        self.lo = lo
        self.hi = hi
    }

    /// The start, when it is an absolute address.
    public var absoluteStart: Int64? { lo?.base == nil ? lo?.offset : nil }

    /// Known to hold no address.
    public var isEmpty: Bool {
        guard let lo, let hi else { return false }
        return hi.atMost(lo) ?? false
    }

    /// Unknown bounds may overlap anything; a known empty range overlaps nothing.
    public func overlaps(_ other: AddressRange) -> Bool {
        if isEmpty || other.isEmpty { return false }
        if let hi, let olo = other.lo, hi.atMost(olo) == true { return false }
        if let ohi = other.hi, let lo, ohi.atMost(lo) == true { return false }
        return true
    }

    /// Provably sharing no address (both bounds known and comparable).
    public func isDisjoint(from other: AddressRange) -> Bool { !overlaps(other) }

    /// Whether a bound is measured from this value (which then changed).
    public func reads(_ changed: AccessPath) -> Bool {
        [lo?.base, hi?.base].contains { $0?.mentions(changed) ?? false }
    }
}
