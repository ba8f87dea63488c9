/// An acquisition the object records in a flag: `if (!vib->vcc_on) { regulator_enable(vib->vcc);
/// vib->vcc_on = true; }` in a start, and `if (vib->vcc_on) { regulator_disable(vib->vcc);
/// vib->vcc_on = false; }` in a stop. Once the flag is set, the enable is the object's: a
/// later failure in the start returns with the supply on and the flag saying so, which is
/// what the stop (or the next start) expects. Read as a plain acquisition, every return after
/// it looked like a leak (pwm-vibra, twl4030's USB charging, arizona's supplies).
///
/// The rule, for a unit with such a switch: a release is the flag's off-side when it sits in
/// the block a test finds the flag set (`if (x->f)`, `if (x->f != 0)`) and that block clears
/// the flag (`x->f = 0`, `false`), as `FlagGuards` reads a single function. Storing a non-zero
/// constant into a field of that name in memory the caller reaches then hands on what the
/// path holds of those kinds under names the caller reaches (`vib->vcc`): released by hand
/// further on, it is taken back, not released twice.
///
/// Limits: flags are matched by field name, not by object (a `vcc_on` of another struct in the
/// same file counts too), and which handle the flag tracks is not checked: a flag set after
/// two enables of one kind takes both. Both only lose findings. Not the locks the pack says no
/// one keeps (`neverKept`: a mutex is not held from one call to the next); a runtime-PM
/// reference is (twl4030 keeps the PHY powered while USB charging is on). Known only from the
/// whole unit, so written where it is annotated.
public struct FlaggedReleases: Sendable, Hashable, Codable {
    /// A flag field, with the kinds released where a test finds it set and it is cleared.
    /// Sorted by name, not a dictionary: the note is part of every function's cached IR.
    public struct Flag: Sendable, Hashable, Codable {
        public var field: String
        public var kinds: [ResourceKind]
    }
    public var flags: [Flag]

    func kinds(_ field: String) -> [ResourceKind]? { flags.first(where: { $0.field == field })?.kinds }

    static func annotate(_ unit: TranslationUnit, pack: RulePack) -> TranslationUnit {
        var kinds: [String: [ResourceKind]] = [:]
        for function in unit.functions {
            for block in function.blocks {
                guard case .branch(let condition, let then, let otherwise, _) = block.terminator, then != otherwise,
                      let (flag, setWhenTrue) = Self.flagTest(condition) else { continue }
                let set = function.blocks[setWhenTrue ? then : otherwise]
                guard set.statements.contains(where: { Self.clears($0, flag) }) else { continue }
                for case .call(let call) in set.statements {
                    for rule in call.callee.flatMap({ pack.releases[$0] }) ?? [] {
                        for kind in rule.kinds where !pack.neverKept.contains(kind) && !(kinds[flag]?.contains(kind) ?? false) {
                            kinds[flag, default: []].append(kind)
                        }
                    }
                }
            }
        }
        guard !kinds.isEmpty else { return unit }
        let note = FlaggedReleases(flags: kinds.sorted { $0.key < $1.key }.map { Flag(field: $0.key, kinds: $0.value) })
        var result = unit
        for f in result.functions.indices { result.functions[f].flaggedReleases = note }
        return result
    }

    /// A test of a field against zero: its name, and whether the branch's true side finds it set.
    static func flagTest(_ condition: Expr) -> (String, Bool)? {
        switch condition.kind {
        case .member(_, let name, _): return (name, true)
        case .unary(.logicalNot, let inner): return flagTest(inner).map { ($0.0, !$0.1) }
        case .binary(let op, let a, let b) where (op == .ne || op == .eq) && b.constantValue == 0:
            guard case .member(_, let name, _) = a.kind else { return nil }
            return (name, op == .ne)
        default: return nil
        }
    }

    /// `x->flag = 0` (or `false`).
    static func clears(_ statement: Statement, _ flag: String) -> Bool {
        guard case .assign(let target, let value, _) = statement, case .member(_, let name, _) = target.kind else { return false }
        return name == flag && value.constantValue == 0
    }
}

extension Transfer {
    /// `x->flag = 1` where the unit releases under that flag (`FlaggedReleases`): what this
    /// path holds of those kinds, under a name the caller reaches, is the object's from here.
    func recordInFlag(target: Expr, value: Expr, in state: inout PathState) {
        guard let note = function.flaggedReleases, case .member(_, let name, _) = target.kind,
              let kinds = note.kinds(name), let c = value.constantValue, c != 0, reachesCaller(target.path) else { return }
        let recorded = state.held.filter { resource in
            kinds.contains(resource.kind) && !resource.managed && resource.pending == nil && resource.handles.contains(where: reachesCaller)
        }
        guard !recorded.isEmpty else { return }
        let ids = Set(recorded.map(\.id))
        state.held.removeAll { ids.contains($0.id) }
        for resource in recorded { state.handedOn.formUnion(resource.handles) }
    }
}
