/// The graph the analysis walks: the lowered function with what the pack says about calls
/// folded in, so that `ladder dump-cfg --rules PACK` shows exactly what is analysed.
///
/// Today one rewrite: a temporary holding the result of an identity call
/// (`spinlock_check(l)` in Linux's lock macros returns `l`) or of a pure call
/// (`pci_irq_vector(pdev, i)`) is replaced, in later call arguments, by what it stands
/// for — so `spin_lock(spinlock_check(&p->lock))` locks `&p->lock`.
public enum AnalysisGraph {
    public static func prepare(_ function: Function, pack: RulePack) -> Function {
        var identities: [Variable: Expr] = [:]
        for block in function.blocks {
            for case .call(let call) in block.statements {
                guard let callee = call.callee, let v = call.result?.variable, v.storage == .temporary else { continue }
                if pack.identity.contains(callee), let first = call.arguments.first {
                    identities[v] = first
                }
                if pack.pure.contains(callee) {
                    identities[v] = Expr(.call(callee: callee, arguments: call.arguments), text: call.text)
                }
            }
        }
        guard !identities.isEmpty else { return function }
        var prepared = function
        prepared.blocks = function.blocks.map { resolve($0, identities) }
        return prepared
    }

    /// Replaces identity temporaries in call arguments by what they stand for.
    static func resolve(_ block: Block, _ identities: [Variable: Expr]) -> Block {
        var block = block
        block.statements = block.statements.map { statement in
            guard case .call(var call) = statement else { return statement }
            call.arguments = call.arguments.map { argument in
                if let v = argument.variable, let original = identities[v] { original } else { argument }
            }
            return .call(call)
        }
        return block
    }
}
