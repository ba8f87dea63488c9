/// What a rule pack declares: which calls acquire and release which kinds of resource,
/// which calls take ownership, which resources enclose others, and the error conventions.
/// Loaded from YAML (`RulePackLoader`); `rules/rules.schema.json` documents the format.
public struct RulePack: Sendable, Hashable {
    public var name: String
    public var description: String
    public var kinds: [String: String]
    /// Kinds that are states of something rather than objects (locks, transactions):
    /// storing their handle does not hand them on.
    public var locks: Set<String> = []
    public var acquires: [String: AcquireRule]
    public var releases: [String: [ReleaseRule]]
    public var transfers: [String: [TransferRule]]
    public var enclosures: [Enclosure]
    public var noReturn: Set<String>
    /// Calls that return their first argument (`spinlock_check(l)` in Linux's lock macros):
    /// the analysis sees through them.
    public var identity: Set<String> = []
    public var predicates: [String: Predicate]
    /// Calls whose result is known to have these signs (`PTR_ERR` is negative).
    public var resultSigns: [String: SignSet]
    public var convention: ErrorConvention
    /// Per-function error values, by exact name or a `prefix*` pattern.
    public var functionErrors: [(pattern: String, values: [Int64])]

    public init(name: String, description: String = "", kinds: [String: String] = [:],
                acquires: [String: AcquireRule] = [:], releases: [String: [ReleaseRule]] = [:],
                transfers: [String: [TransferRule]] = [:], enclosures: [Enclosure] = [],
                noReturn: Set<String> = [], predicates: [String: Predicate] = [:],
                resultSigns: [String: SignSet] = [:], convention: ErrorConvention = ErrorConvention(),
                functionErrors: [(pattern: String, values: [Int64])] = []) {
        self.name = name
        self.description = description
        self.kinds = kinds
        self.acquires = acquires
        self.releases = releases
        self.transfers = transfers
        self.enclosures = enclosures
        self.noReturn = noReturn
        self.predicates = predicates
        self.resultSigns = resultSigns
        self.convention = convention
        self.functionErrors = functionErrors
    }

    public static func == (a: RulePack, b: RulePack) -> Bool {
        a.name == b.name && a.kinds == b.kinds && a.acquires == b.acquires && a.releases == b.releases
            && a.locks == b.locks && a.transfers == b.transfers && a.enclosures == b.enclosures && a.noReturn == b.noReturn && a.identity == b.identity
            && a.predicates == b.predicates && a.resultSigns == b.resultSigns && a.convention == b.convention
            && a.functionErrors.map(\.pattern) == b.functionErrors.map(\.pattern)
            && a.functionErrors.map(\.values) == b.functionErrors.map(\.values)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Error values a function declares by name, if any.
    public func declaredErrors(of function: String) -> [Int64]? {
        for entry in functionErrors {
            if entry.pattern.hasSuffix("*") {
                if function.hasPrefix(entry.pattern.dropLast()) { return entry.values }
            } else if entry.pattern == function {
                return entry.values
            }
        }
        return nil
    }

    /// Packs combine by union; a later pack's entry for the same call wins.
    public func merged(with other: RulePack) -> RulePack {
        var result = self
        result.name = name + "+" + other.name
        result.kinds.merge(other.kinds) { $1 }
        result.locks.formUnion(other.locks)
        result.acquires.merge(other.acquires) { $1 }
        // Two packs may both release through one call (`kfree` frees an xv6 page and a
        // Linux kmem): keep both rules; the analysis uses whichever matches.
        result.releases.merge(other.releases) { mine, theirs in mine + theirs.filter { !mine.contains($0) } }
        result.transfers.merge(other.transfers) { $1 }
        result.enclosures += other.enclosures
        result.noReturn.formUnion(other.noReturn)
        result.identity.formUnion(other.identity)
        result.predicates.merge(other.predicates) { $1 }
        result.resultSigns.merge(other.resultSigns) { $1 }
        result.functionErrors = other.functionErrors + functionErrors
        return result
    }
}

/// One resource a successful acquire call gives the caller.
public struct ResourceSpec: Sendable, Hashable {
    public var kind: String
    /// Where the handle is: `{ret}`, `{0}`, or a template over them such as `&{ret}->lock`.
    public var handle: HandleTemplate
    /// Not made dependent on other held resources through its arguments or handle
    /// (allocproc's `p->lock` is released after `freeproc(p)`).
    public var independent: Bool
    /// The release call that undoes it, for fixes: `uvmunmap({0}, {1}, {2/PGSIZE}, 0)`.
    public var fix: HandleTemplate?

