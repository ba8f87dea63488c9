import Foundation
import Testing

/// The command line as CI uses it: exit codes, and the baseline flow end to end.
@Suite(.serialized) struct CLIFlowTests {
    static let root = CLI.root

    func ladder(_ arguments: [String], in directory: String = root) throws -> CLI.Run {
        try CLI.run(arguments, in: directory)
    }

    @Test func exitCodes() throws {
        #expect(try ladder(["lint", "fixtures/xv6"]).status == 0)
        #expect(try ladder(["lint", "fixtures/checks/missing-release/proc_pagetable_no_unmap.c"]).status == 1)
        #expect(try ladder(["lint", "fixtures/checks/missing-release/proc_pagetable_no_unmap.c", "--fail-on", "never"]).status == 0)
        let missing = try ladder(["lint", "no/such/dir"])
        #expect(missing.status == 2 && (missing.out + missing.err).contains("no/such/dir"))
        #expect(try ladder(["lint", "fixtures/xv6", "--format", "yaml"]).status == 2)
        #expect(try ladder(["lint", "fixtures/xv6", "--rules", "nope"]).status == 2)
        #expect(try ladder(["explain", "release-order"]).out.contains("release-order"))
    }

    /// Write a baseline on a tree with findings → rerun exits 0 → add a new bug → exits 1
    /// reporting only it → move an old function 20 lines down → still 0.
    @Test func baselineFlow() throws {
        let dir = NSTemporaryDirectory() + "ladder-flow-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/include", withIntermediateDirectories: true)
        let header = try String(contentsOfFile: Self.root + "/fixtures/checks/include/xv6.h", encoding: .utf8)
        try header.write(toFile: dir + "/include/xv6.h", atomically: true, encoding: .utf8)
        let leaky = """
            #include "include/xv6.h"
            int old_leak(void) {
              char *mem;
              if((mem = kalloc()) == 0)
                return -1;
              if(mem[0] == 1)
                return -1;
              kfree(mem);
              return 0;
            }

            """
        try leaky.write(toFile: dir + "/a.c", atomically: true, encoding: .utf8)
        #expect(try ladder(["lint", "a.c"], in: dir).status == 1)
        #expect(try ladder(["lint", "a.c", "--write-baseline", "base.json"], in: dir).status == 0)
        #expect(try ladder(["lint", "a.c", "--baseline", "base.json"], in: dir).status == 0)

        let newBug = """
            int new_lock_leak(struct spinlock *lk, int x) {
              acquire(lk);
              if(x)
                return -1;
              release(lk);
              return 0;
            }

            """
        try (leaky + newBug).write(toFile: dir + "/a.c", atomically: true, encoding: .utf8)
        let withNew = try ladder(["lint", "a.c", "--baseline", "base.json", "--format", "json"], in: dir)
        #expect(withNew.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(withNew.out.utf8)) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        #expect(findings.count == 1 && findings.first?["function"] as? String == "new_lock_leak")

        let moved = "#include \"include/xv6.h\"\n" + String(repeating: "\n", count: 20) + leaky.replacingOccurrences(of: "#include \"include/xv6.h\"\n", with: "")
        try moved.write(toFile: dir + "/a.c", atomically: true, encoding: .utf8)
        #expect(try ladder(["lint", "a.c", "--baseline", "base.json"], in: dir).status == 0)
        #expect(try ladder(["lint", "a.c", "--baseline", "/nonexistent/base.json"], in: dir).status == 2)
    }
}
