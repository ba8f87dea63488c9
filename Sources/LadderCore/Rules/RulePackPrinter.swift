/// `ladder rules NAME`: a rule pack as a kernel developer reads it.
public enum RulePackPrinter {
    public static func render(_ pack: RulePack) -> String {
        var out = "rule pack \(pack.name): \(pack.description)\n\nresource kinds:\n"
        for (kind, text) in pack.kinds.sorted(by: { $0.key < $1.key }) {
            out += "  \(kind)\(pack.locks.contains(kind) ? " (lock)" : ""): \(text)\n"
        }
        out += "\nacquire:\n"
        for (call, rule) in pack.acquires.sorted(by: { $0.key < $1.key }) {
            let what = rule.resources.map { "\($0.kind) \($0.handle)" }.joined(separator: " + ")
            var line = "  \(call)() -> \(what)"
            if rule.success != .always { line += ", succeeds when the result is \(rule.success)" }
            if !rule.takes.isEmpty { line += ", takes argument \(rule.takes.map(String.init).joined(separator: ", "))" }
            if !rule.dependsOn.isEmpty { line += ", depends on argument \(rule.dependsOn.map(String.init).joined(separator: ", "))" }
            if rule.managed { line += ", managed (never released by hand)" }
            if let fix = rule.resources.first?.fix { line += "; undo: \(fix)" }
            out += line + "\n"
        }
        out += "\nrelease:\n"
        for (call, rules) in pack.releases.sorted(by: { $0.key < $1.key }) {
            for rule in rules {
                var line = "  \(call)() releases \(rule.kinds.joined(separator: "/")) \(rule.handle)"
                if rule.bulk { line += " (all of them)" }
                if !rule.alsoReleases.isEmpty { line += ", and every \(rule.alsoReleases.joined(separator: "/")) in it" }
                line += rule.nullSafe ? ", accepts null" : ", not null-safe"
                out += line + "\n"
            }
        }
        if !pack.transfers.isEmpty {
            out += "\ntake ownership:\n"
            for (call, rules) in pack.transfers.sorted(by: { $0.key < $1.key }) {
                for rule in rules { out += "  \(call)() takes argument \(rule.argument)" + (rule.success == .always ? "" : " when the result is \(rule.success)") + "\n" }
            }
        }
        if !pack.enclosures.isEmpty {
            out += "\nenclosures:\n"
            for e in pack.enclosures { out += "  \(e.outer) must outlive \(e.inner.joined(separator: ", ")) taken inside it\n" }
        }
        out += "\nerror returns: pointers \(pack.convention.pointer), signed \(pack.convention.signed), unsigned \(pack.convention.unsignedValues)\n"
        for entry in pack.functionErrors { out += "  \(entry.pattern): \(entry.values)\n" }
        if !pack.noReturn.isEmpty { out += "never return: \(pack.noReturn.sorted().joined(separator: ", "))\n" }
        return out
    }
}
