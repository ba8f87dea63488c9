/// One resource a successful acquire call gives the caller.
public struct ResourceSpec: Sendable, Hashable, Codable {
    public var kind: ResourceKind
    /// Where the handle is: `{ret}`, `{0}`, or a template over them such as `&{ret}->lock`.
    public var handle: PathTemplate
    /// Not made dependent on other held resources through its arguments or handle
    /// (allocproc's `p->lock` is released after `freeproc(p)`).
    public var independent: Bool
    /// The release call that undoes it, for fixes: `uvmunmap({0}, {1}, {2/PGSIZE}, 0)`.
    public var fix: HandleTemplate?
    /// Other resources of the same call (by index) that must still be held when this one
    /// is released: `freeproc(p)` needs `p->lock`.
    public var needs: [Int] = []
    /// Summaries only: the function also stored the object it returns where its caller's
    /// objects keep it (`dev_set_drvdata(dev, cd)` before `return cd`), so once the caller
    /// succeeds the device holds it (its remove frees it); a failing caller must still undo.
    public var storedForCaller = false
    /// Summaries only: acquired into a field of the object an argument points to, held on
    /// every success (`SummaryDerivation.keptInCallerObject`). A caller takes it only where
    /// that object is its own to undo on failure (`Transfer.insideOwnObject`): named through
    /// a local and inside something held (a `devm_kzalloc()`'d private struct freed when
    /// probe fails, `iio_priv(indio_dev)` of a registered device). An object that outlives
    /// the caller's failure (its own parameter's, the driver data) keeps it for a teardown
    /// ladder does not see, as before.
    public var intoHeldObjectOnly = false

    public init(kind: ResourceKind, handle: PathTemplate, independent: Bool = false, fix: HandleTemplate? = nil) {
        self.kind = kind
        self.handle = handle
        self.independent = independent
        self.fix = fix
    }
}

public struct AcquireRule: Sendable, Hashable, Codable {
    /// The id of the resource at `index` of the rule applied at call site `site` (sites are
    /// numbered per function): a loop that acquires again acquires the same ids. Sites are
    /// `resourcesPerSite` apart, more than any rule has resources: a summary's rule can
    /// have many (a helper filling its caller's object), and at 8 apart, as ids once were,
    /// a ninth took the next site's first id.
    static func resourceID(site: Int, index: Int) -> Int { site &* resourcesPerSite &+ index }
    static let resourcesPerSite = 1 << 20

    public var call: String
    public var resources: [ResourceSpec]
    /// What the return value is when the call succeeded.
    public var success: SignSet
    /// Arguments whose resources the new resource takes over on success (`mappages`
    /// takes the page it maps).
    public var takes: [Int]
    /// Arguments that are the address of a member (`&port->dev`, or a local holding it)
    /// whose enclosing object the new resource takes over on success: after
    /// `device_initialize()` the object's memory is freed by the device's release callback
    /// when `put_device()` drops the last reference (`ContainerOwnership`).
    public var takesContainer: [Int] = []
    /// Arguments whose resources the new one depends on (`mappages(pt, …)` maps inside
    /// `pt`; `request_irq(…, priv)` uses `priv`): they must outlive it.
    public var dependsOn: [Int]
    /// Acquired by a managed API (`devm_*`): the framework releases it, the caller must not.
    public var managed: Bool
    /// Managed, and a release by hand is still right: the framework forgets what was
    /// released (`pci_disable_device()` after `pcim_enable_device()`).
    public var releasableByHand = false
    /// It can fail, but only on a programming error the kernel's idiom does not test for
    /// (`register_reboot_notifier()` with a block already on the chain): an unchecked call is
    /// no `unchecked-acquire`, and a tested failure holds nothing (`success` says when).
    public var mayIgnoreFailure = false
    /// Kinds that later acquisitions on the same handle make managed while this one is
    /// held, releasable by hand (`pcim_enable_device(pdev)` manages `pdev`'s regions and
    /// IRQ vectors).
    public var manages: [ResourceKind] = []
    /// Managed, releasable by hand, unless this path holds its handle as an unmanaged
    /// resource of one of these kinds: `input_register_device(input)` is undone by the driver
    /// core when `input` came from `devm_input_allocate_device()`, which is how the input
    /// devices a function did not allocate itself (a helper's, another callback's) come. One
    /// it allocated by hand (`input_allocate_device()`, here or through a helper's summary)
    /// it must unregister by hand.
    public var managedUnlessHeld: [ResourceKind] = []
    /// The call returns the object it acquires under another handle: `device_create(cls,
    /// parent, devt, …)` is undone by its number (`device_destroy(cls, devt)`) and returns the
    /// device, so the place its result is kept is a second name for it (kept in an object
    /// the caller reaches, it escapes with that object).
    public var returnsIt = false
    /// The address range it covers (`mappages(pt, va, size, …)` maps `[va, va+size)`).
    public var range: RangeSpec?
    /// Derived from a wrapper's body (a summary), not declared: its `success` is the return
    /// type's convention, a guess at whether the wrapper can fail at all.
    public var fromSummary = false
    /// A pure query that is false exactly when the call took no effect
    /// (`pm_runtime_enabled({0})` after `pm_runtime_enable`, a stub when runtime PM is
    /// compiled out): a test finding it false right after drops what the call acquired.
    public var shownBy: PathTemplate? = nil

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
