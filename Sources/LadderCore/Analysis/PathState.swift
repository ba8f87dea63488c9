import Synchronization

/// What is known about one variable's value on a path.
public struct ValueFact: Sendable, Hashable {
    public var signs: SignSet
    public var exact: Int64?
    /// Values it is known not to have (`mode != DMA` was taken): so a later `mode == DMA`
    /// on the same path cannot hold.
    public var excluded: [Int64] = []
    /// Inclusive bounds a comparison gave it (`type < PCH_SPT` taken: `upper` is
    /// `PCH_SPT - 1`), so the same comparison tested again reads one answer.
    public var lower: Int64? = nil
    public var upper: Int64? = nil
    /// Known only by assumption: a flag bit of zero-filled memory after the object was
    /// handed to a call that might have written it (`BitFlags`). A test that contradicts
    /// it does not end the path; the path goes on as one that needs that call to have
    /// written it (`PathState.unchecked`).
    public var assumed = false

    public static let unknown = ValueFact(signs: .always, exact: nil)

    public static func constant(_ v: Int64) -> ValueFact { ValueFact(signs: SignSet(of: v), exact: v) }
}

/// A resource the function holds on a path.
public struct HeldResource: Sendable, Hashable {
    /// Its fields, behind one box (`Shared`): states pass most of their resources on
    /// unchanged, and each copy of two dozen fields retained every string, array and set.
    private var shared: Shared<Fields>

    fileprivate struct Fields: Hashable, Sendable {
        var id: Int
        var kind: ResourceKind
        var handles: [AccessPath]
        var handleText: String
        var acquiredBy: String
        var site: SourceLocation
        var fix: String? = nil
        var dependsOn: Set<Int>
        var contents: [HeldResource]
        var pending: Outcome? = nil
        var pendingTransfer: Transfer? = nil
        var lastGoto: SourceLocation? = nil
        var managed: Bool
        var releasableByHand: Bool = false
        var managedBy: String? = nil
        var callerOwned: Bool = false
        var counted: Bool = false
        var storedByCallee: Bool = false
        var inCallerObject: Bool = false
        var lostNames: [AccessPath] = []
        var mayBeNull: Bool = false
        var leftByHelper: LeftByHelper? = nil
        var releasedOnFailure: ReleasedOnFailure? = nil
        var range: AddressRange? = nil
        var borrowed: String? = nil
        var elements: ElementSpan? = nil
        var takenAs: AccessPath? = nil
        var shownBy: AccessPath? = nil
    }

    public init(id: Int, kind: ResourceKind, handles: [AccessPath], handleText: String, acquiredBy: String, site: SourceLocation, fix: String? = nil, dependsOn: Set<Int>, contents: [HeldResource], pending: Outcome? = nil, pendingTransfer: Transfer? = nil, lastGoto: SourceLocation? = nil, managed: Bool, releasableByHand: Bool = false, managedBy: String? = nil, callerOwned: Bool = false, counted: Bool = false, storedByCallee: Bool = false, inCallerObject: Bool = false, lostNames: [AccessPath] = [], mayBeNull: Bool = false, leftByHelper: LeftByHelper? = nil, releasedOnFailure: ReleasedOnFailure? = nil, range: AddressRange? = nil, borrowed: String? = nil, elements: ElementSpan? = nil, takenAs: AccessPath? = nil, shownBy: AccessPath? = nil) {
        shared = Shared(Fields(id: id, kind: kind, handles: handles, handleText: handleText, acquiredBy: acquiredBy, site: site, fix: fix, dependsOn: dependsOn, contents: contents, pending: pending, pendingTransfer: pendingTransfer, lastGoto: lastGoto, managed: managed, releasableByHand: releasableByHand, managedBy: managedBy, callerOwned: callerOwned, counted: counted, storedByCallee: storedByCallee, inCallerObject: inCallerObject, lostNames: lostNames, mayBeNull: mayBeNull, leftByHelper: leftByHelper, releasedOnFailure: releasedOnFailure, range: range, borrowed: borrowed, elements: elements, takenAs: takenAs, shownBy: shownBy))
    }

