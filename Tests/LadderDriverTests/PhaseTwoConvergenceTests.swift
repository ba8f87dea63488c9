import Foundation
import LadderCore
@testable import LadderDriver
import Testing

/// Phase 2 iterates summaries to a fixed point; it must reach one. The class that kept i40e
/// from settling: a helper that releases through a back pointer (`vsi->back`, the parent)
/// and is reached again through the parent, so that each round composes the summary with
/// itself once more and names a longer path (`{0}->vsi->back->vsi->back->buf`, …) for ever.
@Suite struct PhaseTwoConvergenceTests {
    /// Two structures pointing at each other, as a PF and its VSIs do.
    static let types = """
        #include "include/xv6.h"
        struct pf;
        struct vsi { struct pf *back; };
        struct pf { struct vsi *vsi; char *buf; };

        """

    @Test("recursion through a back pointer across two files settles, with no unsettled function")
    func backPointerAcrossFiles() throws {
        let scratch = try Scratch()
        try scratch.write(Self.types + """
            void vsi_reset(struct vsi *vsi);
            void pf_reset(struct pf *pf, int again) {
              kfree(pf->buf);
              if(again)
                vsi_reset(pf->vsi);
            }

            """, to: "pf.c")
        try scratch.write(Self.types + """
            void pf_reset(struct pf *pf, int again);
            void vsi_reset(struct vsi *vsi) {
              pf_reset(vsi->back, 0);
            }

            """, to: "vsi.c")
        let outcome = try LintDriver().run(.files([scratch.root]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors.map(\.message))")
        #expect(outcome.database?.converged == true)
        #expect((outcome.database?.rounds ?? .max) < FixedPoint.maxRounds)
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings.map(\.message))")
    }

    @Test("recursion through a back pointer between static functions of one file settles")
    func backPointerInOneFile() throws {
        let scratch = try Scratch()
        try scratch.write(Self.types + """
            static void vsi_reset(struct vsi *vsi);
            static void pf_reset(struct pf *pf, int again) {
              kfree(pf->buf);
              if(again)
                vsi_reset(pf->vsi);
            }
            static void vsi_reset(struct vsi *vsi) {
              pf_reset(vsi->back, 1);
            }
            void pf_remove(struct pf *pf) {
              pf_reset(pf, 1);
            }

            """, to: "pf.c")
        let outcome = try LintDriver().run(.files([scratch.root]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors.map(\.message))")
        #expect(outcome.database?.converged == true)
        #expect((outcome.database?.rounds ?? .max) < FixedPoint.maxRounds)
    }

    @Test("what the bound keeps: a caller still sees the helper's own release and is not told of a leak")
    func shortReleaseSurvives() throws {
        let scratch = try Scratch()
        try scratch.write(Self.types + """
            void vsi_reset(struct vsi *vsi);
            void pf_reset(struct pf *pf, int again) {
              kfree(pf->buf);
              if(again)
                vsi_reset(pf->vsi);
            }
            void vsi_reset(struct vsi *vsi) {
              pf_reset(vsi->back, 1);
            }

            """, to: "pf.c")
        try scratch.write(Self.types + """
            void pf_reset(struct pf *pf, int again);
            int pf_fill(struct pf *pf, int fail) {
              char *mem;
              if((mem = kalloc()) == 0)
                return -1;
              pf->buf = mem;
              if(fail){
                pf_reset(pf, 0);
                return -1;
              }
              return 0;
            }

            """, to: "user.c")
        let outcome = try LintDriver().run(.files([scratch.root]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors.map(\.message))")
        #expect(outcome.database?.converged == true)
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings.map(\.message))")
    }

    /// The pack keys that describe a call without making it an acquire or a release still
    /// say ladder knows the call: a resource passed to it is not lent to an unknown borrower.
    @Test("a call the pack knows only by returns, stores, retakes or holds is not opaque",
          arguments: ["returns", "stores", "retakes", "holds"])
    func packKeysAreKnown(_ key: String) {
        var pack = RulePack(name: "t")
        let lock = LockArgument(kinds: [ResourceKind("spinlock")], handle: PathTemplate(.argument(0)))
        switch key {
        case "returns": pack.returns["f"] = PathTemplate(.argument(0))
        case "stores": pack.stores["f"] = StoreRule(value: 1, at: PathTemplate(.argument(0)))
        case "retakes": pack.retakes["f"] = lock
        default: pack.lockQueries["f"] = lock
        }
        #expect(!CallSemantics(pack: pack).isOpaque("f"))
        #expect(CallSemantics(pack: pack).isOpaque("g"))
    }
}
