/// Functions whose every return is a constant: `sprd_pwm_config` writes three registers and
/// `return 0;` is its only return, so the caller's `ret = sprd_pwm_config(…); if (ret) return
/// ret;` takes a branch that no run reaches, and the clocks the caller enabled before it are
/// not leaked there. The function's summary carries the values (`FunctionSummary.returnsOnly`),
/// and a call to it gives its result that fact (`Transfer`), so `Refinement` drops the branch
/// that contradicts it, as for a pack's `resultSigns`.
///
/// The rule: an integer function analysed in full (not over the path budget: the summary is
/// then `top`), every `return` of whose graph gives a literal constant
/// (`return 0;`, `return -EINVAL;`: a constant expression the front end folds). One value
/// gives the exact value; several give their signs. The pack wins: a call the pack declares
/// keeps the pack's word.
///
/// What it cannot see: a return of a variable that happens to be constant on every path
/// (`ret = 0; … return ret;`) is not counted, nor a function over the path budget; and a
/// function whose body the unit does not show (another file's) is known only through the
/// summaries a whole-database run hands over. Every `return` in the graph counts, reachable
/// or not, so a dead one only widens the values.
enum ReturnedConstants {
    /// The values `function`'s returns give, when every one is a literal constant. Read off
    /// the graph's `return` statements, not the walk's exits: a function that touches no
    /// resource is not walked at all.
    static func values(_ function: Function) -> [Int64] {
        switch function.returnType.shape {
        case .signedInteger, .unsignedInteger: break
        default: return []
        }
        var values: Set<Int64> = []
        for block in function.blocks {
            guard case .return(let value, _) = block.terminator else { continue }
            guard let constant = value?.constantValue else { return [] }
            values.insert(constant)
        }
        return values.sorted()
    }

    /// What a call to `callee` returns, when its summary knows every value (and the pack does
    /// not declare it).
    static func fact(of callee: String, _ calls: CallSemantics) -> ValueFact? {
        guard !calls.declares(callee), let values = calls.summaries[callee]?.returnsOnly, let first = values.first else {
            return nil
        }
        if values.count == 1 { return .constant(first) }
        var signs: SignSet = []
        for value in values { signs.formUnion(SignSet(of: value)) }
        return ValueFact(signs: signs, exact: nil)
    }
}