    public static func == (a: HeldResource, b: HeldResource) -> Bool { a.shared == b.shared }

    public func hash(into hasher: inout Hasher) { hasher.combine(shared) }
    /// Stable per acquisition site, so a loop that re-acquires at the same site converges.
    public var id: Int {
        get { shared.value.id }
        _modify { yield &shared.value.id }
    }
    public var kind: ResourceKind {
        get { shared.value.kind }
        _modify { yield &shared.value.kind }
    }
    /// The paths that name it (`mem`, then `p->trapframe` after an alias).
    public var handles: [AccessPath] {
        get { shared.value.handles }
        _modify { yield &shared.value.handles }
    }
    public var handleText: String {
        get { shared.value.handleText }
        _modify { yield &shared.value.handleText }
    }
    public var acquiredBy: String {
        get { shared.value.acquiredBy }
        _modify { yield &shared.value.acquiredBy }
    }
    public var site: SourceLocation {
        get { shared.value.site }
        _modify { yield &shared.value.site }
    }
    /// The release call that undoes it, with real arguments, for fixes.
    public var fix: String? {
        get { shared.value.fix }
        _modify { yield &shared.value.fix }
    }
    public var dependsOn: Set<Int> {
        get { shared.value.dependsOn }
        _modify { yield &shared.value.dependsOn }
    }
    /// Resources this one took over (the page a mapping maps).
    public var contents: [HeldResource] {
        get { shared.value.contents }
        _modify { yield &shared.value.contents }
    }
    /// Acquired only if this variable turns out to have these signs.
    public var pending: Outcome? {
        get { shared.value.pending }
        _modify { yield &shared.value.pending }
    }
    /// Handed on (to `into`, or away when nil) if this variable turns out to have these signs.
    public var pendingTransfer: Transfer? {
        get { shared.value.pendingTransfer }
        _modify { yield &shared.value.pendingTransfer }
    }
    /// The last `goto` on the path since it was acquired: where a leak is reported.
    public var lastGoto: SourceLocation? {
        get { shared.value.lastGoto }
        _modify { yield &shared.value.lastGoto }
    }
    /// Managed by the framework (`devm_*`): never leaked, never to be released by hand.
    public var managed: Bool {
        get { shared.value.managed }
        _modify { yield &shared.value.managed }
    }
    /// Managed, yet releasing it by hand is right too (`pci_release_regions()` after
    /// `pcim_enable_device()`): the framework then skips it.
    public var releasableByHand: Bool {
        get { shared.value.releasableByHand }
        _modify { yield &shared.value.releasableByHand }
    }
    /// The call that made it managed after it was acquired (`devm_add_action_or_reset`).
    public var managedBy: String? {
        get { shared.value.managedBy }
        _modify { yield &shared.value.managedBy }
    }
    /// A lock the caller held on entry, dropped and retaken here: returned holding it is right.
    public var callerOwned: Bool {
        get { shared.value.callerOwned }
        _modify { yield &shared.value.callerOwned }
    }
    /// Stands for one or more nesting acquisitions (`RulePack.nesting`) a loop made on it that
    /// the path could not count: once it is released, a further release of its handle may
    /// balance one of those (`Release.classifyNotHeld`).
    public var counted: Bool {
        get { shared.value.counted }
        _modify { yield &shared.value.counted }
    }
    /// Acquired from a helper that also stored it where the caller's objects keep it
    /// (`ResourceSpec.storedForCaller`): held until this function succeeds, then kept there.
    public var storedByCallee: Bool {
        get { shared.value.storedByCallee }
        _modify { yield &shared.value.storedByCallee }
    }
    /// Acquired straight into an object the caller passed in (`ring->info = vzalloc(…)`):
    /// the caller's once the function succeeds; on failure, its callers say whose it is
    /// (`HandedToCaller`).
    public var inCallerObject: Bool {
        get { shared.value.inCallerObject }
        _modify { yield &shared.value.inCallerObject }
    }
    /// The names it had when its last one was overwritten with a constant (`bw_data = NULL`
    /// while still allocated): lost, not moved on like a loop's older instance.
    public var lostNames: [AccessPath] {
        get { shared.value.lostNames }
        _modify { yield &shared.value.lostNames }
    }
    /// Its acquisition succeeds with a null handle too (`dma_request_chan()` rules out only
    /// an ERR_PTR): a test finding the handle NULL finds nothing held (`heldUnderNull`).
    public var mayBeNull: Bool {
        get { shared.value.mayBeNull }
        _modify { yield &shared.value.mayBeNull }
    }
    /// Left in this function's objects by a helper that may fail, for this function to undo
    /// (`HandedToCaller`): once the path has seen the helper fail, it does not escape
    /// through those objects.
    public var leftByHelper: LeftByHelper? {
        get { shared.value.leftByHelper }
        _modify { yield &shared.value.leftByHelper }
    }
    /// Released by a helper if its result turns out to mean failure (`FailureRelease`):
    /// a test of that result showing failure finds it gone, one showing success, held.
    public var releasedOnFailure: ReleasedOnFailure? {
        get { shared.value.releasedOnFailure }
        _modify { yield &shared.value.releasedOnFailure }
    }

