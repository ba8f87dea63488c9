/// Every name a function calls: whose summaries its check can depend on. Calls the front
/// end left inside expressions are counted too; the analysis does not look those up today,
/// and counting them costs at most a needless re-check. Also the call graph managed actions
/// are followed through (`ManagedActions`), in one unit or over a database alike.
public enum CalleeNames {
    public static func of(_ function: Function) -> [String] {
        var names: Set<String> = []
        func visit(_ e: Expr) {
            switch e.kind {
            case .call(let callee, let arguments):
                names.insert(callee)
                arguments.forEach(visit)
            case .member(let base, _, _), .deref(let base), .addressOf(let base), .unary(_, let base), .containerOf(let base, _):
                visit(base)
            case .index(let a, let b), .binary(_, let a, let b):
                visit(a)
                visit(b)
            case .variable(let variable) where variable.storage == .global:
                // A function passed by name (`devm_add_action_or_reset(dev, fn, data)`) is
                // read through its summary like a callee.
                names.insert(variable.name)
            case .constant, .variable, .string, .opaque:
                break
            }
        }
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .call(let call):
                    if let callee = call.callee { names.insert(callee) }
                    call.arguments.forEach(visit)
                case .assign(let target, let value, _):
                    visit(target)
                    visit(value)
                }
            }
            switch block.terminator {
            case .branch(let condition, _, _, _): visit(condition)
            case .return(let value?, _): visit(value)
            case .return(nil, _), .jump, .unreachable: break
            }
        }
        // A function it stores for a helper to call through a pointer (`BoundCallbacks`).
        for binding in function.callbackBindings ?? [] { names.insert(binding.function) }
        return names.sorted()
    }
}
