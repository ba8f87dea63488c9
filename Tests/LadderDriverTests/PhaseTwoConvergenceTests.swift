import Foundation
import LadderClang
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
        #expect(outcome.database?.widened == 0, "settled by the bound on names, not given up on")
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
        #expect(outcome.database?.widened == 0, "settled by the bound on names, not given up on")
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

    /// The flag writes a summary carries grow up a call chain one level per round (each
    /// helper writes a field through a pointer it read, `hw->back->…`, and so do all its
    /// callees). On the intel drivers that growth outlasted the allowed changes and phase 2
    /// gave up on 130 whole summaries, taking their calls as unseen. Only the writes part
    /// may be given up on (to "any word of any object handed to it"), and the chain's
    /// acquisitions and releases still reach the top caller.
    @Test("flag writes growing up a long chain of helpers settle without giving up on a summary")
    func flagWritesUpAChain() throws {
        let scratch = try Scratch()
        let depth = 8
        let types = Self.types.replacingOccurrences(of: "char *buf;", with: "char *buf; int " + (0..<depth).map { "f\($0)" }.joined(separator: ", ") + ";")
        for level in 0..<depth {
            let next = level + 1 < depth ? "  chain\(level + 1)(v);\n" : ""
            let declaration = level + 1 < depth ? "void chain\(level + 1)(struct vsi *v);\n" : ""
            try scratch.write(types + declaration + """
                void chain\(level)(struct vsi *v) {
                  v->back->f\(level) = 1;
                \(next)}

                """, to: "chain\(level).c")
        }
        try scratch.write(types + """
            void chain0(struct vsi *v);
            int top(struct pf *pf) {
              char *mem;
              if((mem = kalloc()) == 0)
                return -1;
              chain0(pf->vsi);
              return -1;
            }

            """, to: "top.c")
        let outcome = try LintDriver().run(.files([scratch.root]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors.map(\.message))")
        #expect(outcome.database?.converged == true)
        #expect(outcome.database?.widened == 0, "no whole summary given up on")
        #expect(outcome.report.findings.map(\.rule) == [.missingRelease], "the leak after the chain: \(outcome.report.findings.map(\.message))")
    }

    /// The pack keys that describe a call without making it an acquire or a release still
    /// say ladder knows the call: a resource passed to it is not lent to an unknown borrower.
    /// Except `stores`, which keeps its value where the caller reaches it (`isOpaque`).
    @Test("a call the pack knows only by returns, retakes or holds is not opaque; one that stores keeps what it is given",
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
        #expect(CallSemantics(pack: pack).isOpaque("f") == (key == "stores"))
        #expect(CallSemantics(pack: pack).isOpaque("g"))
    }

    /// Widening is what makes phase 2 end whatever the summaries do: a function whose
    /// summary keeps changing (here flipping between two values, as a callee that is opaque
    /// while its summary is empty can make it) is given up on, and then never changes.
    @Test("a summary that keeps changing is widened to the top summary after the allowed changes, and stays there")
    func wideningStops() {
        var widening = Widening()
        let f = FunctionKey(unit: 0, file: "a.c", name: "f")
        let g = FunctionKey(unit: 1, file: "b.c", name: "f")
        let a = FunctionSummary(transfers: [TransferRule(call: "f", argument: 0)])
        for change in 1...Widening.changesAllowed {
            let widened = widening.changed(f)
            #expect(!widened, "change \(change) is allowed")
            #expect(widening.visible(f, computed: change % 2 == 0 ? a : FunctionSummary()) != .top)
        }
        let widened = widening.changed(f)
        #expect(widened)
        #expect(widening.visible(f, computed: a) == .top)
        #expect(widening.visible(f, computed: FunctionSummary()) == .top)
        let again = widening.changed(f)
        #expect(!again, "a widened summary changes no more")
        #expect(widening.visible(g, computed: a) == a, "a static function of the same name elsewhere is not widened")
    }

    @Test("the top summary makes its calls opaque, even to a body seen, and does nothing at the call")
    func topIsOpaque() {
        var table = SummaryTable()
        table.record(.top, for: "f")
        let calls = CallSemantics(pack: RulePack(name: "t"), summaries: table, bodies: ["f"])
        #expect(calls.isOpaque("f"))
        #expect(calls.acquire("f") == nil && calls.releases("f") == nil && calls.transfers("f") == nil)
        #expect(calls.expectations("f").isEmpty)
        #expect(calls.isOpaque("g"), "an unknown name is opaque too")
        #expect(!CallSemantics(pack: RulePack(name: "t"), bodies: ["f"]).isOpaque("f"), "a body seen with no summary is not")
    }

    @Test("summaries drop names that go round a cycle of pointers or run deeper than the bound, and keep the rest")
    func boundedNames() {
        func release(_ steps: [AccessPath.Step]) -> ReleaseRule {
            ReleaseRule(call: "h", kinds: ["kmem"], handle: PathTemplate(.argument(0), steps), nullSafe: false)
        }
        let vsi = AccessPath.Step.field("vsi", arrow: true), back = AccessPath.Step.field("back", arrow: true)
        let buf = AccessPath.Step.field("buf", arrow: true), any = AccessPath.Step.element(nil)
        let once = release([vsi, any, back, buf])
        let twice = release([vsi, any, back, vsi, any, back, buf])
        let grid = release([buf, any, any])
        let deep = release(Array(repeating: [buf, vsi], count: 7).flatMap { $0 }.enumerated().map { i, _ in .field("f\(i)", arrow: true) })
        let summary = FunctionSummary(releases: [once, twice, grid, deep]).bounded()
        #expect(summary.releases == [once, grid])
    }

    /// Three files: `even_put` and `odd_put` call each other across two of them (`even_put`
    /// frees what it is given at the end), and `caller` hands them what it allocated.
    static func writeCycle(_ scratch: borrowing Scratch) throws -> [String] {
        [
            try scratch.write("""
                #include "include/xv6.h"
                void odd_put(char *p, int n);
                void even_put(char *p, int n) {
                  if(n == 0) {
                    kfree(p);
                    return;
                  }
                  odd_put(p, n - 1);
                }

                """, to: "even.c"),
            try scratch.write("""
                #include "include/xv6.h"
                void even_put(char *p, int n);
                void odd_put(char *p, int n) {
                  if(n < 0)
                    return;
                  even_put(p, n - 1);
                }

                """, to: "odd.c"),
            try scratch.write("""
                #include "include/xv6.h"
                void even_put(char *p, int n);
                int caller(int n) {
                  char *p;
                  if((p = kalloc()) == 0)
                    return -1;
                  even_put(p, n);
                  return 0;
                }

                """, to: "caller.c"),
        ]
    }

    @Test("mutual recursion across files is walked again until it settles, and its caller after it once")
    func cycleSettlesBeforeItsCallers() throws {
        let scratch = try Scratch()
        _ = try Self.writeCycle(scratch)
        let outcome = try LintDriver().run(.files([scratch.root]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors.map(\.message))")
        #expect(outcome.database?.converged == true)
        #expect(outcome.report.findings.isEmpty, "even_put frees what it is given: \(outcome.report.findings.map(\.message))")
        let walks = outcome.database?.rechecked ?? 0
        #expect(walks >= 4 && walks <= 7, "the cycle twice or three times, caller once: \(walks)")
    }

    @Test("phase 2 starts from nothing whatever phase 1 wrote: after --phase summarize, a cycle settles as in a cold run")
    func startIndependentOfPhaseOne() throws {
        let scratch = try Scratch()
        let files = try Self.writeCycle(scratch)
        try CacheTests.backdate(files + [scratch.path("include/xv6.h")])
        let cold = try LintDriver().run(.files([scratch.root]))
        // The cache now holds each function checked against its own file: even_put's own
        // check saw odd_put as an unknown call.
        var summarize = CacheTests.options([scratch.root], cache: scratch.path("cache"))
        summarize.phase = .summarize
        _ = try LintDriver().run(summarize)
        let after = try LintDriver().run(CacheTests.options([scratch.root], cache: scratch.path("cache")))
        #expect(after.database?.parsed == 0)
        #expect(after.report.findings == cold.report.findings)
        #expect(after.database?.rounds == cold.database?.rounds)
        #expect(after.database?.widened == cold.database?.widened)
        #expect(after.database?.converged == true)
    }

    @Test("phase 2 starts every function from no check, not from the one phase 1 may have stored")
    func unitStartsUnchecked() {
        // Whether phase 1 checked a function against its own file depends on the run that
        // wrote the entry (sharded or not); where a cycle's passes start must not.
        let local = CheckRecord(inputs: Digest.of("local"), summary: .top, findings: [], errors: [], cost: nil, pathInsensitive: false)
        let record = FunctionRecord(name: "f", location: SourceLocation(file: "a.c", line: 1, column: 1), isStatic: false,
                                    ir: Digest.of("ir"), offset: 0, length: 1, callees: [], noCallerInView: false, local: local)
        let entry = UnitEntry(file: "a.c", inclusions: [], functions: [record], ir: Digest.of("blob"),
                              parseSeconds: 0, lowerSeconds: 0, loweringErrors: [])
        let unit = FixedPoint.Unit(command: CompileCommand(file: "a.c"), key: Digest.of("key"), entry: entry)
        #expect(unit.current == [.unchecked])
    }
}
