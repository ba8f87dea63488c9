/// A digest of any value's stored properties, the same in every process: what a rule pack
/// (not `Codable`, and full of sets and dictionaries) is known by in cache keys. Swift's
/// `Hasher` is seeded per process, so the elements of sets and dictionaries are put in the
/// order of their own renderings first.
///
/// Reflection sees every stored property, so a field added to `RulePack` later is covered
/// without anyone remembering to add it here. Classes and closures would be rendered by
/// identity; a rule pack has neither.
enum StableDigest {
    static func of(_ value: Any) -> Digest {
        var out = ""
        render(value, into: &out)
        return Digest.of(out)
    }

    private static func render(_ value: Any, into out: inout String) {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .set, .dictionary:
            let parts = mirror.children.map { child -> String in
                var part = ""
                render(child.value, into: &part)
                return part
            }
            out += "{" + parts.sorted().joined(separator: ",") + "}"
        case .struct, .class, .tuple, .collection, .enum, .optional:
            out += "\(mirror.subjectType)("
            if mirror.displayStyle == .enum, mirror.children.isEmpty { out += "\(value)" }
            for child in mirror.children {
                out += (child.label ?? "") + ":"
                render(child.value, into: &out)
                out += ";"
            }
            out += ")"
        case nil:
            // Leaves: numbers, strings, booleans. Escape the separators used above.
            let text = "\(value)"
            out += "\(text.utf8.count)#" + text
        default:
            // C++ references and whatever Mirror learns next: a pack has none.
            out += "\(value)"
        }
    }
}
