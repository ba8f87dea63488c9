/// Renders references for people: one block per path, one paragraph per case, one line
/// per step, `+` for an acquisition, `-` for a release, `x` for the injected failure.
///
/// ```
/// proc_pagetable: pagetable = proc_pagetable(p)
///   setup: proc slot 0 with its trapframe page
///   mappages #2 fails -> returns 0
///     + pagetable pagetable   pagetable = uvmcreate()
///     + mapping TRAMPOLINE    mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R|PTE_X)
///     x mappages() in proc_pagetable()
///     - mapping TRAMPOLINE    uvmunmap(pagetable, TRAMPOLINE, 1, 0)
///     - pagetable pagetable   uvmfree(pagetable, 0)
/// ```
public enum ReferenceTextRenderer {
    public static func render(_ references: [PathReference]) -> String {
        references.map(render).joined(separator: "\n")
    }

    public static func render(_ reference: PathReference) -> String {
        var lines = ["\(reference.path): \(reference.call)", "  setup: \(reference.setup)"]
        for item in reference.cases {
            lines += render(item, path: reference.path)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ item: CaseReference, path: String) -> [String] {
        let heading = item.failurePoint.map { "\($0) fails" } ?? "no failure"
        var lines = ["  \(heading) -> returns \(item.returns)"]
        let width = item.steps.compactMap { $0.resource?.description.count }.max() ?? 0
        for step in item.steps {
            lines.append(line(step, width: width, path: path))
        }
        if item.steps.allSatisfy({ $0.action == .fail }) {
            lines.append("    (nothing acquired)")
        }
        if !item.handedOn.isEmpty {
            lines.append("    => caller owns: " + item.handedOn.map(\.description).joined(separator: ", "))
        }
        for problem in item.problems { lines.append("    !! \(problem)") }
        return lines
    }

    /// "    + mapping TRAMPOLINE   mappages(...)   [in proc_pagetable]".
    static func line(_ step: ReferenceStep, width: Int, path: String) -> String {
        guard let resource = step.resource else { return "    x \(step.statement)" }
        let sign = step.action == .acquire ? "+" : "-"
        let name = resource.description
        let padding = String(repeating: " ", count: max(0, width - name.count))
        let shownSite = step.function != path && step.function != CallWindow.callerFrame
        let site = shownSite ? "   [in \(step.function)]" : ""
        let before = step.heldBeforeCall ? "   (held before the call)" : ""
        return "    \(sign) \(name)\(padding)   \(step.statement)\(site)\(before)"
    }
}
