import Foundation
import LadderDriver
import LadderReport
import Synchronization
import Testing

/// Cancellation is asked before each file: once it says stop, no file is started, and the
/// partial report says it is partial.
@Suite struct CancellationTests {
    static let tree = Repository.path("fixtures/xv6")

    static func parseOnly(jobs: Int = 1) -> LintOptions {
        var options = LintOptions.files([tree])
        options.stopAfter = .parse
        options.jobs = jobs
        return options
    }

    @Test("cancelling on the third check stops after two files")
    func stopsEarly() throws {
        let asked = Atomic<Int>(0)
        let frontends = CountingFrontends()
        let cancellation = Cancellation { asked.add(1, ordering: .relaxed).newValue > 2 }
        let outcome = try LintDriver(loaders: frontends).run(Self.parseOnly(), cancellation: cancellation)
        #expect(frontends.count == 2)
        #expect(outcome.files.count == 2)
        #expect(outcome.report.stats.files == 2)
        #expect(outcome.cancelled)
        #expect(outcome.exitStatus == ExitStatus.untrusted, "a partial run must not pass a gate")
    }

    @Test("a run cancelled before it starts loads nothing")
    func cancelledBeforehand() throws {
        let flag = CancellationFlag()
        flag.cancel()
        let frontends = CountingFrontends()
        let outcome = try LintDriver(loaders: frontends).run(Self.parseOnly(jobs: 2), cancellation: flag.cancellation)
        #expect(frontends.count == 0)
        #expect(outcome.files.isEmpty)
        #expect(outcome.cancelled)
    }

    @Test("a run never cancelled covers every file and is not marked cancelled")
    func notCancelled() throws {
        let flag = CancellationFlag()
        let outcome = try LintDriver().run(Self.parseOnly(jobs: 2), cancellation: flag.cancellation)
        #expect(!outcome.cancelled)
        #expect(outcome.files.count >= 15)
        #expect(outcome.exitStatus == ExitStatus.clean)
    }
}