    public struct ReleasedOnFailure: Sendable, Hashable {
        public var result: AccessPath
        public var success: SignSet
        public var by: String
    }

    public struct LeftByHelper: Sendable, Hashable {
        /// Where the helper's result went (`ret`).
        public var result: AccessPath
        /// A test of `result` showed the helper failed.
        public var failed = false
    }
    /// The addresses it covers, for releases of a range.
    public var range: AddressRange? {
        get { shared.value.range }
        _modify { yield &shared.value.range }
    }
    /// What it took over without this function owning it (`mappages(pt, TRAMPOLINE, …,
    /// (uint64)trampoline, …)` maps a page nobody here acquired): freeing it with the
    /// mapping frees someone else's page.
    public var borrowed: String? {
        get { shared.value.borrowed }
        _modify { yield &shared.value.borrowed }
    }
    /// Acquired into an element of a collection in a loop (`bufs[i] = kmalloc(…)`): which
    /// elements are held (`ElementSpan`). Nil for a resource that is not one of many.
    public var elements: ElementSpan? {
        get { shared.value.elements }
        _modify { yield &shared.value.elements }
    }
    /// The path it was taken under (what `handleText` spells), kept when later assignments
    /// change `handles` (`ip = next;` leaves the inode named `ip` only): a fix's template and
    /// a place's reading are written in the acquisition's names.
    public var takenAs: AccessPath? {
        get { shared.value.takenAs }
        _modify { yield &shared.value.takenAs }
    }
    /// The pure query that is false when the acquisition took no effect
    /// (`AcquireRule.shownBy`, filled in): its test finding false drops the resource.
    public var shownBy: AccessPath? {
        get { shared.value.shownBy }
        _modify { yield &shared.value.shownBy }
    }

    public struct Outcome: Sendable, Hashable {
        public var variable: AccessPath
        public var success: SignSet
        /// Not an acquisition's own result: two paths were joined, one holding the resource
        /// and one not, told apart by this value. Settling it is no success or failure.
        public var joined = false
        /// A second name of the same outcome: a flag recording it (`host->on = !ret`,
        /// FlagOutcomes) with the sense it has there. Either name's test settles it, and
        /// the flag keeps it when `ret` is reused.
        public var alias: Alias? = nil

        public struct Alias: Sendable, Hashable {
            public var variable: AccessPath
            public var success: SignSet
        }

        /// The sense of success when `key` is tested, if `key` names this outcome.
        func success(testedAs key: AccessPath) -> SignSet? {
            if variable == key { return success }
            if let alias, alias.variable == key { return alias.success }
            return nil
        }
    }

    public struct Transfer: Sendable, Hashable {
        public var into: Int?
        public var outcome: Outcome?
    }

    /// Marks the id of the merged older instances of a loop's acquisition.
    static let olderFlag = 1 << 40

    public var info: ResourceInfo {
        ResourceInfo(kind: kind.name, handle: handleText, acquiredBy: acquiredBy, acquiredAt: site)
    }
}