    public init(kind: String, handle: HandleTemplate, independent: Bool = false, fix: HandleTemplate? = nil) {
        self.kind = kind
        self.handle = handle
        self.independent = independent
        self.fix = fix
    }
}

public struct AcquireRule: Sendable, Hashable {
    public var call: String
    public var resources: [ResourceSpec]
    /// What the return value is when the call succeeded.
    public var success: SignSet
    /// Arguments whose resources the new resource takes over on success (`mappages`
    /// takes the page it maps).
    public var takes: [Int]
    /// Arguments whose resources the new one depends on (`mappages(pt, …)` maps inside
    /// `pt`; `request_irq(…, priv)` uses `priv`): they must outlive it.
    public var dependsOn: [Int]
    /// Acquired by a managed API (`devm_*`): the framework releases it, the caller must not.
    public var managed: Bool
    /// The address range it covers (`mappages(pt, va, size, …)` maps `[va, va+size)`).
    public var range: RangeSpec?

    public init(call: String, resources: [ResourceSpec], success: SignSet = .always, takes: [Int] = [],
                dependsOn: [Int] = [], managed: Bool = false, range: RangeSpec? = nil) {
        self.range = range
        self.call = call
        self.resources = resources
        self.success = success
        self.takes = takes
        self.dependsOn = dependsOn
        self.managed = managed
    }
}

public struct ReleaseRule: Sendable, Hashable {
    public var call: String
    public var kinds: [String]
    public var handle: HandleTemplate
    /// Releases every held resource of `kinds` with this handle, not just the newest.
    public var bulk: Bool
    /// Further kinds released in bulk under the same handle (`uvmfree` also unmaps user memory).
    public var alsoReleases: [String]
    /// Releasing a null handle is allowed (Linux `kfree(NULL)`), not a bug (xv6 `kfree(0)`).
    public var nullSafe: Bool
    /// Error pointers are skipped too (Linux's `__free(kfree)` helpers test `IS_ERR_OR_NULL`).
    public var errorSafe = false
    /// The pack that declared it: rules for one call from different packs are alternatives
    /// (merged xv6 and Linux `kfree`), rules from one pack release parts of one thing
    /// (`iunlockput` drops a lock and a reference).
    public var pack = ""
    /// Whether resources the released ones took over are released too: always, never, or
    /// when the argument at this index is non-zero (`uvmunmap`'s `do_free`).
    public var freesContents: ContentsPolicy
    /// The address range released (`uvmunmap(pt, va, n, …)` releases `[va, va+n pages)`):
    /// only resources overlapping it go.
    public var range: RangeSpec?

    public init(call: String, kinds: [String], handle: HandleTemplate = HandleTemplate("{0}"), bulk: Bool = false,
                alsoReleases: [String] = [], nullSafe: Bool = false, freesContents: ContentsPolicy = .always) {
        self.call = call
        self.kinds = kinds
        self.handle = handle
        self.bulk = bulk
        self.alsoReleases = alsoReleases
        self.nullSafe = nullSafe
        self.freesContents = freesContents
    }

    public func with(range: RangeSpec?) -> ReleaseRule {
        var copy = self
        copy.range = range
        return copy
    }
}

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

public enum ContentsPolicy: Sendable, Hashable {
    case always, never
    case whenArgumentNonZero(Int)
}

/// A call that takes ownership of an argument's resource, on success or always.
public struct TransferRule: Sendable, Hashable {
    public var call: String
    public var argument: Int
    public var success: SignSet

    public init(call: String, argument: Int, success: SignSet = .always) {
        self.call = call
        self.argument = argument
        self.success = success
    }
}

/// Resources of `inner` kinds taken while an `outer` one is held must be released first
/// (`begin_op` … `end_op` encloses every `iput`).
public struct Enclosure: Sendable, Hashable {
    public var outer: String
    public var inner: [String]

    public init(outer: String, inner: [String]) {
        self.outer = outer
        self.inner = inner
    }
}

/// A call that tests an argument: `IS_ERR(p)` is true exactly when `p` is an error pointer.
public struct Predicate: Sendable, Hashable {
    public var argument: Int
    public var whenTrue: SignSet

    public init(argument: Int, whenTrue: SignSet) {
        self.argument = argument
        self.whenTrue = whenTrue
    }
}

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
}

/// The possible signs of a value. Pointers use the same three: NULL is `zero`, a valid
/// pointer `positive`, an `ERR_PTR` `negative` (error pointers are negative errnos).
public struct SignSet: OptionSet, Sendable, Hashable, CustomStringConvertible {
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
