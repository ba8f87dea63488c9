/// Integer folding with C's wrap-around, used where libclang leaves an expression
/// unevaluated because one operand is itself a folded constant.
public enum ConstantFolding {
    public static func apply(_ op: UnaryOperator, _ v: Int64) -> Int64 {
        switch op {
        case .minus: 0 &- v
        case .plus: v
        case .bitNot: ~v
        case .logicalNot: v == 0 ? 1 : 0
        }
    }

    /// nil where C leaves the result undefined (division by zero, wild shifts).
    public static func apply(_ op: BinaryOperator, _ a: Int64, _ b: Int64) -> Int64? {
        switch op {
        case .add: a &+ b
        case .sub: a &- b
        case .mul: a &* b
        case .div: b == 0 ? nil : a.dividedReportingOverflow(by: b).partialValue
        case .rem: b == 0 ? nil : a.remainderReportingOverflow(dividingBy: b).partialValue
        case .shl: (0..<64).contains(b) ? a << b : nil
        case .shr: (0..<64).contains(b) ? a >> b : nil
        case .bitAnd: a & b
        case .bitOr: a | b
        case .bitXor: a ^ b
        case .lt: a < b ? 1 : 0
        case .gt: a > b ? 1 : 0
        case .le: a <= b ? 1 : 0
        case .ge: a >= b ? 1 : 0
        case .eq: a == b ? 1 : 0
        case .ne: a != b ? 1 : 0
        }
    }
}
