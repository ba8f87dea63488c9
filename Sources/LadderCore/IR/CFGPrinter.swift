/// The stable text form of a CFG that `ladder dump-cfg` prints and the golden tests hold.
///
///     function uvmcreate() -> pagetable_t  [vm.c:12:1]
///     bb0:
///       pagetable = kalloc()                      ; vm.c:14:25
///       branch pagetable == 0 ? bb1 : bb2         ; vm.c:15:6
public enum CFGPrinter {
    public static func render(_ function: Function) -> String {
        var out = "function \(function.name)("
        out += function.parameters.map { "\($0.type.spelling) \($0.name)" }.joined(separator: ", ")
        out += ") -> \(function.returnType.spelling)"
        if function.isStatic { out += " static" }
        out += "  [\(function.location)]\n"
        for block in function.blocks {
            out += "bb\(block.id):" + (block.label.map { "  <\($0)>" } ?? "") + "\n"
            for statement in block.statements {
                out += line(render(statement), at: statement.location)
            }
            out += line(render(block.terminator), at: location(of: block.terminator))
        }
        return out
    }

    static func line(_ text: String, at location: SourceLocation?) -> String {
        let padded = "  " + text
        guard let location else { return padded + "\n" }
        let column = max(padded.count + 2, 44)
        return padded + String(repeating: " ", count: column - padded.count) + "; \(location.line):\(location.column)\n"
    }

    static func location(of terminator: Terminator) -> SourceLocation? {
        switch terminator {
        case .jump(_, let via): via?.location
        case .branch(_, _, _, let l), .return(_, let l): l
        case .unreachable: nil
        }
    }

    public static func render(_ statement: Statement) -> String {
        switch statement {
        case .call(let call):
            var s = call.result.map { render($0) + " = " } ?? ""
            s += (call.callee ?? "(*indirect)") + "(" + call.arguments.map(render).joined(separator: ", ") + ")"
            if call.isNoReturn { s += "  noreturn" }
            if call.origin == .cleanupAttribute { s += "  cleanup" }
            return s
        case .assign(let target, let value, _):
            return render(target) + " = " + render(value)
        }
    }

    public static func render(_ terminator: Terminator) -> String {
        switch terminator {
        case .jump(let b, let via): "goto bb\(b)" + (via.map { " (goto \($0.label))" } ?? "")
        case .branch(let c, let t, let e, _): "branch \(render(c)) ? bb\(t) : bb\(e)"
        case .return(let v, _): "return" + (v.map { " " + render($0) } ?? "")
        case .unreachable: "unreachable"
        }
    }

    public static func render(_ e: Expr) -> String {
        switch e.kind {
        case .constant(let v):
            let plain = String(v)
            return e.text == plain || e.text.isEmpty ? plain : "{\(e.text) = \(plain)}"
        case .variable(let v): return v.name
        case .member(let base, let name, let arrow): return render(base) + (arrow ? "->" : ".") + name
        case .deref(let inner): return "*" + atom(inner)
        case .addressOf(let inner): return "&" + atom(inner)
        case .index(let base, let index): return atom(base) + "[" + render(index) + "]"
        case .containerOf(let inner, let member): return "container_of(" + render(inner) + ", " + member + ")"
        case .unary(let op, let inner): return op.rawValue + atom(inner)
        case .binary(let op, let a, let b): return atom(a) + " " + op.rawValue + " " + atom(b)
        case .call(let callee, let args): return callee + "(" + args.map(render).joined(separator: ", ") + ")"
        case .string(let s): return s
        case .opaque: return "?{\(e.text)}"
        }
    }

    static func atom(_ e: Expr) -> String {
        if case .binary = e.kind { return "(" + render(e) + ")" }
        return render(e)
    }
}
