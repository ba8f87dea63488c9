/// `missing-release`: an error exit with a resource still held.
///
/// Why it matters: every error path must undo the steps before it. A page left allocated
/// leaks until reboot; a mapping left in a table makes `freewalk` panic on the leaf; a lock
/// held on return deadlocks the next caller.
///
/// Wrong:                                        Right:
///     if(mappages(pt, TRAPFRAME, …) < 0){           if(mappages(pt, TRAPFRAME, …) < 0){
///       uvmfree(pt, 0);                               uvmunmap(pt, TRAMPOLINE, 1, 0);
///       return 0;                                     uvmfree(pt, 0);
///     }                                               return 0;
///                                                   }
///
/// Reported at the `return`, or at the last `goto` on the path (the one entering the
/// cleanup code), with a fix: the release calls to insert, in reverse order of acquisition,
/// before the first early release of something the leaked resource depends on.
///
/// An acquisition into `a[i]` in a loop holds elements `lo..hi` (`ElementSpan`): a partial
/// failure that frees fewer is reported naming what is left ("elements 0..i-1 of bufs[]
/// from kmalloc() are not released on this error path").
///
/// Limits: only error exits are checked (a success path may hand a resource on); element
/// spans assume contiguous indices and compare bounds only over one variable, and a span
/// they cannot follow falls back to one summary resource per site.
extension RuleID {
    public static let missingRelease = RuleID("missing-release")
}

public struct MissingRelease: Check {
    public static let rule = RuleSpec(
        id: .missingRelease,
        severity: .error,
        summary: "an error exit with a resource still held",
        explanation: RuleExplanation(
            details: "On a path that returns the function's error value, a resource acquired earlier on the path is neither released nor handed on. The fix releases it, in reverse order of acquisition, before the exit (or before the first early release of something it depends on).",
            wrong: """
                if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
                  uvmfree(pagetable, 0);
                  return 0;
                }
                """,
            right: """
                if(mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)p->trapframe, PTE_R | PTE_W) < 0){
                  uvmunmap(pagetable, TRAMPOLINE, 1, 0);
                  uvmfree(pagetable, 0);
                  return 0;
                }
                """),
        tags: ["correctness", "resource-leak"],
        check: MissingRelease(), fix: MissingReleaseFix())

    public init() {}

    public func inspect(_ event: AnalysisEvent, in context: CheckContext) -> [Finding] {
        guard case .errorExit(let exit) = event else { return [] }
        return exit.held.map { resource in
            Finding(
                rule: .missingRelease,
                message: Self.message(for: resource),
                function: context.function.name,
                location: Self.location(of: resource, at: exit),
                resource: resource.info,
                path: exit.steps + [PathStep(
                    location: exit.location,
                    message: "returns \(exit.returned.map { "'\($0.text)'" } ?? "") with it still held")])
        }
    }

    /// Elements of a loop's acquisition say which are left (`elements 0..i-1 of bufs[]`).
    static func message(for resource: HeldResource) -> String {
        guard let span = resource.elements, span.isKnown else {
            return "\(resource.kind) from \(resource.acquiredBy)() is not released on this error path"
        }
        let verb = span.lo == span.hi ? "is" : "are"
        return "\(span.phrase) from \(resource.acquiredBy)() \(verb) not released on this error path"
    }

    /// The last `goto` since the acquisition, if any: the leaking path's own rung.
    static func location(of resource: HeldResource, at exit: ExitSnapshot) -> SourceLocation {
        resource.lastGoto ?? exit.location
    }
}

/// The release call the pack names for the leaked resource, with its real arguments,
/// inserted where the finding is or, when something the resource depends on is released
/// earlier on the path, before that release.
struct MissingReleaseFix: FixBuilder {
    func fix(for finding: Finding, from evidence: Evidence) -> Fix? {
        guard case .event(.errorExit(let exit), _) = evidence,
              let resource = exit.held.first(where: {
                  $0.info == finding.resource && MissingRelease.location(of: $0, at: exit) == finding.location
              }),
              let release = resource.fix,
              // One call cannot release a range of elements: that takes a loop, left to the author.
              resource.elements?.isKnown != true else { return nil }
        let early = exit.pendingOrders.filter { $0.dependent.id == resource.id }.map(\.site).min()
        return Fix(insertBefore: early ?? finding.location, text: release + ";\n")
    }
}
