import KernelModel
import Sv39
import Testing

@Suite("proc_pagetable")
struct ProcPagetableTests {
    @Test("maps TRAMPOLINE R-X and TRAPFRAME RW-, neither user-accessible, and frees back to boot")
    func mappingsTranslateThroughTheMMU() throws {
        let kernel = try bootKernel()
        let trapframe = try kernel.kalloc(name: "p->trapframe")
        let pagetable = try kernel.proc_pagetable(slot: 0, trapframe: trapframe.address)
        let root = pagetable.root

        let trampoline = try kernel.supervisorTranslation(XV6Layout.trampoline + 0x10, .fetch, root: root)
        #expect(trampoline.physicalAddress == kernel.trampoline.advanced(by: 0x10))
        #expect(trampoline.leaf.flags.intersection([.readable, .writable, .executable, .user]) == [.readable, .executable])
        #expect(throws: TranslationFault.self) { try kernel.supervisorTranslation(XV6Layout.trampoline, .store, root: root) }

        let frame = try kernel.supervisorTranslation(XV6Layout.trapframe + 8, .store, root: root)
        #expect(frame.physicalAddress == trapframe.address.advanced(by: 8))
        #expect(frame.leaf.flags.intersection([.readable, .writable, .executable, .user]) == [.readable, .writable])
        #expect(throws: TranslationFault.self) { try kernel.supervisorTranslation(XV6Layout.trapframe, .fetch, root: root) }

        #expect(kernel.userFault(XV6Layout.trampoline, .fetch, root: root)?.cause == .instructionPageFault)
        #expect(kernel.userFault(XV6Layout.trapframe, .load, root: root)?.cause == .loadPageFault)

        _ = consume pagetable
        #expect(kernel.allocator.isLive(trapframe.address), "the trapframe is borrowed, not freed by the table")
        _ = consume trapframe
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
        #expect(kernel.panics.isEmpty)
    }

    @Test("TRAMPOLINE and TRAPFRAME share their level-1 and level-0 tables: three allocations in all")
    func sharedInteriorTables() throws {
        let run = try ScenarioRunner().run(.procPagetable)
        #expect(run.reachablePoints == [
            .allocation(1), .allocation(2), .allocation(3),
            .operation("mappages", occurrence: 1), .operation("mappages", occurrence: 2),
        ])
    }

    @Test("the second mapping's failure is reached only by injecting it into that mappages")
    func secondMappingFailureNeedsNamedInjection() throws {
        let runs = try FailureExplorer().explore(.procPagetable)
        let trampoline = ResourceID(kind: .mapping, name: "TRAMPOLINE")
        for run in runs.dropFirst() {
            let mappedTrampoline = run.acquisitions.contains { $0.step.resource == trampoline }
            let isSecondMappages = run.plan.points == [.operation("mappages", occurrence: 2)]
            #expect(mappedTrampoline == isSecondMappages, "\(run.plan.points)")
        }
        let second = try #require(runs.first { $0.plan.points == [.operation("mappages", occurrence: 2)] })
        // Instance #1 is the trapframe page the setup allocated.
        #expect(second.events[second.callEvents].map(\.description) == [
            "acquire #2 pagetable pagetable by pagetable = uvmcreate() in proc_pagetable",
            "acquire #3 mapping TRAMPOLINE by mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R|PTE_X) in proc_pagetable",
            "fail mappages #2: mappages() in proc_pagetable() ← caller()",
            "release #3 mapping TRAMPOLINE by uvmunmap(pagetable, TRAMPOLINE, 1, 0) in proc_pagetable",
            "release #2 pagetable pagetable by uvmfree(pagetable, 0) in proc_pagetable",
        ])
    }
}
