/// Which elements of a collection a loop's acquisition holds: the indices `lo...hi`, each
/// bound a constant or a variable's value plus an offset (`0..i-1` while the loop still
/// runs, `0..n-1` after it). The bounds are relative to the loop counter, never counts, so a
/// loop's states repeat after one iteration and the walk converges.
///
/// What it cannot see: it assumes the held indices are contiguous (a loop acquiring every
/// element from its start), and compares bounds only when they share a base variable (or
/// are both constants). Anything else makes the span unknown, which behaves like the one
/// summary resource per site that ladder had before elements were tracked.
public struct ElementSpan: Sendable, Hashable {
    /// The lowest held index; nil when unknown.
    public var lo: ElementBound?
    /// The highest held index; nil when unknown.
    public var hi: ElementBound?
    /// An index no held element reaches: what the loop test said when they were acquired
    /// (`i < n` gives `n`). Lets a cleanup loop that walks the whole array end empty.
    public var cap: ElementBound?
    /// The collection as the source wrote it, index left out (`bufs[]`, `pci_irq_vector(pdev, *)`).
    public var collection: String
    /// The element itself is the acquired pointer (`bufs[i] = kmalloc(…)`): a failed element
    /// is null, and null is not held.
    public var isPointer: Bool
    /// Some iterations acquired nothing (`if (!qv->ring) continue;`): `lo...hi` covers the
    /// held elements and the holes between them. Drivers unwind such loops over every index
    /// (the skipped vectors are ones the device never has), so the span stays one range
    /// rather than becoming unknown; a null element at an end of it is a hole.
    public var gaps: Bool = false
    /// With `gaps`: only `hi` is held, everything below it a hole. A span that starts at the
    /// counter's start only so that later iterations join it (`acquiredElements`) holds just
    /// the element its acquisition named until another joins: releasing that one releases
    /// the span (`get_device(a[i]); …; put_device(a[i]);` past the iterations whose counter
    /// value was followed).
    public var heldOnlyAtHi: Bool = false

    /// Both bounds are known.
    public var isKnown: Bool { lo != nil && hi != nil }

    /// The span without its upper end, now `newHi` (a release or a null test of the element
    /// there): nil when that was the only held element (`heldOnlyAtHi`).
    func droppingHi(to newHi: ElementBound) -> ElementSpan? {
        if heldOnlyAtHi { return nil }
        var result = self
        result.hi = newHi
        return result
    }

    /// No element is held: `lo > hi`, or `lo` reaches past every acquired index.
    public var isEmpty: Bool {
        guard let lo else { return false }
        if let hi, let d = lo.difference(hi), d > 0 { return true }
        if let cap, let d = lo.difference(cap), d >= 0 { return true }
        return false
    }

    /// Empty once the path's known values are put into its bounds (`0..vector-1` where
    /// `vector` is known to be 0 again after a ladder of `--vector` releases).
    func isEmpty(resolving value: (ElementBound) -> ElementBound) -> Bool {
        if isEmpty { return true }
        var resolved = self
        resolved.mapBounds(value)
        return resolved.isKnown && resolved.isEmpty
    }

    /// `0..i-1`, or `i-1` for one element.
    public var indices: String {
        guard let lo, let hi else { return "some" }
        return lo == hi ? lo.description : "\(lo)..\(hi)"
    }

    /// What a finding says is left held: "elements 0..i-1 of bufs[]", "element i-1 of bufs[]".
    public var phrase: String {
        guard let lo, let hi else { return "some elements of \(collection)" }
        return lo == hi ? "element \(indices) of \(collection)" : "elements \(indices) of \(collection)"
    }

