import KernelModel
import Sv39
import Testing

/// For every modelled path and every failure point (each allocation, each injectable
/// operation), the run must end with the live frames back where they started, no double or
/// invalid free, no freewalk on a leaf, no panic, and an unwinding that releases exactly
/// in the reverse of acquisition.
@Suite("Exhaustive failure injection")
struct ExhaustiveFailureTests {
    static let scenarios: [PathScenario] = PathScenario.standard + [
        .mappages(va: 0, pages: 1),
        .uvmalloc(oldSize: 0, newSize: 0x1000),
        .uvmalloc(oldSize: 0x1800, newSize: 0x5234),
        .uvmcopy(size: 0x1800),
        .allocproc(busySlots: 2),
        .fork(parentSize: 0),
        .fork(parentSize: 0x3000),
        .exec(program: program([(1, 0, 0x1000, [.readable, .executable]), (2, 1, 0x1100, [.readable, .writable])]),
              arguments: ["sh", "-c", "echo"], oldSize: 0x2000),
        .exec(program: .standardExample, arguments: [], oldSize: 0),
    ]

    @Test("every failure point of every path unwinds completely and in reverse", arguments: scenarios)
    func everyFailurePoint(scenario: PathScenario) throws {
        let runs = try FailureExplorer().explore(scenario)
        let clean = try #require(runs.first)
        #expect(clean.outcome == .succeeded)
        #expect(runs.count == 1 + clean.reachablePoints.count)
        #expect(clean.reachablePoints.contains(.allocation(1)))

        for run in runs {
            let point = run.plan.points.first.map(\.description) ?? "no failure"
            #expect(run.problems.isEmpty, "\(point): \(run.problems)")
            #expect(run.liveFramesAtEnd == run.liveFramesAtStart, "\(point)")
            #expect(run.allocatorErrors.isEmpty, "\(point)")
            #expect(!run.panics.contains { $0.message == "freewalk: leaf" }, "\(point)")
            #expect(run.heldAtEnd.isEmpty, "\(point)")
        }
        for run in runs.dropFirst() {
            let point = run.plan.points.first.map(\.description) ?? "?"
            #expect(run.outcome.failed, "\(point)")
            #expect(run.firedPoints == Array(run.plan.points), "\(point)")
            #expect(unwindingIsExactReverse(run), "\(point): \(run.events[run.callEvents].map(\.description))")
            // Nothing the failed call acquired outlives it.
            let released = Set(run.releases.map(\.instance))
            #expect(run.acquisitions.allSatisfy { released.contains($0.instance) }, "\(point)")
        }
    }

    @Test("exact reverse: on a failure the call's releases are its acquisitions reversed",
          arguments: [PathScenario.procPagetable, .uvmalloc(oldSize: 0x1000, newSize: 0x3000), .uvmcopy(size: 0x2000),
                      .allocproc(busySlots: 0), .exec(program: .standardExample, arguments: ["init"], oldSize: 0x1000)])
    func releasesReverseAcquisitions(scenario: PathScenario) throws {
        for run in try FailureExplorer().explore(scenario).dropFirst() {
            #expect(run.releases.map(\.instance) == run.acquisitions.map(\.instance).reversed(),
                    "\(run.plan.points)")
        }
    }
}

extension PathScenario: CustomTestStringConvertible {
    public var testDescription: String { call }
}
