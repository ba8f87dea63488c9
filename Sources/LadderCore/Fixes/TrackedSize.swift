/// The size a function keeps of what it has mapped into a table, for a release that frees
/// the table with everything below a size (`proc_freepagetable(pagetable, sz)`).
///
///     if((sz1 = uvmalloc(pagetable, sz, …)) == 0)      if(pagetable)
///       goto bad;                                        proc_freepagetable(pagetable, 0);   wrong
///     sz = sz1;                                →         proc_freepagetable(pagetable, sz);  right
///
/// The pack's template can only say `0` (nothing mapped yet): a table freed with size 0
/// keeps the pages mapped below the real size, and they leak. When every call in the
/// function that maps into the same table starts at one variable, and the function assigns
/// that variable (it grows it as it maps), that variable is the size: what the author
/// passes, and what covers every mapping made.
///
/// Limits: only a size argument the template fills with the constant `0`; a function that
/// maps from two different starts, or keeps the size in a field (`p->sz`), keeps the template.
enum TrackedSize {
    static func written(_ call: ReleaseCall, handle: String, in function: Function, pack: RulePack) -> ReleaseCall {
        var arguments = split(call.arguments)
        guard let rule = pack.releases[call.callee]?.first(where: { !$0.alsoReleases.isEmpty }),
              case .argument(let k)? = rule.range?.end, k < arguments.count,
              arguments[k].trimmingSpaces == "0" else { return call }
        let covered = Set(rule.alsoReleases)
        var starts: Set<String> = []
        var variable: Variable?
        for block in function.blocks {
            for case .call(let made) in block.statements {
                guard let callee = made.callee, let acquire = pack.acquires[callee],
                      acquire.resources.contains(where: { covered.contains($0.kind) }),
                      case .argument(let s)? = acquire.range?.start, s < made.arguments.count,
                      made.arguments.contains(where: { squeezed($0.text) == squeezed(handle) }) else { continue }
                starts.insert(made.arguments[s].text)
                variable = made.arguments[s].variable
            }
        }
        guard starts.count == 1, let variable, variable.storage == .local || variable.storage == .parameter else { return call }
        let grown = function.blocks.contains { block in
            block.statements.contains { statement in
                if case .assign(let target, _, _) = statement { return target.variable == variable }
                return false
            }
        }
        guard grown else { return call }
        arguments[k] = (arguments[k].hasPrefix(" ") ? " " : "") + variable.name
        return ReleaseCall(callee: call.callee, arguments: arguments.joined(separator: ","))
    }

    /// The arguments at the call's top level (commas inside parentheses stay).
    private static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var depth = 0
        var current = ""
        for c in text {
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1 }
            if c == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts
    }

    private static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }
}