/// A release that has happened on the path, kept to recognise a second one.
public struct ReleasedRecord: Sendable, Hashable {
    public var resource: HeldResource
    public var handles: [AccessPath]
    public var call: String
    public var site: SourceLocation
}

/// An acquisition that failed on the path: releasing its handle there is a bug.
public struct FailedRecord: Sendable, Hashable {
    public var kind: ResourceKind
    public var handles: [AccessPath]
    public var acquiredBy: String
}

/// A release that ran while something depending on it was still held. It becomes a
/// `release-order` finding only if the dependent is released later on the same path;
/// otherwise the dependent leaks and `missing-release` tells the one root cause.
public struct PendingOrder: Sendable, Hashable {
    public var released: HeldResource
    public var releaser: String
    public var site: SourceLocation
    public var dependent: HeldResource
}

/// The abstract state at one point of one path. Path steps are kept beside it, not in
/// it, so that states differing only in history merge.
///
/// Its parts live in one reference-counted box, copied only when a state shared with
/// another copy is changed (copy on write). The walk copies states far more often than it
/// changes them: into each work item, into the visited set, down both sides of a branch.
/// As a plain struct of twenty collections, each copy retained and released every one of
/// them (retains and releases were a quarter of the walk's samples in perf; the box took
/// about 5% off the walk of real xv6-riscv).
public struct PathState: Sendable, Hashable {
    private var shared = Shared(Parts())

    /// The state's parts, compared and hashed as one value. The five that most states at a
    /// block's entry have (on real xv6-riscv: facts in three states of four, held resources
    /// in two of three, element counters in one of five, releases in one of twelve) lie
    /// here; the other sixteen, empty in all but a few states in a hundred, share one box of
    /// their own (`Rare`), so copying the parts on a change retains six references, not
    /// twenty-one, and hashing them takes the rare box's remembered hash.
    private struct Parts: Hashable {
        var held: [HeldResource] = []
        var released: [ReleasedRecord] = []
        var facts: [AccessPath: ValueFact] = [:]
        var elementLimits: [Variable: ElementBound] = [:]
        var counterValues: [Variable: CounterValue] = [:]
        var rare = Shared(Rare())

        /// Over every part, as `==` compares them, but cheaper than the synthesized hash:
        /// array elements are hashed where they lie (iterating copied each out, retaining
        /// every field), and a set or dictionary only when it is not empty (most are, and
        /// an empty one still cost a hasher of its own).
        func hash(into hasher: inout Hasher) {
            Self.combine(held, into: &hasher)
            Self.combine(released, into: &hasher)
            Self.combine(facts: facts, into: &hasher)
            Self.combine(elementLimits, into: &hasher)
            Self.combine(counterValues, into: &hasher)
            hasher.combine(rare)
        }

        /// The facts as a sum over their entries (a dictionary has no order), each entry
        /// mixed from its key's fingerprint and the fact's fields: the standard hash of a
        /// dictionary ran a hasher of its own per entry, and the facts are in three states
        /// of four.
        private static func combine(facts: [AccessPath: ValueFact], into hasher: inout Hasher) {
            hasher.combine(facts.count)
            var sum: UInt64 = 0
            for (key, fact) in facts {
                var h = key.hashFingerprint ^ UInt64(fact.signs.rawValue) &* 0x9E37_79B9_7F4A_7C15
                h = mix(h ^ (fact.exact.map { UInt64(bitPattern: $0) } ?? 0x5851_F42D_4C95_7F2D))
                h = mix(h ^ (fact.lower.map { UInt64(bitPattern: $0) } ?? 0x1405_7B7E_F767_814F))
                h = mix(h ^ (fact.upper.map { UInt64(bitPattern: $0) } ?? 0x2545_F491_4F6C_DD1D))
                h = mix(h ^ UInt64(fact.excluded.count) ^ (fact.assumed ? 0x8000_0000_0000_0000 : 0))
                for value in fact.excluded { h = mix(h ^ UInt64(bitPattern: value)) }
                sum &+= h
            }
            hasher.combine(sum)
        }

        /// SplitMix64's finalizer.
        private static func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        fileprivate static func combine<T: Hashable>(_ array: [T], into hasher: inout Hasher) {
            hasher.combine(array.count)
            array.withUnsafeBufferPointer { elements in
                for i in elements.indices { elements[i].hash(into: &hasher) }
            }
        }

