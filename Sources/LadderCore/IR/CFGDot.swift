/// A CFG as Graphviz `dot` (`ladder dump-cfg --dot | dot -Tsvg`): one record-shaped node a
/// block with its statements, edges labelled with the branch sense or the `goto`.
public enum CFGDot {
    public static func render(_ function: Function) -> String {
        var out = "digraph \"\(escape(function.name))\" {\n"
        out += "  node [shape=box, fontname=\"monospace\", fontsize=10];\n"
        out += "  label=\"\(escape(function.name)) [\(escape(function.location.description))]\";\n"
        for block in function.blocks {
            var lines = ["bb\(block.id)" + (block.label.map { " <\($0)>" } ?? "")]
            lines += block.statements.map(CFGPrinter.render)
            lines.append(CFGPrinter.render(block.terminator))
            let text = lines.map(escape).joined(separator: "\\l") + "\\l"
            out += "  bb\(block.id) [label=\"\(text)\"];\n"
            switch block.terminator {
            case .jump(let target, let via):
                out += "  bb\(block.id) -> bb\(target)" + (via.map { " [label=\"goto \(escape($0.label))\"]" } ?? "") + ";\n"
            case .branch(_, let then, let otherwise, _):
                out += "  bb\(block.id) -> bb\(then) [label=\"true\"];\n"
                out += "  bb\(block.id) -> bb\(otherwise) [label=\"false\", style=dashed];\n"
            case .return, .unreachable:
                break
            }
        }
        return out + "}\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
