/// A call that takes ownership of an argument's resource, on success or always.
public struct TransferRule: Sendable, Hashable, Codable {
    public var call: String
    public var argument: Int
    public var success: SignSet
    /// The argument that is a function the framework later runs on `argument`
    /// (`devm_add_action_or_reset(dev, fn, data)`): what `fn` releases becomes managed.
    public var action: Int? = nil
    /// What the argument keeps in this field is handed on, not the argument itself: a
    /// submitted urb's completion owns its `transfer_buffer`, while the driver still frees
    /// the urb.
    public var member: String? = nil
    /// It keeps the pointer it is given, so a member's address (`&chg->desc`, a descriptor
    /// embedded in the driver's struct) hands nothing on: not the struct around it.
    public var pointerOnly = false
    /// Only resources of these kinds are handed on (nil: all the argument names). The PM
    /// clock list keeps a clock's reference, not the count a driver enabled it with.
    public var kinds: [ResourceKind]? = nil

    public init(call: String, argument: Int, success: SignSet = .always) {
        self.call = call
        self.argument = argument
        self.success = success
    }
}

/// Resources of `inner` kinds taken while an `outer` one is held must be released first
/// (`begin_op` … `end_op` encloses every `iput`).
public struct Enclosure: Sendable, Hashable {
    public var outer: ResourceKind
    public var inner: [ResourceKind]

    public init(outer: ResourceKind, inner: [ResourceKind]) {
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
