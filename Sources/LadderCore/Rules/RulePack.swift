/// What a rule pack declares: which calls acquire and release which kinds of resource,
/// which calls take ownership, which resources enclose others, and the error conventions.
/// Loaded from YAML (`RulePackLoader`); `rules/rules.schema.json` documents the format.
public struct RulePack: Sendable, Hashable {
    public var name: String
    public var description: String
    public var kinds: [ResourceKind: String]
    /// Kinds that are states of something rather than objects (locks, transactions):
    /// storing their handle does not hand them on.
    public var locks: Set<ResourceKind> = []
    /// Kinds that are one counted reference among others to an object that lives on its
    /// own (what a lookup returns: `device_find_child`): no other resource at the same
    /// handle needs it, so putting it before unregistering the object is not early.
    public var countedReferences: Set<ResourceKind> = []
    /// Kinds whose acquisitions nest on one handle, each one counted (`clk_enable` on a
    /// clock: enable count). Taken again while held, one only counts up and cannot fail;
    /// a loop releasing it again at the same call counts the acquisitions back down.
    public var nesting: Set<ResourceKind> = []
    /// Callback fields (`remove`, `suspend`, `error_detected`) the driver core never runs
    /// during the same driver's `probe` (`FlagSetters`).
    public var probeExcludes: Set<String> = []
    /// Locks no one keeps held at a return for someone else (xv6's spinlocks and
    /// sleep-locks: there is no framework whose partner callback drops them later). Held
    /// at a success return with no contract, such a lock leaks even when the function
    /// never drops it, and a callback's failure without it does not make keeping it the
    /// framework's wish (`ContractSettlement`). Kinds not listed (a runtime-PM reference a
    /// watchdog's `start` keeps for `stop`) may be kept for a partner ladder cannot see.
    public var neverKept: Set<ResourceKind> = []
    /// Kinds that install something the kernel calls back until it is released (an interrupt
    /// handler): what a function holds of them at a success return is what it set out to
    /// install, kept, never a leak. Its error returns are judged as ever.
    public var keptOnSuccess: Set<ResourceKind> = []
    /// Kinds that are a state of an object rather than something made from it (a runtime-PM
    /// usage count, runtime PM enabled, MSI vectors on a PCI device): taken on an object that
    /// holds other resources, neither is ordered against the other by their shared name.
    public var states: Set<ResourceKind> = []
    /// Calls that hand a record to the device's managed resources (`devres_add`): a function
    /// that returns what it acquired and makes one of them (a subsystem's `devm_` wrapper:
    /// `devres_alloc`, acquire, keep it in the record, `devres_add`) returns it managed
    /// (`SummaryDerivation`).
    public var devres: Set<String> = []
    public var acquires: [String: AcquireRule]
    public var releases: [String: [ReleaseRule]]
    /// Release calls that do what several others do, in order, on the same arguments
    /// (`iunlockput` = `iunlock` then `iput`): a fix writes the one call for the parts.
    public var combines: [String: [String]] = [:]
    public var transfers: [String: [TransferRule]]
    public var enclosures: [Enclosure]
    public var noReturn: Set<String>
    /// Calls that return their first argument (`spinlock_check(l)` in Linux's lock macros):
    /// the analysis sees through them.
    public var identity: Set<String> = []
    /// Calls whose result points into their first argument's resource (`netdev_priv`):
    /// another name for the same resource.
    public var derives: Set<String> = []
    /// Calls that read the error code out of an error pointer (`PTR_ERR(p)`): a test that
    /// finds the result equal to a negative constant finds the argument an error pointer.
    public var errorCodes: Set<String> = []
    /// Calls whose result is a name for their arguments (`pci_irq_vector(pdev, i)`): two
    /// calls with the same arguments name the same thing.
    public var pure: Set<String> = []
    /// Pure calls (in `pure` too) that read memory behind their pointer arguments (`strcmp(p->mode, "x")`):
    /// any call handed that pointer, or the object holding the array, may rewrite what they
    /// read (`strscpy(p->mode, …)`, `demo_config(p)`), so their answer is new after one.
    public var readsThrough: Set<String> = []
    /// Calls that read their arguments during the call and keep none of them (`snprintf`,
    /// `_dev_info`, `strscpy`): handing a buffer to one is no hand-off, so a success return
    /// that still holds it leaks it (`EscapeAnalysis`).
    public var borrows: Set<String> = []
    /// Calls that copy the bytes of their second argument's object into their first's
    /// (`memcpy`, `memmove`): they keep neither pointer they are given, but what the source
    /// object holds now lives in the destination too (`EscapeAnalysis.lent`).
    public var copies: Set<String> = []
    /// Allocators whose memory starts zero-filled (`kzalloc`, `alloc_etherdev`): a flag bit
    /// of such an object is clear until something writes it (`BitFlags`).
    public var zeroes: Set<String> = []
    /// Bit operations on a word given by address, `op(nr, &word)` (`set_bit`,
    /// `test_and_set_bit`): what each does to bit `nr` (`BitFlags`).
    public var bits: [String: BitOperation] = [:]
    /// Calls whose result is one of their arguments or a place inside one
    /// (`get_device(dev)` returns `dev`, `platform_get_drvdata(pdev)` reads
    /// `pdev->dev.driver_data`): the result is another name for it.
    public var returns: [String: PathTemplate] = [:]
    /// Calls that store an argument at a place (`platform_set_drvdata(pdev, priv)`): a later
    /// read of that place through `returns` names what was stored.
    public var stores: [String: StoreRule] = [:]
    public var predicates: [String: Predicate]
    /// Calls that drop a lock their caller holds and take it back before returning
    /// (`sleep(chan, lk)`, `pthread_cond_wait(c, m)`): the lock is the caller's before and
    /// after, so the call is never a release, and its own body is not summarised.
    public var retakes: [String: LockArgument] = [:]
    /// Calls that call a function they are given with some of their arguments
    /// (`kref_put(ref, release)` runs `release(ref)` when the count drops to zero): the
    /// analysis sees the callback's call right after theirs (`CalledBack`). Or that call it on
    /// each child of a device (`device_for_each_child`): `ChildWalks`.
    public var callsBack: [String: CallBack] = [:]
    /// Calls during which other threads and interrupt handlers run (`msleep`, `schedule`;
    /// a `retakes` call too): a loop that waits in one on a field of shared memory
    /// (`while (!d->done) msleep(1);`) sees that field change, so what the path knew of it
    /// before the loop is forgotten at the call (`FunctionPrescan.waitedOn`).
    public var waits: Set<String> = []
    /// The kernel's boot entry points (xv6's `main`): they and the functions only they
    /// reach, through calls, run once on a fresh system before anything else, where an
    /// allocation cannot fail, so a result used unchecked there is no `unchecked-acquire`.
    public var boot: Set<String> = []
    /// Calls that answer whether a lock is held (`holding(lk)`): a function that panics
    /// unless the answer is yes expects its caller to hold the lock.
    public var lockQueries: [String: LockArgument] = [:]
    /// Calls whose result is known to have these signs (`PTR_ERR` is negative).
    public var resultSigns: [String: SignSet]
    /// Fields of ops tables whose callbacks undo each other (`open`/`release`): what the
    /// first keeps on success, the second drops (`PairedCallbacks`).
    public var callbacks: [CallbackPair] = []
    public var convention: ErrorConvention
    /// Per-function error values, by exact name or a `prefix*` pattern.
    public var functionErrors: [(pattern: String, values: [Int64])]

