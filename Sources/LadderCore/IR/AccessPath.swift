/// What the analysis names a handle, a fact or a place by: a root (a variable by its
/// declaration, a named global thing, or a call that names something by its arguments)
/// followed by fields, dereferences, elements and a final address-of.
///
/// Paths compare structurally: `&p->lock`, `&(p->lock)` and `&(*p).lock` are one path, `*&x`
/// and `&*x` are `x`, and two locals of one name in nested scopes are two roots (the front
/// end gives each declaration its own `Variable`). Values that are not places (`a + b`,
/// `-x`, a string) are paths too, rooted at the operation, so facts about them can be kept
/// and forgotten like any other.
///
/// The hash is computed once, at construction, from the structure alone (not Swift's
/// per-process seeded hasher), so paths hash in constant time at every statement of every
/// path and sort the same way in every run.
public struct AccessPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    public indirect enum Root: Hashable, Sendable, Codable {
        case variable(Variable)
        case constant(Int64)
        /// A global thing a rule pack names with no variable (`log`, `rcu`).
        case named(String)
        /// A call naming something by its arguments (`netdev_priv(dev)`, a pure call).
        case call(String, [AccessPath])
        /// One element of many, which one unknown: a loop counter inside a handle
        /// (`pci_irq_vector(pdev, i)` with `i` counting).
        case anyElement
        /// A value that is no place: an operator over operands (`+`, unary `-`), a string
        /// literal, or an expression the front end kept opaque.
        case operation(String, [AccessPath])
    }

    public enum Step: Hashable, Sendable, Codable {
        /// `.name` or `->name`; `->` is the dereference folded in.
        case field(String, arrow: Bool)
        case deref
        case addressOf
        /// An element at a constant index, or at a variable one (`nil`: any element).
        case element(Int64?)
        /// The object whose member `name` the pointer so far points to: `container_of(kref,
        /// struct foo, kref)`, applied to a value. After `&p->name` it is `p` again.
        case container(String)
    }

    public let root: Root
    public let steps: [Step]
    private let fingerprint: UInt64

    public init(_ root: Root, _ steps: [Step] = []) {
        self.root = root
        var normal: [Step] = []
        normal.reserveCapacity(steps.count)
        for step in steps { Self.append(step, to: &normal) }
        self.steps = normal
        fingerprint = Self.fingerprint(root, normal)
    }

    public init(variable: Variable) { self.init(.variable(variable)) }

    // MARK: Building

    /// `*&x` is `x`, `&*x` is `x`, `(*p).f` is `p->f`, `(&x)->f` is `x.f` (so
    /// `dev_get_drvdata(&pdev->dev)` and `platform_get_drvdata(pdev)` read one place), and
    /// `container_of(p, m)->m` is `*p`, so `&to_platform_device(dev)->dev` is `dev`.
    private static func append(_ step: Step, to steps: inout [Step]) {
        // `container_of(&p->kref, …, kref)` is `p`; `container_of(&x.kref, …, kref)` is `&x`.
        if case .container(let member) = step, steps.count >= 2, steps[steps.count - 1] == .addressOf,
           case .field(member, let arrow) = steps[steps.count - 2] {
            steps.removeLast(2)
            if !arrow { append(.addressOf, to: &steps) }
            return
        }
        switch (steps.last, step) {
        case (.addressOf?, .deref), (.deref?, .addressOf):
            steps.removeLast()
        case (.addressOf?, .field(let name, arrow: true)):
            steps.removeLast()
            steps.append(.field(name, arrow: false))
        case (.deref?, .field(let name, arrow: false)):
            steps.removeLast()
            append(.field(name, arrow: true), to: &steps)
        case (.container(let member)?, .field(let name, arrow: true)) where member == name:
            steps.removeLast()
            append(.deref, to: &steps)
        default:
            steps.append(step)
        }
    }

    public func appending(_ step: Step) -> AccessPath { AccessPath(root, steps + [step]) }

    public func appending(_ more: [Step]) -> AccessPath { more.isEmpty ? self : AccessPath(root, steps + more) }

    /// This path with its root replaced by `base` (`tp->pci_dev` with `tp` from
    /// `netdev_priv(dev)` is `netdev_priv(dev)->pci_dev`).
    public func rebased(on base: AccessPath) -> AccessPath { AccessPath(base.root, base.steps + steps) }

    // MARK: Questions the analysis asks at every statement

    /// The root alone: `p` for `&p->lock`, `netdev_priv(dev)` for `netdev_priv(dev)->pdev`.
    public var rootPath: AccessPath { steps.isEmpty ? self : AccessPath(root) }

    /// The variable the path starts from, if it starts from one.
    public var rootVariable: Variable? {
        if case .variable(let v) = root { v } else { nil }
    }

    /// The path is exactly a variable.
    public var variable: Variable? { steps.isEmpty ? rootVariable : nil }

    public var isAddressOf: Bool { steps.last == .addressOf }

    /// The object a pointer value points into: adding or subtracting a constant keeps the
    /// object (`P2V(pa)` is `pa + KERNBASE`, `V2P(mem)` is `mem - KERNBASE`; the front end
    /// has already dropped the integer casts around them), and so does moving a pointer
    /// back by any amount (`kfree(urb->transfer_buffer - offset)`): C's pointer arithmetic
    /// stays inside one object. (`p + i` with a variable `i` the front end reads as
    /// `&p[i]`, an element.) A difference of two pointers (`end - start`) folds too; no
    /// release is given one.
    public var object: AccessPath {
        guard steps.isEmpty, case .operation(let op, let operands) = root, operands.count == 2, op == "+" || op == "-" else {
            return self
        }
        if operands[1].isConstant || op == "-" { return operands[0].object }
        if op == "+", operands[0].isConstant { return operands[1].object }
        return self
    }

    var isConstant: Bool {
        if case .constant = root, steps.isEmpty { true } else { false }
    }

    /// Names one of many (`argv[*]`, `pci_irq_vector(pdev, [*])`): which one is unknown.
    public var isCollection: Bool {
        if steps.contains(.element(nil)) { return true }
        switch root {
        case .anyElement: return true
        case .call(_, let arguments), .operation(_, let arguments): return arguments.contains(where: \.isCollection)
        case .variable, .constant, .named: return false
        }
    }

    /// Whether this path reads `other`: it is `other`, extends it (`p->lock` reads `p` and
    /// `p->lock`), or reads it inside a call or operation (`netdev_priv(dev)->x` reads `dev`).
    /// When `other` changes, facts and names built on this path go stale.
    public func mentions(_ other: AccessPath) -> Bool {
        if other.root == root, other.steps.count <= steps.count, steps.starts(with: other.steps) { return true }
        switch root {
        case .call(_, let arguments), .operation(_, let arguments): return arguments.contains { $0.mentions(other) }
        case .variable, .constant, .named, .anyElement: return false
        }
    }

    public func mentions(_ variable: Variable) -> Bool { mentions(AccessPath(variable: variable)) }

    /// `variable` replaced by `replacement` wherever it is read below the root (the root is
    /// left alone: `&p->lock` while `p` walks a table is one lock at a time).
    public func substituting(_ variable: Variable, with replacement: AccessPath) -> AccessPath {
        switch root {
        case .call(let name, let arguments):
            return AccessPath(.call(name, arguments.map { $0.replacingEverywhere(variable, with: replacement) }), steps)
        case .operation(let op, let operands):
            return AccessPath(.operation(op, operands.map { $0.replacingEverywhere(variable, with: replacement) }), steps)
        case .variable, .constant, .named, .anyElement:
            return self
        }
    }

    private func replacingEverywhere(_ variable: Variable, with replacement: AccessPath) -> AccessPath {
        if rootVariable == variable { return rebased(on: replacement) }
        return substituting(variable, with: replacement)
    }

    // MARK: Identity

    public static func == (a: AccessPath, b: AccessPath) -> Bool {
        a.fingerprint == b.fingerprint && a.root == b.root && a.steps == b.steps
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    /// By spelling: rare (canonical order of merged handles), so it may be slow.
    public static func < (a: AccessPath, b: AccessPath) -> Bool { a.description < b.description }

    private static func fingerprint(_ root: Root, _ steps: [Step]) -> UInt64 {
        var h = FNV()
        h.mix(root)
        for step in steps { h.mix(step) }
        return h.value
    }

    // MARK: Spelling

    /// C-like, for dumps and messages: `&p->lock`, `argv[*]`, `netdev_priv(dev)->pdev`.
    public var description: String { Self.spell(steps, after: Self.spell(root)) }

    /// `base` followed by `steps`, as C writes them; shared with `PathTemplate`.
    static func spell(_ steps: [Step], after base: String) -> String {
        var text = base
        var address = false
        for step in steps {
            switch step {
            case .field(let name, let arrow): text += (arrow ? "->" : ".") + name
            case .deref: text = "*" + text
            case .addressOf: address = true
            case .element(let index): text += "[" + (index.map(String.init) ?? "*") + "]"
            case .container(let member):
                text = "container_of(" + (address ? "&" : "") + text + ", " + member + ")"
                address = false
            }
        }
        return address ? "&" + text : text
    }

    private static func spell(_ root: Root) -> String {
        switch root {
        case .variable(let v): v.name
        case .constant(let c): String(c)
        case .named(let name): name
        case .call(let name, let arguments): name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        case .anyElement: "[*]"
        case .operation(let op, let operands):
            switch operands.count {
            case 0: op
            case 1: op + operands[0].description
            default: "(" + operands.map(\.description).joined(separator: " \(op) ") + ")"
            }
        }
    }
}

