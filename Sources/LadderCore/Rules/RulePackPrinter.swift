/// `ladder rules NAME`: everything a rule pack declares, as a kernel developer reads it.
public enum RulePackPrinter {
    public static func render(_ pack: RulePack) -> String {
        var out = "rule pack \(pack.name): \(pack.description)\n"
        section("resource kinds", pack.kinds.sorted { $0.key < $1.key }.map { kind, text in
            "\(kind)\(pack.locks.contains(kind) ? " (lock)" : ""): \(text)"
        }, into: &out)
        section("acquire", pack.acquires.sorted { $0.key < $1.key }.map { call, rule in acquire(call, rule) }, into: &out)
        section("release", pack.releases.sorted { $0.key < $1.key }.flatMap { call, rules in rules.map { release(call, $0) } },
                into: &out)
        section("combined releases (a fix writes the one call for its parts)", pack.combines.sorted { $0.key < $1.key }.map { call, parts in
            "\(call)() = \(parts.map { "\($0)()" }.joined(separator: " then "))"
        }, into: &out)
        section("take ownership", pack.transfers.sorted { $0.key < $1.key }.flatMap { call, rules in
            rules.map { rule in
                "\(call)() takes argument \(rule.argument)" + (rule.kinds.map { " (only its \($0.map(\.name).joined(separator: "/")))" } ?? "")
                    + (rule.success == .always ? "" : " when the result is \(rule.success)")
            }
        }, into: &out)
        section("enclosures", pack.enclosures.map { e in
            "\(e.outer) must outlive \(e.inner.map(\.name).joined(separator: ", ")) taken inside it"
        }, into: &out)
        section("predicates", pack.predicates.sorted { $0.key < $1.key }.map { call, p in
            "\(call)() is true when argument \(p.argument) is \(p.whenTrue)"
        }, into: &out)
        section("result signs", pack.resultSigns.sorted { $0.key < $1.key }.map { call, signs in
            "\(call)() returns \(signs)"
        }, into: &out)
        section("seen through (return their first argument)", list(pack.identity), into: &out)
        section("derived names (the result points into the first argument's resource)", list(pack.derives), into: &out)
        section("error codes (equal to a negative constant only for an error pointer)", list(pack.errorCodes), into: &out)
        section("pure (two calls with the same arguments name the same thing)", list(pack.pure), into: &out)
        section("pure, reading through their pointers (a call handed one gives them a new answer)", list(pack.readsThrough), into: &out)
        section("borrow their arguments (keep none after the call)", list(pack.borrows), into: &out)
        section("copy their source object into their destination (keep neither pointer)", list(pack.copies), into: &out)
        section("zero-filled allocations", list(pack.zeroes), into: &out)
        section("bit operations (op(nr, &word))", pack.bits.sorted { $0.key < $1.key }.map { call, op in
            "\(call)() \(op.rawValue)"
        }, into: &out)
        section("return an argument or a place in one (another name for it)", pack.returns.sorted { $0.key < $1.key }.map { call, t in
            "\(call)() returns \(t)"
        }, into: &out)
        section("store an argument at a place (not a hand-off)", pack.stores.sorted { $0.key < $1.key }.map { call, r in
            "\(call)() stores argument \(r.value) at \(r.at)"
        }, into: &out)
        section("paired callbacks (what the first keeps, the second drops)", pack.callbacks.map { pair in
            ".\(pair.acquire) / .\(pair.release)" + (pair.keptOnFailure ? " (kept when .\(pair.acquire) fails too)" : "")
        }, into: &out)
        section("call a function they are given", pack.callsBack.sorted { $0.key < $1.key }.map { call, c in
            c.childrenOf.map { "\(call)() calls argument \(c.function) on each child of argument \($0)" }
                ?? "\(call)() calls argument \(c.function) with argument \(c.arguments.map(String.init).joined(separator: ", "))"
        }, into: &out)
        section("kept at a success return (installed for the kernel to call back)", pack.keptOnSuccess.map(\.name).sorted(), into: &out)
        section("states of an object (not ordered against what else it holds)", pack.states.map(\.name).sorted(), into: &out)
        section("hand a record to the device's managed resources (a wrapper making one returns what it acquired managed)", list(pack.devres), into: &out)
        section("never return", list(pack.noReturn), into: &out)
        section("wait while other threads run (facts about shared memory tested by the waiting loop are forgotten)", list(pack.waits), into: &out)
        section("boot entry points (what only they reach runs once, on a fresh system: its allocations cannot fail)", list(pack.boot), into: &out)
        var errors = ["pointers: \(pack.convention.pointer)", "signed: \(pack.convention.signed)",
                      "unsigned: \(pack.convention.unsignedValues.map(String.init).joined(separator: ", "))"]
        errors += pack.functionErrors.map { "\($0.pattern): \($0.values.map(String.init).joined(separator: ", "))" }
        section("error returns", errors, into: &out)
        return out
    }

    static func acquire(_ call: String, _ rule: AcquireRule) -> String {
        let what = rule.resources.map { "\($0.kind) \($0.handle)" }.joined(separator: " + ")
        var line = "\(call)() -> \(what)"
        if rule.success != .always { line += ", succeeds when the result is \(rule.success)" }
        if rule.mayIgnoreFailure { line += " (its failure may go untested)" }
        if !rule.takes.isEmpty { line += ", takes argument \(rule.takes.map(String.init).joined(separator: ", "))" }
        if !rule.dependsOn.isEmpty { line += ", depends on argument \(rule.dependsOn.map(String.init).joined(separator: ", "))" }
        if rule.managed { line += rule.releasableByHand ? ", managed (may also be released by hand)" : ", managed (never released by hand)" }
        if !rule.manages.isEmpty { line += ", makes later \(rule.manages.map(\.name).joined(separator: ", ")) on its handle managed" }
        if !rule.managedUnlessHeld.isEmpty {
            line += ", managed unless its handle is held as unmanaged \(rule.managedUnlessHeld.map(\.name).joined(separator: "/"))"
        }
        if rule.returnsIt { line += ", returns what it acquires" }
        if let fix = rule.resources.first?.fix { line += "; undo: \(fix)" }
        return line
    }

    static func release(_ call: String, _ rule: ReleaseRule) -> String {
        var line = "\(call)() releases \(rule.kinds.map(\.name).joined(separator: "/")) \(rule.handle)"
        if rule.bulk { line += " (all of them)" }
        if !rule.alsoReleases.isEmpty { line += ", and every \(rule.alsoReleases.map(\.name).joined(separator: "/")) in it" }
        line += rule.nullSafe ? ", accepts null" : ", not null-safe"
        if rule.errorSafe { line += ", skips error pointers" }
        if rule.safeAfterFailure { line += ", a no-op after a failed acquisition" }
        if rule.safeWhenAbsent { line += ", a no-op when nothing is there" }
        if let field = rule.safeWhenAbsentWithout { line += ", a no-op when nothing is there unless the object sets .\(field)" }
        if let count = rule.noOpWhenZero { line += ", a no-op when argument \(count) is 0" }
        if let field = rule.elementField { line += ", and what each element's .\(field) holds" }
        if let members = rule.members {
            line += ", and every member its .\(members.field) lists" + (members.entry.map { " (through .\($0))" } ?? "")
        }
        return line
    }

    static func list(_ names: Set<String>) -> [String] {
        names.isEmpty ? [] : [names.sorted().joined(separator: ", ")]
    }

    static func section(_ title: String, _ lines: [String], into out: inout String) {
        guard !lines.isEmpty else { return }
        out += "\n\(title):\n"
        for line in lines { out += "  \(line)\n" }
    }
}
