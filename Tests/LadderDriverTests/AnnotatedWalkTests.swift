import LadderClang
import LadderCore
@testable import LadderDriver
import Testing

/// Phase 2 walks each function alone, as phase 1 annotated it with its whole file
/// (`Analyzer.analyse(annotated:)`): what only the whole file shows is on the IR, and is
/// neither lost nor recomputed from the one function in view.
@Suite struct AnnotatedWalkTests {
    /// `dev_fill` is the evidence that `buf` owns a page; `dev_reset` clears it unreleased.
    static let source = """
        #include "include/xv6.h"
        struct dev { char *buf; char *spare; };

        int dev_fill(struct dev *d) {
          char *mem = kalloc();
          if (mem == 0)
            return -1;
          d->buf = mem;
          return 0;
        }

        void dev_reset(struct dev *d) {
          char *old = d->spare;
          kfree(old);
          d->buf = 0;
        }
        """

    @Test("a function walked alone keeps what its whole file said, and is not annotated again")
    func walkedAloneAsAnnotated() throws {
        let scratch = try Scratch()
        let file = try scratch.write(Self.source, to: "dev.c")
        let pack = try RulePackCache().merged(["xv6"])
        let analyzer = Analyzer(pack: pack)
        let raw = try Frontend().load(CompileCommand(file: file)).get().unit
        let cleared = { (result: Analyzer.Result) in
            result.findings.filter { $0.rule == .missingRelease && $0.location.line == 15 }.count
        }
        // The whole file, annotated by the analyser itself: the clear is judged.
        #expect(cleared(analyzer.analyse(raw)) == 1)
        // `dev_reset` alone, as phase 1 stored it: the same.
        let whole = raw.annotated(for: pack)
        let reset = try #require(whole.functions.first { $0.name == "dev_reset" })
        #expect(reset.ownedFields?.map(\.fields) == [["buf"]])
        let alone = TranslationUnit(file: file, functions: [reset])
        #expect(cleared(analyzer.analyse(alone, callers: CallersInView(closed: []), bodies: ["dev_fill", "dev_reset"],
                                         annotated: true)) == 1)
        // Taken as annotated, the IR is read as it is, not annotated again: the same two
        // functions as parsed, before any annotation, show no owned field.
        #expect(cleared(analyzer.analyse(raw, annotated: true)) == 0)
    }
}