    public init(name: String, description: String = "", kinds: [ResourceKind: String] = [:],
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
        a.name == b.name && a.kinds == b.kinds && a.acquires == b.acquires && a.releases == b.releases && a.combines == b.combines
            && a.locks == b.locks && a.countedReferences == b.countedReferences && a.nesting == b.nesting && a.probeExcludes == b.probeExcludes && a.neverKept == b.neverKept && a.keptOnSuccess == b.keptOnSuccess && a.states == b.states && a.devres == b.devres && a.transfers == b.transfers && a.enclosures == b.enclosures && a.noReturn == b.noReturn && a.identity == b.identity && a.derives == b.derives && a.errorCodes == b.errorCodes && a.pure == b.pure && a.readsThrough == b.readsThrough && a.borrows == b.borrows && a.copies == b.copies
            && a.zeroes == b.zeroes && a.bits == b.bits
            && a.returns == b.returns && a.stores == b.stores
            && a.predicates == b.predicates && a.retakes == b.retakes && a.callsBack == b.callsBack && a.waits == b.waits && a.boot == b.boot && a.lockQueries == b.lockQueries && a.resultSigns == b.resultSigns && a.convention == b.convention
            && a.callbacks == b.callbacks
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

    /// Packs combine by union; a later pack's entry for the same call wins. Error conventions
    /// combine by union too.
    public func merged(with other: RulePack) -> RulePack {
        var result = self
        result.name = name + "+" + other.name
        result.kinds.merge(other.kinds) { $1 }
        result.locks.formUnion(other.locks)
        result.countedReferences.formUnion(other.countedReferences)
        result.nesting.formUnion(other.nesting)
        result.probeExcludes.formUnion(other.probeExcludes)
        result.neverKept.formUnion(other.neverKept)
        result.keptOnSuccess.formUnion(other.keptOnSuccess)
        result.states.formUnion(other.states)
        result.devres.formUnion(other.devres)
        result.acquires.merge(other.acquires) { $1 }
        // Two packs may both release through one call (`kfree` frees an xv6 page and a
        // Linux kmem): keep both rules; the analysis uses whichever matches.
        result.releases.merge(other.releases) { mine, theirs in mine + theirs.filter { !mine.contains($0) } }
        result.combines.merge(other.combines) { $1 }
        result.transfers.merge(other.transfers) { $1 }
        result.enclosures += other.enclosures
        result.noReturn.formUnion(other.noReturn)
        result.identity.formUnion(other.identity)
        result.derives.formUnion(other.derives)
        result.errorCodes.formUnion(other.errorCodes)
        result.pure.formUnion(other.pure)
        result.readsThrough.formUnion(other.readsThrough)
        result.borrows.formUnion(other.borrows)
        result.copies.formUnion(other.copies)
        result.zeroes.formUnion(other.zeroes)
        result.bits.merge(other.bits) { $1 }
        result.returns.merge(other.returns) { $1 }
        result.stores.merge(other.stores) { $1 }
        result.predicates.merge(other.predicates) { $1 }
        result.retakes.merge(other.retakes) { $1 }
        result.callsBack.merge(other.callsBack) { $1 }
        result.waits.formUnion(other.waits)
        result.boot.formUnion(other.boot)
        result.lockQueries.merge(other.lockQueries) { $1 }
        result.resultSigns.merge(other.resultSigns) { $1 }
        result.functionErrors = other.functionErrors + functionErrors
        // Either pack's failures are failures: xv6's pointer functions fail with NULL only,
        // Linux's with an ERR_PTR too, and the first pack's convention alone read every
        // `return ERR_PTR(ret)` of a merged run as a success.
        result.convention.pointer.formUnion(other.convention.pointer)
        result.convention.signed.formUnion(other.convention.signed)
        result.convention.unsignedValues += other.convention.unsignedValues.filter { !convention.unsignedValues.contains($0) }
        result.callbacks += other.callbacks.filter { !callbacks.contains($0) }
        return result
    }
}

/// What a bit operation `op(nr, &word)` does to bit `nr` of `word`: sets it, clears it,
/// reads it, or reads its old value and then sets or clears it.
public enum BitOperation: String, Sendable, Hashable, CaseIterable {
    case set, clear, test, testAndSet, testAndClear