    /// The older instances of a loop's acquisition and a newer one, as one span: contiguous
    /// when the newer one starts right after the older one ends, unknown otherwise.
    static func merged(_ older: ElementSpan?, _ newer: ElementSpan?) -> ElementSpan? {
        guard var result = older, let newer else { return nil }
        if let hi = result.hi, let lo = newer.lo, hi.adding(1) == lo, let newHi = newer.hi {
            result.hi = newHi
        } else if let lo = result.lo, let hi = newer.hi, hi.adding(1) == lo, let newLo = newer.lo {
            result.lo = newLo
        } else if (result.lo, result.hi, result.cap, result.collection) != (newer.lo, newer.hi, newer.cap, newer.collection) {
            result.lo = nil
            result.hi = nil
        }
        result.cap = looser(result.cap, newer.cap)
        result.gaps = result.gaps || newer.gaps
        result.heldOnlyAtHi = false
        return result
    }

    /// Two paths' spans of one resource, for the fallback pass's join: kept when equal,
    /// else the bounds that agree.
    static func joined(_ a: ElementSpan?, _ b: ElementSpan?) -> ElementSpan? {
        guard var result = a, let b else { return nil }
        if result.lo != b.lo { result.lo = nil }
        if result.hi != b.hi { result.hi = nil }
        result.cap = looser(result.cap, b.cap)
        result.gaps = result.gaps || b.gaps
        result.heldOnlyAtHi = result.heldOnlyAtHi && b.heldOnlyAtHi && result.hi != nil
        return result
    }

    /// The higher of two caps, when they compare: no element either side holds reaches it. A
    /// test inside the loop (`i == 0 ? …`, vt8231) gives its iteration a tighter cap than the
    /// loop's own test gives the others.
    static func looser(_ a: ElementBound?, _ b: ElementBound?) -> ElementBound? {
        guard let a, let b, let d = a.difference(b) else { return nil }
        return d >= 0 ? a : b
    }

    /// Every bound, for rewriting when a variable changes.
    mutating func mapBounds(_ transform: (ElementBound) -> ElementBound?) {
        lo = lo.flatMap(transform)
        hi = hi.flatMap(transform)
        cap = cap.flatMap(transform)
    }

    func reads(_ variable: Variable) -> Bool {
        [lo, hi, cap].contains { $0?.reads(variable) == true }
    }
}

/// What a path knows of an element counter (`PathState.counterValues`): its value while
/// known, and the constant it last started from.
public struct CounterValue: Sendable, Hashable {
    /// Nil once more than `ElementBound.maximumDrift` from the start (loops converge).
    public var value: Int64?
    public var start: Int64
    /// Every step since the start went up.
    public var ascending: Bool = true
}

/// One end of an `ElementSpan`: a constant, or a variable's value plus an offset.
public struct ElementBound: Sendable, Hashable, CustomStringConvertible {
    public enum Base: Sendable, Hashable {
        case constant
        /// The variable's value now.
        case current(Variable)
        /// The value the variable had before it was given a new, unrelated one (`i = 0` to
        /// start a cleanup loop over the same counter): still a fixed number, no longer `i`.
        case earlier(Variable)
    }

    public var base: Base
    public var offset: Int64

    public init(_ base: Base, _ offset: Int64) {
        self.base = base
        self.offset = offset
    }

    static func constant(_ c: Int64) -> ElementBound { ElementBound(.constant, c) }

    /// How far from its counter a bound may be (`i-2`) before it is taken as unknown: loop
    /// steps keep real spans within one or two of the counter, and the limit is what stops
    /// a loop that skips acquisitions from making a new state per iteration.
    static let maximumDrift: Int64 = 3

    func adding(_ n: Int64) -> ElementBound { ElementBound(base, offset &+ n) }

    /// `self - other`, when they share a base.
    func difference(_ other: ElementBound) -> Int64? {
        base == other.base ? offset &- other.offset : nil
    }

    func reads(_ variable: Variable) -> Bool {
        switch base {
        case .current(let v): v == variable
        case .constant, .earlier: false
        }
    }

    public var description: String {
        let name: String
        switch base {
        case .constant: return String(offset)
        case .current(let v), .earlier(let v): name = v.name
        }
        if offset == 0 { return name }
        return offset > 0 ? "\(name)+\(offset)" : "\(name)-\(0 &- offset)"
    }
}