        fileprivate static func combine<T: Hashable>(_ set: Set<T>, into hasher: inout Hasher) {
            if set.isEmpty { hasher.combine(0) } else { hasher.combine(set) }
        }

        fileprivate static func combine<K: Hashable, V: Hashable>(_ dictionary: [K: V], into hasher: inout Hasher) {
            if dictionary.isEmpty { hasher.combine(0) } else { hasher.combine(dictionary) }
        }
    }

    /// The parts few states have (see `Parts`).
    private struct Rare: Hashable {
        var failed: [FailedRecord] = []
        var predicates: [AccessPath: PredicateLink] = [:]
        var pendingOrders: [PendingOrder] = []
        var parameterReleases: Set<ParameterRelease> = []
        var handedOn: Set<AccessPath> = []
        var pendingUnacquired: [PendingUnacquired] = []
        var expected: Set<PathExpectation> = []
        var unheldReleases: [ReleasedRecord] = []
        var origins: [Variable: AccessPath] = [:]
        var stored: [AccessPath: AccessPath] = [:]
        var parameterHandOffs: Set<ParameterHandOff> = []
        var undoneStores: [UndoneStore] = []
        var fresh: [Int: FreshObject] = [:]
        var freshNames: [Variable: FreshPlace] = [:]
        var unchecked: Bool = false
        var freedHolders: Set<AccessPath> = []

        func hash(into hasher: inout Hasher) {
            Parts.combine(failed, into: &hasher)
            Parts.combine(pendingOrders, into: &hasher)
            Parts.combine(pendingUnacquired, into: &hasher)
            Parts.combine(unheldReleases, into: &hasher)
            Parts.combine(undoneStores, into: &hasher)
            Parts.combine(predicates, into: &hasher)
            Parts.combine(origins, into: &hasher)
            Parts.combine(stored, into: &hasher)
            Parts.combine(fresh, into: &hasher)
            Parts.combine(freshNames, into: &hasher)
            Parts.combine(parameterReleases, into: &hasher)
            Parts.combine(handedOn, into: &hasher)
            Parts.combine(expected, into: &hasher)
            Parts.combine(parameterHandOffs, into: &hasher)
            Parts.combine(freedHolders, into: &hasher)
            hasher.combine(unchecked)
        }
    }

    public static func == (a: PathState, b: PathState) -> Bool { a.shared == b.shared }

    public func hash(into hasher: inout Hasher) { hasher.combine(shared) }