    var reads: Bool { self == .test || self == .testAndSet || self == .testAndClear }
    /// The bit's value afterwards: true set, false clear, nil unchanged.
    var leaves: Bool? {
        switch self {
        case .set, .testAndSet: true
        case .clear, .testAndClear: false
        case .test: nil
        }
    }
}

/// A `callsBack` entry: which argument is the function, and which arguments it is given, in
/// order; or, for a walk (`childrenOf`), whose children it is called on, one by one.
public struct CallBack: Sendable, Hashable {
    public var function: Int
    public var arguments: [Int]
    /// The argument whose children the function is called on, each in turn
    /// (`device_for_each_child(parent, data, fn)` runs `fn(child, data)`): `ChildWalks`.
    public var childrenOf: Int?

    public init(function: Int, arguments: [Int], childrenOf: Int? = nil) {
        self.function = function
        self.arguments = arguments
        self.childrenOf = childrenOf
    }
}

/// The lock a `retakes` or `holds` call is about: which kinds, and where among its arguments.
public struct LockArgument: Sendable, Hashable {
    public var kinds: [ResourceKind]
    public var handle: PathTemplate

    public init(kinds: [ResourceKind], handle: PathTemplate) {
        self.kinds = kinds
        self.handle = handle
    }
}

/// `platform_set_drvdata(pdev, priv)`: argument `value` is stored at `at`
/// (`{0}->dev.driver_data`). Not a hand-off: the caller still owns what it stored.
public struct StoreRule: Sendable, Hashable {
    public var value: Int
    public var at: PathTemplate

    public init(value: Int, at: PathTemplate) {
        self.value = value
        self.at = at
    }
}
