/// A C function lowered to a control-flow graph. Block 0 is the entry.
public struct Function: Sendable, Hashable, Codable {
    public var name: String
    public var location: SourceLocation
    public var returnType: CType
    public var parameters: [Parameter]
    public var isStatic: Bool
    public var blocks: [Block]
    /// Set when the function is a callback whose paired callback in one of the unit's
    /// tables drops what it keeps (`PairedCallbacks`); nil otherwise.
    public var partners: CallbackPartners? = nil
    /// Fields this function clears, or copies and replaces, that the unit keeps
    /// acquisitions in (`OwnedFields`); nil when there are none.
    public var ownedFields: [OwnedField]? = nil
    /// When the pack names this function as a constructor's undo: what that constructor puts
    /// at fixed addresses into the object it returns (`ConstructorParts`); nil otherwise.
    public var constructorParts: [ConstructorPart]? = nil
    /// Placed in the kernel's init section (`__init`): run once at module load, what it sets
    /// up and keeps at a success return lives until the module's exit code undoes it; nil
    /// otherwise.
    public var initSection: Bool? = nil
    /// Handles the unit treats as optional: it clears them after a tested acquisition
    /// (`OptionalHandles`); nil when there are none.
    public var optionalHandles: [OptionalHandle]? = nil
    /// Flag bits that code able to run during this function sets (`FlagSetters`); nil when
    /// the unit's tables were not read.
    public var flagSetters: FlagSettersNote? = nil
    /// For each object this function releases with a `members` rule (an unnamed attribute
    /// group), the handles of the members its initialiser lists (`ListedMembers`); nil when
    /// there are none.
    public var listedMembers: [MemberListing]? = nil
    /// The unit's walks over a device's children and what their callbacks release
    /// (`ChildWalks`); nil when the unit has none.
    public var childWalks: ChildWalks? = nil
    /// Flags of the unit's objects under which it releases, and the kinds
    /// (`FlaggedReleases`); nil when the unit has none.
    public var flaggedReleases: FlaggedReleases? = nil
    /// Functions it stores where a helper may call them through a pointer
    /// (`BoundCallbacks`); nil when there are none.
    public var callbackBindings: [CallbackBinding]? = nil

    public init(name: String, location: SourceLocation, returnType: CType, parameters: [Parameter],
                isStatic: Bool, blocks: [Block]) {
        self.name = name
        self.location = location
        self.returnType = returnType
        self.parameters = parameters
        self.isStatic = isStatic
        self.blocks = blocks
    }

    public var entry: BlockID { 0 }
}

public struct Parameter: Sendable, Hashable, Codable {
    public var name: String
    public var type: CType

    public init(name: String, type: CType) {
        self.name = name
        self.type = type
    }
}

/// Just enough of a C type for error conventions: xv6 returns 0 from pointer and size
/// functions and -1 from `int` ones.
public struct CType: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Shape: String, Sendable, Hashable, Codable {
        case void, pointer, signedInteger, unsignedInteger, other
    }

    public var spelling: String
    public var shape: Shape

    public init(spelling: String, shape: Shape) {
        self.spelling = spelling
        self.shape = shape
    }

    public var description: String { spelling }
}

public typealias BlockID = Int

public struct Block: Sendable, Hashable, Codable {
    public var id: BlockID {
        get { shared.value.id }
        _modify { yield &shared.value.id }
    }
    /// The C label that starts this block, if any (`bad`, `err_irq`).
    public var label: String? {
        get { shared.value.label }
        _modify { yield &shared.value.label }
    }
    public var statements: [Statement] {
        get { shared.value.statements }
        _modify { yield &shared.value.statements }
    }
    public var terminator: Terminator {
        get { shared.value.terminator }
        _modify { yield &shared.value.terminator }
    }

    /// Behind one reference (`Shared`): every pass over a function copies its blocks one by
    /// one (`for block in function.blocks`), and each copy retained the label, the
    /// statements and every part of the terminator.
    private var shared: Shared<Fields>

    private struct Fields: Sendable, Hashable, Codable {
        var id: BlockID
        var label: String?
        var statements: [Statement]
        var terminator: Terminator
    }

    public init(id: BlockID, label: String? = nil, statements: [Statement] = [], terminator: Terminator = .unreachable) {
        shared = Shared(Fields(id: id, label: label, statements: statements, terminator: terminator))
    }

