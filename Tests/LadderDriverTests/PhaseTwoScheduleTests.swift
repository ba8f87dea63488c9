import Foundation
import LadderCore
@testable import LadderDriver
import Testing

/// Phase 2 hands each component of the call graph to its walker threads as soon as the
/// components it calls have settled, so the walks finish in whatever order the threads
/// make. None of that may show: every walk's inputs are fixed before it is posted, and the
/// report and the database's figures are those of one thread.
@Suite struct PhaseTwoScheduleTests {
    /// `files` files in a ring, each with a leak, a helper that releases, a function that
    /// calls the next file's helper, and a pair of functions recursing across the file
    /// boundary, so that there are cycles to pass over again beside long chains of calls.
    static func ring(_ files: Int, in scratch: borrowing Scratch) throws {
        for i in 0..<files {
            let next = (i + 1) % files
            try scratch.write("""
                #include "include/xv6.h"
                void put\(next)(char *p);
                int down\(next)(char *p, int n);
                void put\(i)(char *p) { kfree(p); }
                int use\(i)(int n) {
                  char *p;
                  if((p = kalloc()) == 0)
                    return -1;
                  if(n > \(i)) {
                    put\(next)(p);
                    return 0;
                  }
                  if(n < 0)
                    return -1;
                  put\(i)(p);
                  return 0;
                }
                int down\(i)(char *p, int n) {
                  if(n == 0) {
                    put\(i)(p);
                    return 0;
                  }
                  kfree(p);
                  return down\(next)(0, n - 1);
                }
                int leaky\(i)(int n) {
                  char *p = kalloc();
                  if(p == 0)
                    return -1;
                  if(down\(i)(p, n) < 0)
                    return -1;
                  return 0;
                }

                """, to: "ring\(i).c")
        }
    }

    static func run(_ root: String, jobs: Int) throws -> LintOutcome {
        var options = LintOptions.files([root], rules: ["xv6"])
        options.jobs = jobs
        return try LintDriver().run(options)
    }

    @Test("one walker or several, the same findings, errors and figures",
          arguments: ["ring", "fixtures/xv6", "fixtures/crossfile/leak", "fixtures/crossfile/known"])
    func sameWhateverTheThreads(tree: String) throws {
        let scratch = try Scratch()
        let root: String
        if tree == "ring" {
            try Self.ring(12, in: scratch)
            root = scratch.root
        } else {
            root = Repository.path(tree)
        }
        let one = try Self.run(root, jobs: 1)
        #expect(one.report.stats.files > 0)
        if tree == "ring" {
            #expect(!one.report.findings.isEmpty, "the ring leaks in every file")
            let database = try #require(one.database)
            #expect(database.rechecked > database.functions, "the cycle through every file is passed over again")
        }
        for jobs in [2, 4, 4, 8] {
            let many = try Self.run(root, jobs: jobs)
            #expect(many.report.findings == one.report.findings, "-j\(jobs)")
            #expect(many.report.errors == one.report.errors, "-j\(jobs)")
            #expect(many.database == one.database, "-j\(jobs)")
        }
    }
}