    public var held: [HeldResource] {
        get { shared.value.held }
        _modify { yield &shared.value.held }
    }
    public var released: [ReleasedRecord] {
        get { shared.value.released }
        _modify { yield &shared.value.released }
    }
    public var failed: [FailedRecord] {
        get { shared.value.rare.value.failed }
        _modify { yield &shared.value.rare.value.failed }
    }
    public var facts: [AccessPath: ValueFact] {
        get { shared.value.facts }
        _modify { yield &shared.value.facts }
    }
    /// Temporaries holding a predicate's answer (`%3 = IS_ERR(p)`): what truth means for `p`.
    public var predicates: [AccessPath: PredicateLink] {
        get { shared.value.rare.value.predicates }
        _modify { yield &shared.value.rare.value.predicates }
    }
    public var pendingOrders: [PendingOrder] {
        get { shared.value.rare.value.pendingOrders }
        _modify { yield &shared.value.rare.value.pendingOrders }
    }
    /// Releases of parameters' resources, for summaries: kind and handle template.
    public var parameterReleases: Set<ParameterRelease> {
        get { shared.value.rare.value.parameterReleases }
        _modify { yield &shared.value.rare.value.parameterReleases }
    }
    /// Handles given away by a transfer call (`fdalloc`): releasing them later is the
    /// caller undoing the transfer, not a release of something never held.
    public var handedOn: Set<AccessPath> {
        get { shared.value.rare.value.handedOn }
        _modify { yield &shared.value.rare.value.handedOn }
    }
    /// Locks released before this path took them: reported if the path returns without
    /// taking them again.
    public var pendingUnacquired: [PendingUnacquired] {
        get { shared.value.rare.value.pendingUnacquired }
        _modify { yield &shared.value.rare.value.pendingUnacquired }
    }
    /// Locks this path shows the caller must hold on entry (`LockExpectation`).
    public var expected: Set<PathExpectation> {
        get { shared.value.rare.value.expected }
        _modify { yield &shared.value.rare.value.expected }
    }
    /// Releases of things this path never held (a destructor freeing its argument), kept
    /// to order the releases after them: a dependent released later was released too late.
    public var unheldReleases: [ReleasedRecord] {
        get { shared.value.rare.value.unheldReleases }
        _modify { yield &shared.value.rare.value.unheldReleases }
    }
    /// Where a local's value came from, in terms of parameters: `tp` holds
    /// `netdev_priv(dev)`, `pdev` holds `netdev_priv(dev)->pci_dev`. A cleanup helper and
    /// its caller then name the same place the same way.
    public var origins: [Variable: AccessPath] {
        get { shared.value.rare.value.origins }
        _modify { yield &shared.value.rare.value.origins }
    }
    /// Places (by that canonical name) known to hold a variable's value: after
    /// `tp->pci_dev = pdev`, `netdev_priv(dev)->pci_dev` holds `pdev`.
    public var stored: [AccessPath: AccessPath] {
        get { shared.value.rare.value.stored }
        _modify { yield &shared.value.rare.value.stored }
    }
    /// Exclusive upper bounds the last loop test gave element counters (`i < n`: `n`), so
    /// the elements acquired at `i` are known to stop before it (`ElementSpan.cap`).
    public var elementLimits: [Variable: ElementBound] {
        get { shared.value.elementLimits }
        _modify { yield &shared.value.elementLimits }
    }
    /// Element counters' values followed through their steps (`ElementTracking`).
    public var counterValues: [Variable: CounterValue] {
        get { shared.value.counterValues }
        _modify { yield &shared.value.counterValues }
    }
    /// The caller's pointers (parameters) this path handed on (`ParameterHandOff`), for
    /// summaries.
    public var parameterHandOffs: Set<ParameterHandOff> {
        get { shared.value.rare.value.parameterHandOffs }
        _modify { yield &shared.value.rare.value.parameterHandOffs }
    }
    /// Stores that handed something on into a place this function stores into again
    /// (`UndoneStore`): a later store there gives it back.
    public var undoneStores: [UndoneStore] {
        get { shared.value.rare.value.undoneStores }
        _modify { yield &shared.value.rare.value.undoneStores }
    }
    /// Zero-filled objects allocated on this path, by acquisition site, and the locals that
    /// point into them (`BitFlags`): only in functions that test a flag bit.
    public var fresh: [Int: FreshObject] {
        get { shared.value.rare.value.fresh }
        _modify { yield &shared.value.rare.value.fresh }
    }
    public var freshNames: [Variable: FreshPlace] {
        get { shared.value.rare.value.freshNames }
        _modify { yield &shared.value.rare.value.freshNames }
    }
    /// The path contradicts an assumed fact (`ValueFact.assumed`): it exists only if a call
    /// changed what the analysis took as known. What it finds is reported at `medium`.
    public var unchecked: Bool {
        get { shared.value.rare.value.unchecked }
        _modify { yield &shared.value.rare.value.unchecked }
    }
    /// Objects this path freed while it still held something named only through them
    /// (`kfree(ipsec)` with `ipsec->rx_tbl` still allocated): what hangs off them is no
    /// longer reachable by anyone, so it cannot have escaped (`Transfer.reachingCaller`).
    /// Kept only while such a resource is held.
    public var freedHolders: Set<AccessPath> {
        get { shared.value.rare.value.freedHolders }
        _modify { yield &shared.value.rare.value.freedHolders }
    }

    public init() {}

    public func fact(_ key: AccessPath) -> ValueFact { facts[key] ?? .unknown }

    public func heldIndex(kind kinds: [ResourceKind], handle key: AccessPath) -> Int? {
        held.lastIndex { kinds.contains($0.kind) && $0.handles.contains(key) }
    }
}

