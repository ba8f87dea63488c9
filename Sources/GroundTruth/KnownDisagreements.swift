/// Every disagreement between ladder and the runs that is understood, in one place, each
/// with its reason. GroundTruthTests fails on a disagreement not listed here, and on an
/// entry that no longer matches anything (so the list stays true).
public struct KnownDisagreement: Hashable, Sendable, Codable {
    /// A suffix of the fixture's path, e.g. "fixtures/xv6/vm.c".
    public var file: String
    public var function: String
    public var kind: Agreement.Disagreement.Kind
    /// The finding's rule, or the problem's class.
    public var what: String
    public var reason: String
}

public enum KnownDisagreements {
    public static let all: [KnownDisagreement] = [
        KnownDisagreement(
            file: "fixtures/xv6/vm.c", function: "mappages", kind: .missedProblem, what: "held-at-error-exit",
            reason: """
                By contract: mappages leaves the pages it mapped before a failure mapped ("callers that \
                map more than one page must undo themselves"; every caller maps one page). Mapping two \
                pages across a 2 MiB boundary and failing the second level-0 table shows it. ladder \
                reports nothing because mappages installs leaves by storing PTEs, which is not an \
                acquisition it tracks inside mappages itself.
                """),
        KnownDisagreement(
            file: "fixtures/xv6/vm.c", function: "uvmfirst", kind: .outsideTheRules, what: "leak-on-success",
            reason: """
                uvmfirst ignores mappages's result, so when walk cannot allocate a level the page it \
                took leaks. uvmfirst returns void and runs once, at boot, when memory cannot be short \
                (xv6 does the same); the rules judge error exits, and uvmfirst has none.
                """),
        KnownDisagreement(
            file: "fixtures/xv6/vm.c", function: "uvmfirst", kind: .outsideTheRules, what: "null-pointer",
            reason: """
                uvmfirst does not check kalloc's result and memsets address 0 when it fails: a boot-time \
                function that assumes memory (see above); no rule is about unchecked results.
                """),
        KnownDisagreement(
            file: "fixtures/xv6/proc.c", function: "userinit", kind: .outsideTheRules, what: "null-pointer",
            reason: """
                The uvmfirst problem above, reached through userinit: when the allocation for the \
                initcode page fails, uvmfirst memsets address 0. Boot time: memory cannot be short.
                """),
        KnownDisagreement(
            file: "fixtures/xv6/proc.c", function: "userinit", kind: .missedProblem, what: "release-unheld",
            reason: """
                The uvmfirst problem above, seen later: when uvmfirst's mappages fails, userinit still \
                sets p->sz = PGSIZE, so freeing the process unmaps a page that was never mapped \
                (uvmunmap: not mapped) in the caller's teardown. userinit returns void; the mapping \
                it never checks is uvmfirst's, and no path of userinit releases anything twice. \
                Boot time: memory cannot be short.
                """),
        KnownDisagreement(
            file: "fixtures/checks/release-unacquired/ok_allocproc_lock_release.c", function: "start_first_proc",
            kind: .outsideTheRules, what: "null-pointer",
            reason: """
                start_first_proc is userinit written for the case: it calls uvmfirst, whose unchecked \
                kalloc (see fixtures/xv6/vm.c uvmfirst) memsets address 0 when memory is short.
                """),
        KnownDisagreement(
            file: "fixtures/checks/release-unacquired/ok_allocproc_lock_release.c", function: "start_first_proc",
            kind: .missedProblem, what: "release-unheld",
            reason: """
                As for userinit: uvmfirst's ignored mappages failure leaves p->sz = PGSIZE with nothing \
                mapped, and freeing the process then unmaps a page that is not there. The case is about \
                the lock allocproc returns, which it releases correctly.
                """),
    ]

    /// The reason a disagreement is known, or nil.
    public static func explanation(file: String, function: String, kind: Agreement.Disagreement.Kind,
                                   what: String) -> String?
    {
        all.first { file.hasSuffix($0.file) && $0.function == function && $0.kind == kind && $0.what == what }?.reason
    }
}
