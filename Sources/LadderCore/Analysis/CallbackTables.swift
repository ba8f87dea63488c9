/// A file-scope initialiser whose designated fields name functions: an ops table
/// (`struct file_operations`, `struct dev_pm_ops`, `struct net_device_ops`) or a driver
/// (`struct platform_driver`). Read by the front end as libclang sees it, macros expanded
/// (`SET_SYSTEM_SLEEP_PM_OPS` becomes `.suspend = …, .resume = …, …`).
public struct CallbackTable: Sendable, Hashable, Codable {
    public var location: SourceLocation
    /// Field name → the function it names. A nested initialiser (`.driver = { .pm = … }`)
    /// is a table of its own.
    public var entries: [String: String]
    /// The variable the table initialises (`vdec_inst_ops`); nil for a table nested in
    /// another, and for an array of tables.
    public var variable: String?

    public init(location: SourceLocation, entries: [String: String], variable: String? = nil) {
        self.location = location
        self.entries = entries
        self.variable = variable
    }
}

/// What the partners of a callback drop, worked out from the whole unit with the pack
/// (`PairedCallbacks`) and kept with the function's IR, so a function analysed alone
/// (a two-phase run) still knows it.
public struct CallbackPartners: Sendable, Hashable, Codable {
    /// Kinds a partner callback releases and never takes itself: held at a success return,
    /// they are kept for the partner, not leaked.
    public var kept: [ResourceKind]
    /// Of those, the kinds whose partner runs even when this callback fails (`resume` and
    /// `suspend`): kept at error returns too, unless the function unwinds that kind itself.
    public var keptOnFailure: [ResourceKind]
    /// The partner functions, for the reader of a dump.
    public var partners: [String]
    /// Places of kinds someone may keep (not `RulePack.neverKept`) that another function of the
    /// file drops and never takes (a completion's put, a `stop_streaming`), as written there:
    /// held at a success return under the same name, such a place is kept for that later call
    /// (`EscapeAnalysis.keptForLater`, `PendingContract.keptForLater`).
    public var droppedElsewhere: [DroppedPlace]

    /// Whether a table pairs the function with another (not only a place dropped elsewhere).
    public var pairedInTable: Bool { !kept.isEmpty || !partners.isEmpty }

    public init(kept: [ResourceKind], keptOnFailure: [ResourceKind], partners: [String], droppedElsewhere: [DroppedPlace] = []) {
        self.kept = kept
        self.keptOnFailure = keptOnFailure
        self.partners = partners
        self.droppedElsewhere = droppedElsewhere
    }
}

/// A place another function of the file drops, by kind and by its name as written there
/// (`&client->dev`): the functions of one driver spell one object alike.
public struct DroppedPlace: Sendable, Hashable, Codable, Comparable {
    public var kind: ResourceKind
    public var handle: String

    public init(kind: ResourceKind, handle: String) {
        self.kind = kind
        self.handle = handle
    }

    public static func < (a: DroppedPlace, b: DroppedPlace) -> Bool {
        (a.kind.name, a.handle) < (b.kind.name, b.handle)
    }
}