/// FNV-1a over the structure: deterministic across processes, unlike `Hasher`.
private struct FNV {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func byte(_ b: UInt8) {
        value ^= UInt64(b)
        value = value &* 0x0000_0100_0000_01b3
    }

    mutating func word(_ w: UInt64) {
        var w = w
        for _ in 0..<8 {
            byte(UInt8(truncatingIfNeeded: w))
            w >>= 8
        }
    }

    mutating func text(_ s: String) {
        for b in s.utf8 { byte(b) }
        byte(0xff)
    }

    mutating func mix(_ root: AccessPath.Root) {
        switch root {
        case .variable(let v):
            byte(1)
            text(v.name)
            text(v.storage.rawValue)
        case .constant(let c):
            byte(2)
            word(UInt64(bitPattern: c))
        case .named(let name):
            byte(3)
            text(name)
        case .call(let name, let arguments):
            byte(4)
            text(name)
            for a in arguments { word(a.hashFingerprint) }
        case .anyElement:
            byte(5)
        case .operation(let op, let operands):
            byte(6)
            text(op)
            for o in operands { word(o.hashFingerprint) }
        }
    }

    mutating func mix(_ step: AccessPath.Step) {
        switch step {
        case .field(let name, let arrow):
            byte(arrow ? 10 : 14)
            text(name)
        case .deref: byte(11)
        case .addressOf: byte(12)
        case .element(let index):
            byte(13)
            word(index.map { UInt64(bitPattern: $0) } ?? 0xdead_beef)
            byte(index == nil ? 1 : 0)
        case .container(let member):
            byte(15)
            text(member)
        }
    }
}

extension AccessPath {
    /// What `hash(into:)` combines: equal paths have equal fingerprints.
    var hashFingerprint: UInt64 { fingerprint }
}
