import CLibClang
import LadderCore

extension FunctionLowering {
    /// Lowers a condition into real branches: `&&`, `||`, `!`, `?:` and `,` become control
    /// flow, so every path through a compound condition is its own path.
    func lowerCondition(_ original: Cursor, then yes: BlockID, else no: BlockID) {
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
            case CXBinaryOperator_LAnd:
                let rhs = cfg.newBlock()
                lowerCondition(children[0], then: rhs, else: no)
                cfg.resume(rhs)
                lowerCondition(children[1], then: yes, else: no)
                return
            case CXBinaryOperator_LOr:
                let rhs = cfg.newBlock()
                lowerCondition(children[0], then: yes, else: rhs)
                cfg.resume(rhs)
                lowerCondition(children[1], then: yes, else: no)
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
}
