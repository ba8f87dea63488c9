import Foundation
import LadderCore
import LadderDriver
import LadderReport
import Testing

/// fixtures/crossfile: a helper that acquires in one file and a caller that leaks in
/// another. Phase 2 checks each function against the summaries of what it calls in any
/// file, so the leak is found with both files in the run, and only then.
@Suite struct CrossFileTests {
    static func fixture(_ name: String) -> String { Repository.path("fixtures/crossfile/" + name) }

    /// The `// expected-error {{…}} [rule]` lines of a fixture, as (line, rule, text).
    static func expectations(in file: String) throws -> [(line: Int, rule: String, text: String)] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            guard let marker = line.range(of: "expected-error {{"),
                  let close = line.range(of: "}}", range: marker.upperBound..<line.endIndex),
                  let open = line.range(of: "[", range: close.upperBound..<line.endIndex),
                  let end = line.range(of: "]", range: open.upperBound..<line.endIndex) else { return nil }
            return (index + 1, String(line[open.upperBound..<end.lowerBound]), String(line[marker.upperBound..<close.lowerBound]))
        }
    }

    /// Lints `directory` and holds the findings to the one `expected-error` marked in `main`.
    static func lintFindsMarked(_ directory: String, marked main: String) throws -> LintOutcome {
        let expected = try expectations(in: main)
        #expect(expected.count == 1)
        let outcome = try LintDriver().run(.files([directory]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.count == expected.count, "\(outcome.report.findings.map(\.message))")
        for e in expected {
            #expect(outcome.report.findings.contains {
                $0.location.file == main && $0.location.line == e.line && $0.rule.rawValue == e.rule && $0.message.contains(e.text)
            }, "no finding for line \(e.line): \(outcome.report.findings.map { "\($0.location): \($0.message)" })")
        }
        return outcome
    }

    @Test("the leak through a helper in another file is found with both files, as marked")
    func leakFound() throws {
        let main = Self.fixture("leak/foo_main.c")
        let outcome = try Self.lintFindsMarked(Self.fixture("leak"), marked: main)
        #expect(outcome.exitStatus == ExitStatus.findings)
    }

    @Test("a helper of another file whose summary is empty keeps nothing: the caller's forgotten brelse is found")
    func emptySummaryElsewhereKeepsNothing() throws {
        let main = Self.fixture("known/bar_main.c")
        _ = try Self.lintFindsMarked(Self.fixture("known"), marked: main)
        // Alone, the helper is a call ladder cannot see into: it may keep the buffer.
        let alone = try LintDriver().run(.files([main]))
        #expect(alone.report.findings.isEmpty, "\(alone.report.findings.map(\.message))")
    }

    @Test("a helper of another file that stores the buffer into a global keeps it: no finding")
    func storingHelperElsewhereKeeps() throws {
        let outcome = try LintDriver().run(.files([Self.fixture("known_kept")]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings.map(\.message))")
    }

    @Test("without the helper's file the caller is checked against nothing, and the leak is unseen")
    func callerAloneSeesNothing() throws {
        let outcome = try LintDriver().run(.files([Self.fixture("leak/foo_main.c")]))
        #expect(outcome.report.stats.files == 1)
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings.map(\.message))")
    }

    @Test("the fixed caller has no finding, with or without the helper's file")
    func cleanVersion() throws {
        for paths in [[Self.fixture("clean")], [Self.fixture("clean/foo_main.c")]] {
            let outcome = try LintDriver().run(.files(paths))
            #expect(outcome.report.findings.isEmpty, "\(paths): \(outcome.report.findings.map(\.message))")
            #expect(outcome.exitStatus == ExitStatus.clean)
        }
    }

    @Test("the order the files are named in does not matter")
    func orderIndependent() throws {
        let files = ["foo_main.c", "foo_hw.c"].map { Self.fixture("leak/" + $0) }
        let forward = try LintDriver().run(.files(files)).report.findings
        let backward = try LintDriver().run(.files(files.reversed())).report.findings
        #expect(forward == backward)
        #expect(forward.count == 1)
    }

    @Test("a summary that depends on another file's summary reaches its callers")
    func chainsAcrossFiles() throws {
        let scratch = try Scratch()
        try scratch.write("""
            #include "include/xv6.h"
            char *inner_alloc(void) {
              char *p;
              if((p = kalloc()) == 0)
                return 0;
              return p;
            }

            """, to: "a.c")
        try scratch.write("""
            #include "include/xv6.h"
            char *inner_alloc(void);
            char *outer_alloc(void) {
              char *q;
              if((q = inner_alloc()) == 0)
                return 0;
              return q;
            }

            """, to: "b.c")
        try scratch.write("""
            #include "include/xv6.h"
            char *outer_alloc(void);
            int use(int fail) {
              char *r;
              if((r = outer_alloc()) == 0)
                return -1;
              if(fail)
                return -1;
              kfree(r);
              return 0;
            }

            """, to: "c.c")
        let outcome = try LintDriver().run(.files([scratch.root]))
        #expect(outcome.report.findings.map(\.location.line) == [8], "\(outcome.report.findings.map(\.message))")
        #expect(outcome.report.findings.first?.location.file.hasSuffix("c.c") == true)
        #expect(outcome.database?.converged == true)
        // Callees first: each function walked once, `outer_alloc` after inner_alloc's summary
        // is made, and `use`, which nothing calls, with the settled summaries.
        #expect(outcome.database?.rechecked == 3)
    }

    @Test("a summary reached only through a recursive call settles in a later round")
    func recursionSettles() throws {
        let scratch = try Scratch()
        // Callees first, as the analysis takes them: g before f (the call back to f closes
        // the cycle), so g is first checked knowing nothing of f, and returns nothing held.
        try scratch.write("""
            #include "include/xv6.h"
            char *g(int n);
            char *f(int n) {
              char *p;
              if(n > 0)
                return g(n - 1);
              if((p = kalloc()) == 0)
                return 0;
              return p;
            }
            char *g(int n) {
              return f(n);
            }
            int user(int fail) {
              char *q;
              if((q = g(3)) == 0)
                return -1;
              if(fail)
                return -1;
              kfree(q);
              return 0;
            }

            """, to: "r.c")
        let outcome = try LintDriver().run(.files([scratch.path("r.c")]))
        #expect(outcome.report.findings.map(\.function) == ["user"], "\(outcome.report.findings.map(\.message))")
        #expect(outcome.report.findings.first?.location.line == 19)
        #expect(outcome.database?.converged == true)
    }

    @Test("boot code: what only main() reaches, over every file, is not held to unchecked-acquire; a helper a system call also reaches is")
    func bootOnlyCode() throws {
        let vm = Self.fixture("boot/boot_vm.c")
        let text = try String(contentsOfFile: vm, encoding: .utf8)
        let marked = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains("expected-warning {{") }.map { $0.offset + 1 }
        #expect(marked.count == 1)
        let outcome = try LintDriver().run(.files([Self.fixture("boot")]))
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.map(\.location.line) == marked, "\(outcome.report.findings.map { "\($0.location): \($0.message)" })")
        #expect(outcome.report.findings.allSatisfy { $0.rule == .uncheckedAcquire && $0.function == "zeroed_page" })
        // Without main()'s file no caller is in view: every unchecked allocation is reported.
        let alone = try LintDriver().run(.files([vm]))
        #expect(Set(alone.report.findings.map(\.function)) == ["make_kernel_table", "first_user_page", "zeroed_page"])
    }

    @Test("boot code: a file that fails to parse is read for the names it spells, and what it may call is judged as usual")
    func bootCodeBesideUnparsedFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-boot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["boot.h", "boot_main.c", "boot_vm.c", "boot_sys.c"] {
            let text = try String(contentsOfFile: Self.fixture("boot/" + name), encoding: .utf8)
                .replacingOccurrences(of: "../../checks/include/", with: Repository.path("fixtures/checks/include") + "/")
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        try "#include \"boot.h\"\nvoid late(void) { kernel_tables_init() }\n".write(toFile: dir + "/broken.c", atomically: true, encoding: .utf8)
        let outcome = try LintDriver().run(.files([dir]))
        #expect(outcome.report.errors.contains { $0.file.hasSuffix("broken.c") })
        // kernel_tables_init() may be called late: it and its static helpers are judged.
        #expect(Set(outcome.report.findings.map(\.function)) == ["make_kernel_table", "first_user_page", "zeroed_page"],
                "\(outcome.report.findings.map { "\($0.function): \($0.message)" })")
    }
}