/// Memory a zeroing allocator returned on this path (`BitFlags`).
public struct FreshObject: Sendable, Hashable {
    /// Fields stored into since (steps from the object's start), among those the function
    /// tests bits of: their zero is gone.
    public var written: Set<[AccessPath.Step]> = []
    /// A call the pack does not describe was handed a name of the object: its bits are zero
    /// only by assumption from here on.
    public var handedToCall = false
    /// Any bit may have been set: a byte copy or fill (the pack's `copies` and `borrows`) was
    /// given the object, or an address rooted at it, as its first argument (`memcpy(d, …)`;
    /// also, imprecisely, `dev_info(&d->pdev->dev, …)`), or a function of the unit whose
    /// summary was given up on was handed it.
    public var anyBits = false
    /// What calls to functions with a body in view may have written of it (their summaries'
    /// `FlagWrite`s, placed where the call's arguments point): the bits they may change are
    /// zero only by assumption from the call on; the others stay known.
    public var mayHaveWritten: Set<PlacedWrite> = []

    /// The placed writes are hashed by their count only: they pile up from every callee,
    /// hashing each one was most of hashing a path state, and states that differ in them
    /// alone are rare (equality still compares them).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(written)
        hasher.combine(handedToCall)
        hasher.combine(anyBits)
        hasher.combine(mayHaveWritten.count)
    }
}

/// A callee's `FlagWrite` placed in the caller's fresh object: at `anchor` (steps from the
/// object's start) when the argument named a place in it exactly, else by field names only.
public struct PlacedWrite: Sendable, Hashable {
    public var write: FlagWrite
    public var anchor: [AccessPath.Step]?
}

/// Where a local points: into a zero-filled object, at these steps from its start
/// (`hw = &adapter->hw` is `[.field("hw")]` below `adapter`'s place).
public struct FreshPlace: Sendable, Hashable {
    public var object: Int
    public var steps: [AccessPath.Step]
}

public struct PredicateLink: Sendable, Hashable {
    public var argument: AccessPath
    public var whenTrue: SignSet
    /// Read as an error code (`RulePack.errorCodes`): only a value known equal to a negative
    /// constant says something, that the argument is `whenTrue`; zero and non-zero say nothing.
    public var errorCode = false
}

public struct ParameterRelease: Sendable, Hashable {
    public var call: String
    public var kind: ResourceKind
    /// The released place in the caller's terms (`netdev_priv({0})->pdev`).
    public var template: PathTemplate
    /// The handle inside the function, to notice a release that is retaken.
    public var key: AccessPath
    /// A walk over the place's children (`ReleaseRule.children`).
    public var children = false
}

/// A release of a lock the path has not taken yet, waiting to see whether it is retaken.
public struct PendingUnacquired: Sendable, Hashable {
    public var call: Call
    public var handleText: String
    public var key: AccessPath
    public var kinds: [ResourceKind]
    /// Not released here: a callee that releases or asserts it was called without it.
    public var expectedBy: ExpectedBy? = nil
    /// Accepted as the entry state's drop (`HeldOnEntry`): the function takes it again
    /// further on, and it is no lock, so a path that returns without retaking it is no wrong
    /// rung. A lock's drop stays false: it is reported unless retaken on the path.
    public var retakenLater = false
}

// Path states are hashed at every block visit. Hashing only what tells states apart (ids,
// names, outcomes) and not the strings derived from them (sites, call names, fixes) keeps
// that cheap; equality still compares everything.
extension HeldResource.Fields {
    func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(handles)
        hasher.combine(pending)
        hasher.combine(pendingTransfer)
        hasher.combine(dependsOn.count)
        hasher.combine(contents.count)
        hasher.combine(lastGoto?.line)
        hasher.combine(callerOwned)
        hasher.combine(elements)
        hasher.combine(leftByHelper?.failed)
    }
}

extension ReleasedRecord {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(resource.id)
        hasher.combine(handles)
    }
}

extension PendingOrder {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(released.id)
        hasher.combine(dependent.id)
        hasher.combine(site.line)
    }
}
