/// An expression after lowering. Calls never appear nested here except as pure
/// predicates the front end could not hoist; the lowering turns every call into a
/// `Statement.call` whose result lands in a variable, so the analysis sees each call once,
/// in evaluation order.
///
/// `text` is the source spelling, kept for messages and fixes (`TRAMPOLINE`, not 0x3ffffff000).
public struct Expr: Hashable, Sendable {
    public let kind: Kind
    public var text: String
    /// What the analysis compares handles and facts by (`&p->lock` and `&(p->lock)` agree),
    /// computed once: the analysis asks for it at every statement.
    public let path: AccessPath

    public init(_ kind: Kind, text: String) {
        self.kind = kind
        self.text = text
        path = Expr.path(of: kind, text: text)
    }

    public indirect enum Kind: Hashable, Sendable {
        /// An integer constant, folded by the front end (`PTE_R | PTE_W`, `-ENOMEM`, `sizeof`).
        case constant(Int64)
        case variable(Variable)
        /// `base.name` or `base->name`.
        case member(base: Expr, name: String, arrow: Bool)
        case deref(Expr)
        case addressOf(Expr)
        case index(base: Expr, index: Expr)
        /// `container_of(ptr, type, member)`: the object whose `member` the pointer points
        /// to (the front end reads `ptr - offsetof(type, member)` so). A nested member is
        /// spelt with dots (`vd.tx`).
        case containerOf(Expr, member: String)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// A call that stays inside an expression (only where hoisting is impossible,
        /// e.g. inside `sizeof`); ordinary calls are statements.
        case call(callee: String, arguments: [Expr])
        case string(String)
        /// Anything the analysis need not look into (floating point, compound literals).
        case opaque
    }

    public static func constant(_ value: Int64) -> Expr { Expr(.constant(value), text: String(value)) }
    public static func variable(_ v: Variable) -> Expr { Expr(.variable(v), text: v.name) }

    /// The operand under any number of `!`, and how many (`!!(!p)`, WARN_ON's flag, is `p`
    /// under three).
    var underNegations: (operand: Expr, count: Int) {
        var operand = self, count = 0
        while case .unary(.logicalNot, let inner) = operand.kind { operand = inner; count += 1 }
        return (operand, count)
    }
}

public struct Variable: Hashable, Sendable, Codable {
    public enum Storage: String, Hashable, Sendable, Codable {
        case local, parameter, global, temporary
    }

    public var name: String
    public var storage: Storage

    public init(_ name: String, _ storage: Storage) {
        self.name = name
        self.storage = storage
    }
}

public enum UnaryOperator: String, Hashable, Sendable, Codable {
    case minus = "-", plus = "+", bitNot = "~", logicalNot = "!"
}

public enum BinaryOperator: String, Hashable, Sendable, CaseIterable, Codable {
    case add = "+", sub = "-", mul = "*", div = "/", rem = "%"
    case shl = "<<", shr = ">>", bitAnd = "&", bitOr = "|", bitXor = "^"
    case lt = "<", gt = ">", le = "<=", ge = ">=", eq = "==", ne = "!="

    public var isComparison: Bool {
        switch self {
        case .lt, .gt, .le, .ge, .eq, .ne: true
        default: false
        }
    }

    /// `a op b` is the same as `b swapped a`.
    public var swapped: BinaryOperator {
        switch self {
        case .lt: .gt
        case .gt: .lt
        case .le: .ge
        case .ge: .le
        default: self
        }
    }

    /// `!(a op b)` is `a negated b`.
    public var negated: BinaryOperator? {
        switch self {
        case .lt: .ge
        case .ge: .lt
        case .gt: .le
        case .le: .gt
        case .eq: .ne
        case .ne: .eq
        default: nil
        }
    }
}

extension Expr {
    /// Casts and parentheses are already gone; `AccessPath` folds `&` and `*` pairs.
    static func path(of kind: Kind, text: String) -> AccessPath {
        switch kind {
        case .constant(let v): AccessPath(.constant(v))
        case .variable(let v): AccessPath(variable: v)
        case .member(let base, let name, let arrow): base.path.appending(.field(name, arrow: arrow))
        case .deref(let e): e.path.appending(.deref)
        case .addressOf(let e): e.path.appending(.addressOf)
        // A variable index names any element: the analysis treats the array as a collection.
        case .index(let base, let index): base.path.appending(.element(index.constantValue))
        // `vd.tx`: out of `tx`, then out of `vd`.
        case .containerOf(let e, let member): e.path.object.appending(member.split(separator: ".").reversed().map { .container(String($0)) })
        case .unary(let op, let e): AccessPath(.operation(op.rawValue, [e.path]))
        case .binary(let op, let a, let b): AccessPath(.operation(op.rawValue, [a.path, b.path]))
        case .call(let callee, let args): AccessPath(.call(callee, args.map(\.path)))
        case .string(let s): AccessPath(.operation("\"" + s + "\"", []))
        case .opaque: AccessPath(.operation(text, []))
        }
    }

    public var constantValue: Int64? {
        if case .constant(let v) = kind { v } else { nil }
    }

    public var variable: Variable? {
        if case .variable(let v) = kind { v } else { nil }
    }

    /// The variable at the root of an access path: `p` for `p->pagetable`, `&p->lock`, `*pte`.
    public var rootVariable: Variable? {
        switch kind {
        case .variable(let v): v
        case .member(let base, _, _), .deref(let base), .addressOf(let base), .containerOf(let base, _): base.rootVariable
        case .index(let base, _): base.rootVariable
        default: nil
        }
    }

    /// Variables whose value (not a field or element reached through them) flows into this
    /// expression: storing `PA2PTE(mem) | PTE_V` stores `mem`; storing `dip->type` does not.
    public var valueVariables: [Variable] {
        switch kind {
        case .variable(let v): [v]
        case .unary(_, let e), .containerOf(let e, _): e.valueVariables
        case .binary(_, let a, let b): a.valueVariables + b.valueVariables
        case .member, .deref, .addressOf, .index, .call, .constant, .string, .opaque: []
        }
    }

    /// The variables whose objects a returned value hands over: those whose value flows
    /// into it (`p`, `p + 1`), or, for an address, what it points into (`&priv->wdd`, from
    /// which `container_of` gets back to `priv`). A field's value (`d->status`) hands over
    /// no object.
    public var carriedVariables: [Variable] {
        path.isAddressOf ? variables : valueVariables
    }

    /// The variables that pick an element somewhere in this expression (`i` in
    /// `adapter->tx_ring[i]->desc`).
    public var indexVariables: [Variable] {
        switch kind {
        case .index(let base, let index): base.indexVariables + index.variables
        case .member(let base, _, _), .deref(let base), .addressOf(let base), .unary(_, let base), .containerOf(let base, _):
            base.indexVariables
        case .binary(_, let a, let b): a.indexVariables + b.indexVariables
        case .call(_, let args): args.flatMap(\.indexVariables)
        case .variable, .constant, .string, .opaque: []
        }
    }

    /// Every variable read by this expression.
    public var variables: [Variable] {
        switch kind {
        case .variable(let v): [v]
        case .member(let base, _, _), .deref(let base), .addressOf(let base), .unary(_, let base), .containerOf(let base, _):
            base.variables
        case .index(let a, let b), .binary(_, let a, let b): a.variables + b.variables
        case .call(_, let args): args.flatMap(\.variables)
        case .constant, .string, .opaque: []
        }
    }
}
