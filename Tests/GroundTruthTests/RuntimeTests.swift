// Ground truth runs C built for this host as ELF shared libraries: Linux only.
#if os(Linux)
import Foundation
import Sv39
import Testing

@testable import GroundTruth

/// The runtime and the builder, on small libraries written here.
@Suite struct RuntimeTests {
    static func library(_ source: String) throws -> (NativeLibrary, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-gt-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/case.c"
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        let builder = LibraryBuilder(toolchain: try Toolchain.locate(), runtime: try LibraryBuilder.runtimeDirectory(),
                                     workDirectory: dir)
        return (try NativeLibrary(path: try builder.buildStandalone(file, tag: "case")), dir)
    }

    @Test("each run is a child process: a fault, a wild write, a hang and a block are verdicts, not lost runs")
    func isolation() throws {
        let (lib, dir) = try Self.library("""
            #include "gt_runtime.h"
            static char *gt_wild;
            GT_SCENARIO(crashy, "null", "nothing", "crashy()", GT_RET_VOID) { volatile int *p = 0; GT_CALL(*p); }
            GT_SCENARIO(scribble, "wild write", "nothing", "scribble()", GT_RET_VOID)
            {
              // Overwrites this process's own scenario table: only the child's copy.
              extern int ladder_gt_scenario_count(void);
              gt_wild = (char *)&ladder_gt_scenario_count;
              GT_CALL(0);
              for(int i = 0; i < 64; i++) ((volatile char *)gt_wild)[i] = 0;
            }
            GT_SCENARIO(spin, "forever", "nothing", "spin()", GT_RET_VOID) { for(;;) {} }
            GT_SCENARIO(blocks, "sleep", "nothing", "blocks()", GT_RET_VOID) { GT_CALL((gt_would_block("sleep"), 0)); }
            GT_SCENARIO(fine, "fine", "nothing", "fine()", GT_RET_VOID) { GT_CALL(0); }
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func index(_ f: String) -> Int { lib.scenarios.firstIndex { $0.function == f }! }
        let crashy = try lib.run(index("crashy"), plan: .none)
        #expect(crashy.end == .crashed)
        #expect(crashy.events.contains { $0.type == .crash && $0.handle == 0 && $0.detail == "SIGSEGV" })
        let scribble = try lib.run(index("scribble"), plan: .none)
        #expect(scribble.end == .crashed)
        let spin = try lib.run(index("spin"), plan: .none, timeLimit: 0.5)
        #expect(spin.end == .timedOut(seconds: 0.5))
        let blocks = try lib.run(index("blocks"), plan: .none)
        #expect(blocks.end == .blocked)
        #expect(blocks.events.contains { $0.type == .block && $0.detail == "sleep" })
        // This process is intact: its copy of the library still lists every scenario and runs them.
        #expect(lib.scenarios.count == 5)
        let fine = try lib.run(index("fine"), plan: .none)
        #expect(fine.end == .ran)
        #expect(fine.events.contains { $0.type == .returned })
    }

    @Test("panic unwinds to the harness; allocations and named operations fail on plan, inside the call only")
    func panicsAndFailurePoints() throws {
        let (lib, dir) = try Self.library("""
            #include "gt_runtime.h"
            void *kalloc(void);
            void kfree(void *);
            void panic(char *);
            static int twice(void) {
              void *a = kalloc();
              if(a == 0) return -1;
              if(gt_should_fail("thing")) { kfree(a); return -1; }
              void *b = kalloc();
              if(b == 0) { kfree(a); return -1; }
              kfree(b); kfree(a);
              return 0;
            }
            GT_SCENARIO(twice, "plain", "one page before the call", "twice()", GT_RET_NEGATIVE)
            {
              void *setup = kalloc();
              GT_CALL(twice());
              kfree(setup);
            }
            GT_SCENARIO(boom, "panics", "nothing", "boom()", GT_RET_VOID) { GT_CALL((panic("boom"), 0)); }
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exploration = try Explorer.explore(lib, scenario: lib.scenarios.firstIndex { $0.function == "twice" }!)
        let points = exploration.runs.compactMap(\.point)
        #expect(points == [.allocation(1), .allocation(2), .operation("thing", occurrence: 1)])
        for (point, raw) in exploration.runs {
            #expect(raw.end == .ran)
            #expect(raw.leakedFrames.isEmpty)
            let failed = raw.events.first { $0.type == .returned }?.code == 1
            #expect(failed == (point != nil))
            if let point { #expect(raw.injector.fired == [point]) }
        }
        let boom = try lib.run(lib.scenarios.firstIndex { $0.function == "boom" }!, plan: .none)
        #expect(boom.end == .panicked)
        #expect(boom.events.contains { $0.type == .panic && $0.detail == "boom" })
    }

    @Test("a double free and a kfree(0) are reported with the call's line, and the leak of a page")
    func allocatorProblems() throws {
        let (lib, dir) = try Self.library("""
            #include "gt_runtime.h"
            void *kalloc(void);
            void kfree(void *);
            static int doubled(void) {
              char *a = kalloc();
              kfree(a);
              kfree(a);
              return 0;
            }
            static int leaky(void) {
              char *a = kalloc();
              (void)a;
              return -1;
            }
            GT_SCENARIO(doubled, "twice", "nothing", "doubled()", GT_RET_NEGATIVE) { GT_CALL(doubled()); }
            GT_SCENARIO(leaky, "leak", "nothing", "leaky()", GT_RET_NEGATIVE) { GT_CALL(leaky()); }
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runtime = try LibraryBuilder.runtimeDirectory()
        for (index, scenario) in lib.scenarios.enumerated() {
            let exploration = try Explorer.explore(lib, scenario: index)
            var offsets = Set<UInt64>()
            for (_, raw) in exploration.runs {
                for e in raw.events { offsets.formUnion(e.stack) }
                for f in raw.leakedFrames { offsets.formUnion(f.stack) }
            }
            let sites = Symbolizer(toolchain: try Toolchain.locate()).symbolize(offsets, in: lib.path)
            let classifier = RunClassifier(sites: sites, supportPrefixes: [runtime])
            let clean = classifier.classify(exploration.runs[0].raw, point: nil, scenario: scenario)
            if scenario.function == "doubled" {
                #expect(clean.problems.map(\.problem) == [.doubleRelease])
                #expect(clean.problems.first?.line == 7)
            } else {
                #expect(clean.problems.map(\.problem) == [.leak])
                #expect(clean.problems.first?.kind == "page")
                #expect(clean.problems.first?.acquiredLine == 11)
            }
        }
    }

    @Test("only definitions are renamed in the overlay, the calls keep their name")
    func rewriting() throws {
        let source = "int\nmappages(int a)\n{\n  return mappages(a);\n}\n"
        let rewritten = HostedBuilder.renameDefinition(source, function: "mappages", line: 2)
        #expect(rewritten == "int\ngt_real_mappages(int a)\n{\n  return mappages(a);\n}\n")
        // On the line ladder's parse gives, in any style.
        let oneLine = "static int fdalloc(struct file *f)\n{\n  return fdalloc(f);\n}\n"
        #expect(HostedBuilder.renameDefinition(oneLine, function: "fdalloc", line: 1)
                == "static int gt_real_fdalloc(struct file *f)\n{\n  return fdalloc(f);\n}\n")
        #expect(HostedBuilder.renameDefinition(oneLine, function: "fdalloc", line: 2) == nil)
    }

    @Test("Linux-style cases and headers are out of scope; an xv6 tree, or any file of it, is one hosted unit")
    func discovery() throws {
        let root = SharedRun.root + "/fixtures"
        let (units, skipped) = UnitDiscovery.units(for: [
            root + "/checks/missing-release/mutex_held_on_error_return.c",
            root + "/checks/missing-release/proc_pagetable_no_unmap.c",
            root + "/xv6/vm.c", root + "/xv6",
        ])
        #expect(units == [.checksCase(path: root + "/checks/missing-release/proc_pagetable_no_unmap.c"),
                          .hosted(HostedTree(root: root + "/xv6", kernel: root + "/xv6"))])
        #expect(skipped.map(\.path) == [root + "/checks/missing-release/mutex_held_on_error_return.c"])
    }

    @Test("riscv.h's asm statements become calls to the host hart, line for line")
    func hostAssembly() {
        let header = """
            static inline uint64
            r_satp()
            {
              uint64 x;
              asm volatile("csrr %0, satp" : "=r" (x) );
              return x;
            }
            static inline void w_satp(uint64 x) { asm volatile("csrw satp, %0" : : "r" (x)); }
            static inline void sfence_vma() { asm volatile("sfence.vma zero, zero"); }
            static inline void odd() { asm volatile("amoswap.w %0, %1, (%2)" : "=r"(a) : "r"(b), "r"(c)); }
            """
        let (text, unknown) = HostedBuilder.hostAssembly(header)
        #expect(text.contains(#"x = gt_riscv_read("csrr %0, satp");"#))
        #expect(text.contains(#"gt_riscv_write("csrw satp, %0", x);"#))
        #expect(text.contains(#"gt_riscv_exec("sfence.vma zero, zero");"#))
        #expect(text.split(separator: "\n").count == header.split(separator: "\n").count)
        #expect(unknown.map(\.line) == [10])
        #expect(!text.contains("asm"))
    }
}
#endif
