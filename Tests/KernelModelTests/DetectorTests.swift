import KernelModel
import Sv39
import Testing

/// The oracle must catch wrong cleanup, not only bless right cleanup.
@Suite("Detecting wrong cleanup")
struct DetectorTests {
    @Test("freeing a table that still holds a leaf is xv6's panic(\"freewalk: leaf\"), and the table leaks visibly")
    func freewalkOnLeaf() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        let mapping = try kernel.mappages(table, va: 0, size: pageSize, physical: kernel.trampoline,
                                         permissions: [.readable])
        _ = consume table  // too early: the mapping is still there
        #expect(kernel.panics.map(\.message) == ["freewalk: leaf"])
        #expect(kernel.allocator.liveFrameCount == framesAtBoot + 3)
        _ = consume mapping
        #expect(kernel.allocator.liveFrameCount == framesAtBoot + 3, "the leaked table stays leaked")
    }

    @Test("mapping over a valid leaf is xv6's panic(\"mappages: remap\")")
    func remap() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        let first = try kernel.mappages(table, va: 0x1000, size: pageSize, physical: kernel.trampoline, permissions: [.readable])
        #expect(throws: KernelError.panic(KernelPanic("mappages: remap", detail: "va 0x1000"))) {
            _ = try kernel.mappages(table, va: 0x1000, size: pageSize, physical: kernel.trampoline, permissions: [.readable])
        }
        _ = consume first
        _ = consume table
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
    }

    @Test("the release-order check reports releases that are not the reverse of acquisition")
    func disciplineFindsOutOfOrderReleases() {
        func step(_ kind: ResourceKind, _ name: String) -> ResourceStep {
            ResourceStep(resource: ResourceID(kind: kind, name: name), call: "c", statement: "s", function: "f")
        }
        let table = step(.pagetable, "pagetable"), mapping = step(.mapping, "TRAMPOLINE")
        let swapped: [ResourceEvent] = [
            .acquire(instance: 1, table), .acquire(instance: 2, mapping),
            .release(instance: 1, table), .release(instance: 2, mapping),
        ]
        #expect(ReleaseDiscipline.violations(in: swapped, stretch: 0..<4, failed: true)
            == [.releasedBeforeLaterAcquisition(released: table, stillHeld: mapping.resource)])

        let forgotten = Array(swapped.prefix(2)) + [.release(instance: 1, table)]
        #expect(ReleaseDiscipline.violations(in: forgotten, stretch: 0..<3, failed: true).contains(
            .heldAfterFailure(mapping.resource)))

        let olderFirst: [ResourceEvent] = [
            .acquire(instance: 1, table), .acquire(instance: 2, mapping),
            .release(instance: 1, table), .release(instance: 2, mapping),
        ]
        #expect(ReleaseDiscipline.violations(in: olderFirst, stretch: 2..<4, failed: false)
            == [.olderReleasedFirst(released: mapping, after: table.resource)])

        let right: [ResourceEvent] = [
            .acquire(instance: 1, table), .acquire(instance: 2, mapping),
            .release(instance: 2, mapping), .release(instance: 1, table),
        ]
        #expect(ReleaseDiscipline.violations(in: right, stretch: 0..<4, failed: true).isEmpty)
    }

    @Test("a run whose planned failure point is never reached is reported")
    func unreachedPointIsAProblem() throws {
        let run = try ScenarioRunner().run(.uvmcreate, plan: .failAllocation(2))
        #expect(run.problems == ["planned failure allocation #2 was never reached"])
    }
}