    /// Coded as its fields were when they were its own.
    public init(from decoder: any Decoder) throws { shared = Shared(try Fields(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try shared.value.encode(to: encoder) }
}

public enum Statement: Sendable, Hashable, Codable {
    case call(Call)
    /// `target = value`; `target` is a variable, a field, a dereference or an element.
    case assign(target: Expr, value: Expr, location: SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .call(let c): c.location
        case .assign(_, _, let l): l
        }
    }
}

public struct Call: Sendable, Hashable, Codable {
    public enum Origin: String, Sendable, Hashable, Codable {
        /// Written in the source.
        case source
        /// `__attribute__((cleanup(fn)))` running `fn(&var)` as the variable leaves scope.
        case cleanupAttribute
        /// Not in the source: the function a helper calls through a pointer its caller set
        /// (`BoundCallbacks`), called where the helper is, with what the helper passes it.
        case boundCallback
    }

    /// The called function's name, or nil for a call through a pointer.
    public var callee: String? {
        get { shared.value.callee }
        _modify { yield &shared.value.callee }
    }
    public var arguments: [Expr] {
        get { shared.value.arguments }
        _modify { yield &shared.value.arguments }
    }
    /// Where the result goes: a temporary for calls inside expressions, the variable of
    /// `mem = kalloc()`, or nil when the value is discarded.
    public var result: Expr? {
        get { shared.value.result }
        _modify { yield &shared.value.result }
    }
    public var location: SourceLocation {
        get { shared.value.location }
        _modify { yield &shared.value.location }
    }
    /// Source text of the whole call, as written (for messages).
    public var text: String {
        get { shared.value.text }
        _modify { yield &shared.value.text }
    }
    /// The declaration says the call never returns (`panic`).
    public var isNoReturn: Bool {
        get { shared.value.isNoReturn }
        _modify { yield &shared.value.isNoReturn }
    }
    public var origin: Origin {
        get { shared.value.origin }
        _modify { yield &shared.value.origin }
    }
    /// For a call through a pointer, the pointer as a place (`e->ops->destroy`, a parameter
    /// `fn`), when it is one: a summary names it in its caller's terms, and the caller may
    /// know which function is there (`BoundCallbacks`). Nil for a direct call, and for a
    /// pointer computed by a call.
    public var through: Expr? {
        get { shared.value.through }
        _modify { yield &shared.value.through }
    }

    /// Behind one reference (`Shared`): a statement is copied out of its block by every
    /// pass that looks at it, and each copy of a call retained its name, text, location and
    /// every argument.
    private var shared: Shared<Fields>

    private struct Fields: Sendable, Hashable, Codable {
        var callee: String?
        var arguments: [Expr]
        var result: Expr?
        var location: SourceLocation
        var text: String
        var isNoReturn: Bool
        var origin: Origin
        var through: Expr?
    }

    public init(callee: String?, arguments: [Expr], result: Expr?, location: SourceLocation, text: String,
                isNoReturn: Bool = false, origin: Origin = .source, through: Expr? = nil) {
        shared = Shared(Fields(callee: callee, arguments: arguments, result: result, location: location, text: text,
                               isNoReturn: isNoReturn, origin: origin, through: through))
    }

    /// Coded as its fields were when they were its own.
    public init(from decoder: any Decoder) throws { shared = Shared(try Fields(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try shared.value.encode(to: encoder) }
}

public enum Terminator: Sendable, Hashable, Codable {
    /// Unconditional edge. `via` is set when the edge is a `goto` in the source.
    case jump(BlockID, via: Goto?)
    /// Two-way branch: `condition` true goes to `then`.
    case branch(condition: Expr, then: BlockID, else: BlockID, location: SourceLocation)
    case `return`(Expr?, location: SourceLocation)
    /// The path ends without returning (a `noreturn` call, or the end of a block nothing reaches).
    case unreachable

    public var successors: [BlockID] {
        switch self {
        case .jump(let b, _): [b]
        case .branch(_, let t, let e, _): [t, e]
        case .return, .unreachable: []
        }
    }
}

public struct Goto: Sendable, Hashable, Codable {
    public var label: String
    public var location: SourceLocation

    public init(label: String, location: SourceLocation) {
        self.label = label
        self.location = location
    }
}

/// All functions lowered from one translation unit.
public struct TranslationUnit: Sendable, Codable {
    public var file: String
    public var functions: [Function]
    /// Functions whose address the file takes (an ops table, a callback argument): they
    /// have callers the file does not show. Nil when the front end did not look.
    public var addressTaken: Set<String>?
    /// The ops tables and driver structures the file initialises (`CallbackTable`). Nil
    /// when the front end did not look.
    public var callbackTables: [CallbackTable]? = nil
    /// File-scope initialisers that name other file-scope objects (`StaticInitializer`).
    /// Nil when the front end did not look.
    public var staticInitializers: [StaticInitializer]? = nil

    public init(file: String, functions: [Function], addressTaken: Set<String>? = nil) {
        self.file = file
        self.functions = functions
        self.addressTaken = addressTaken
    }
}
