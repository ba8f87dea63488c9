import CLibClang
import LadderCore

extension FunctionLowering {
    /// Lowers a condition into real branches: `&&`, `||`, `!`, `?:` and `,` become control
    /// flow, so every path through a compound condition is its own path.
    func lowerCondition(_ original: Cursor, then yes: BlockID, else no: BlockID) {
        guard enter(original) else { return }
        defer { leave() }
        let c = strip(original)
        // `if (unlikely(cond))` branches on `cond`.
        if c.kind == CXCursor_CallExpr, isBuiltinExpect(c), let first = c.arguments?.first {
            lowerCondition(first, then: yes, else: no)
            return
        }
        if c.kind == CXCursor_UnaryOperator, c.unaryOperator == CXUnaryOperator_LNot {
            lowerCondition(c.children[0], then: no, else: yes)
            return
        }
        if c.kind == CXCursor_BinaryOperator {
            let children = c.children
            switch c.binaryOperator {
            case CXBinaryOperator_LAnd, CXBinaryOperator_LOr:
                lowerShortCircuit(c, then: yes, else: no)
                return
            case CXBinaryOperator_Comma:
                _ = lowerExpression(children[0], discarded: true)
                lowerCondition(children[1], then: yes, else: no)
                return
            default:
                break
            }
        }
        if c.kind == CXCursor_ConditionalOperator {
            let children = c.children
            let a = cfg.newBlock(), b = cfg.newBlock()
            lowerCondition(children[0], then: a, else: b)
            cfg.resume(a)
            lowerCondition(children[1], then: yes, else: no)
            cfg.resume(b)
            lowerCondition(children[2], then: yes, else: no)
            return
        }
        let value = lowerExpression(c)
        if let constant = value.constantValue {
            cfg.terminate(.jump(constant != 0 ? yes : no, via: nil))
            return
        }
        cfg.terminate(.branch(condition: value, then: yes, else: no, location: map.location(c)))
    }

    /// `a && b && … && z` (or `||`), parsed as `((a && b) && …) && z`: the left spine is
    /// followed by a loop, so a chain of any length costs no recursion. Each operand gets
    /// its own test; the blocks are made in the order the recursive form made them (top of
    /// the spine first), so the CFG is the same.
    func lowerShortCircuit(_ top: Cursor, then yes: BlockID, else no: BlockID) {
        let op = top.binaryOperator
        var spine: [(node: Cursor, rest: BlockID)] = []
        var node = top
        while true {
            spine.append((node, cfg.newBlock()))
            let left = strip(node.children[0])
            guard left.kind == CXCursor_BinaryOperator, left.binaryOperator == op else { break }
            node = left
        }
        let isAnd = op == CXBinaryOperator_LAnd
        // The leftmost operand, then each right operand bottom-up; an operand's "rest"
        // block holds the test of the next one.
        let leftmost = spine[spine.count - 1].node.children[0]
        let first = spine[spine.count - 1].rest
        lowerCondition(leftmost, then: isAnd ? first : yes, else: isAnd ? no : first)
        for i in stride(from: spine.count - 1, through: 0, by: -1) {
            cfg.resume(spine[i].rest)
            let next = i == 0 ? nil : spine[i - 1].rest
            lowerCondition(spine[i].node.children[1],
                           then: isAnd ? (next ?? yes) : yes,
                           else: isAnd ? no : (next ?? no))
        }
    }
}
