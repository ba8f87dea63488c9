/// An expression is encoded as a flat list of nodes, children before their parent, the root
/// last, each naming its children by position. A derived encoding would nest one container
/// per level: a 5,000-term `+` chain is 5,000 nested `binary` nodes, which would recurse that
/// deep in the encoder and the decoder and exceed a JSON decoder's nesting limit. Flat, the
/// encoded nesting is the same for every expression and both directions are loops.
///
/// `path` is not encoded: `init(_:text:)` derives it from the kind, as for any expression.
extension Expr: Codable {
    package enum Tag: String, Codable, CaseIterable {
        case constant, variable, member, deref, addressOf, index, unary, binary, call, string, opaque, containerOf
    }

    package struct Node: Codable, Equatable {
        package var tag: Tag
        package var text: String
        /// A member's name, a string literal, a call's callee.
        package var name: String?
        package var value: Int64?
        package var variable: Variable?
        package var arrow: Bool?
        package var unary: UnaryOperator?
        package var binary: BinaryOperator?
        /// Positions of the operands in the node list, in order; each is before this node.
        package var operands: [Int] = []

        package init(tag: Tag, text: String) {
            self.tag = tag
            self.text = text
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Expr.flatten(self))
    }

    public init(from decoder: any Decoder) throws {
        let nodes = try decoder.singleValueContainer().decode([Node].self)
        guard let root = Expr.rebuild(nodes) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "an expression's nodes do not form a tree in post-order"))
        }
        self = root
    }

    /// Post-order, with an explicit stack: the Swift stack stays flat however deep `root` is.
    package static func flatten(_ root: Expr) -> [Node] {
        var nodes: [Node] = []
        var positions: [Int] = []
        var work: [(expr: Expr, expanded: Bool)] = [(root, false)]
        while let (expr, expanded) = work.popLast() {
            let operands = expr.operands
            if !expanded && !operands.isEmpty {
                work.append((expr, true))
                for operand in operands.reversed() { work.append((operand, false)) }
                continue
            }
            var node = Node(tag: .opaque, text: expr.text)
            node.operands = Array(positions.suffix(operands.count))
            positions.removeLast(operands.count)
            switch expr.kind {
            case .constant(let v): node.tag = .constant; node.value = v
            case .variable(let v): node.tag = .variable; node.variable = v
            case .member(_, let name, let arrow): node.tag = .member; node.name = name; node.arrow = arrow
            case .deref: node.tag = .deref
            case .addressOf: node.tag = .addressOf
            case .index: node.tag = .index
            case .containerOf(_, let member): node.tag = .containerOf; node.name = member
            case .unary(let op, _): node.tag = .unary; node.unary = op
            case .binary(let op, _, _): node.tag = .binary; node.binary = op
            case .call(let callee, _): node.tag = .call; node.name = callee
            case .string(let s): node.tag = .string; node.name = s
            case .opaque: node.tag = .opaque
            }
            positions.append(nodes.count)
            nodes.append(node)
        }
        return nodes
    }

    /// The expression `flatten` encoded, or nil when the nodes are not a post-order tree
    /// (an operand after its parent, a node that is nobody's operand, a missing field).
    package static func rebuild(_ nodes: [Node]) -> Expr? {
        var built: [Expr] = []
        built.reserveCapacity(nodes.count)
        var used = [Bool](repeating: false, count: nodes.count)
        for (position, node) in nodes.enumerated() {
            // Each operand once: a node naming one twice would share it, and a chain of such
            // nodes is a tree exponentially larger than its bytes.
            // Marked as they are checked, so one named twice by this node fails too (a `Set`
            // of each node's operands was a fifth of reading IR back).
            for operand in node.operands {
                guard operand >= 0 && operand < position && !used[operand] else { return nil }
                used[operand] = true
            }
            let operands = node.operands.map { built[$0] }
            let kind: Kind
            switch (node.tag, operands.count) {
            case (.constant, 0):
                guard let v = node.value else { return nil }
                kind = .constant(v)
            case (.variable, 0):
                guard let v = node.variable else { return nil }
                kind = .variable(v)
            case (.member, 1):
                guard let name = node.name, let arrow = node.arrow else { return nil }
                kind = .member(base: operands[0], name: name, arrow: arrow)
            case (.deref, 1): kind = .deref(operands[0])
            case (.addressOf, 1): kind = .addressOf(operands[0])
            case (.index, 2): kind = .index(base: operands[0], index: operands[1])
            case (.containerOf, 1):
                guard let member = node.name else { return nil }
                kind = .containerOf(operands[0], member: member)
            case (.unary, 1):
                guard let op = node.unary else { return nil }
                kind = .unary(op, operands[0])
            case (.binary, 2):
                guard let op = node.binary else { return nil }
                kind = .binary(op, operands[0], operands[1])
            case (.call, _):
                guard let callee = node.name else { return nil }
                kind = .call(callee: callee, arguments: operands)
            case (.string, 0):
                guard let s = node.name else { return nil }
                kind = .string(s)
            case (.opaque, 0): kind = .opaque
            default: return nil
            }
            built.append(Expr(kind, text: node.text))
        }
        // Every node but the root is some node's operand.
        guard let root = built.last, used.dropLast().allSatisfy({ $0 }) else { return nil }
        return root
    }

    /// The direct sub-expressions, in evaluation order.
    var operands: [Expr] {
        switch kind {
        case .member(let base, _, _), .deref(let base), .addressOf(let base), .unary(_, let base), .containerOf(let base, _): [base]
        case .index(let base, let index): [base, index]
        case .binary(_, let a, let b): [a, b]
        case .call(_, let arguments): arguments
        case .constant, .variable, .string, .opaque: []
        }
    }
}
