import Foundation
import KernelModel
import Sv39
import Testing

@Suite("Reference catalogue")
struct ReferenceCatalogueTests {
    @Test("covers every modelled path, every failure point, and every run is clean")
    func coversEverything() throws {
        let references = try ReferenceCatalogue.all()
        #expect(references.map(\.path) == ModelledPath.allCases.map(\.rawValue))
        for reference in references {
            #expect(reference.cases.first?.failurePoint == nil, "\(reference.path) starts with the clean run")
            #expect(reference.cases.count > 1, "\(reference.path) has failure points")
            for item in reference.cases {
                #expect(item.problems.isEmpty, "\(reference.path) \(String(describing: item.failurePoint))")
            }
        }
    }

    @Test("proc_pagetable's second-mapping failure: unmap TRAMPOLINE, then free the table")
    func procPagetableSecondMapping() throws {
        let reference = try ReferenceCatalogue.reference(for: .procPagetable)
        let item = try #require(reference.cases.first { $0.failurePoint == .operation("mappages", occurrence: 2) })
        #expect(item.returns == "0")
        #expect(item.steps.map(\.action) == [.acquire, .acquire, .fail, .release, .release])
        #expect(item.releases.map(\.statement) == ["uvmunmap(pagetable, TRAMPOLINE, 1, 0)", "uvmfree(pagetable, 0)"])
        #expect(item.handedOn.isEmpty)
    }

    @Test("uvmalloc's reference frees the unmapped page, then unmaps the mapped ones top down")
    func uvmallocUnwinding() throws {
        let reference = try ReferenceCatalogue.reference(for: .uvmalloc(oldSize: 0x1000, newSize: 0x3000))
        let item = try #require(reference.cases.first { $0.failurePoint == .operation("mappages", occurrence: 2) })
        #expect(item.releases.map(\.statement) == [
            "kfree(mem)", "uvmunmap(pagetable, 0x1000, 1, 1)", "kfree((void*)pa)",
        ])
        let clean = try #require(reference.cases.first)
        #expect(clean.handedOn.map(\.description) == ["page mem@0x1000", "mapping 0x1000", "page mem@0x2000", "mapping 0x2000"])
    }

    @Test("the text rendering of proc_pagetable reads as the C cleanup ladder")
    func textRendering() throws {
        let text = ReferenceTextRenderer.render(try ReferenceCatalogue.reference(for: .procPagetable))
        #expect(text == """
            proc_pagetable: pagetable = proc_pagetable(p)
              setup: proc slot 0 with its trapframe page
              no failure -> returns pagetable
                + pagetable pagetable   pagetable = uvmcreate()
                + mapping TRAMPOLINE    mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R|PTE_X)
                + mapping TRAPFRAME     mappages(pagetable, TRAPFRAME, PGSIZE, (uint64)(p->trapframe), PTE_R|PTE_W)
                => caller owns: pagetable pagetable, mapping TRAMPOLINE, mapping TRAPFRAME
              allocation #1 fails -> returns 0
                x kalloc() in uvmcreate() ← proc_pagetable()
                (nothing acquired)
              allocation #2 fails -> returns 0
                + pagetable pagetable   pagetable = uvmcreate()
                x kalloc() in walk() ← mappages() ← proc_pagetable()
                - pagetable pagetable   uvmfree(pagetable, 0)
              allocation #3 fails -> returns 0
                + pagetable pagetable   pagetable = uvmcreate()
                x kalloc() in walk() ← mappages() ← proc_pagetable()
                - pagetable pagetable   uvmfree(pagetable, 0)
              mappages #1 fails -> returns 0
                + pagetable pagetable   pagetable = uvmcreate()
                x mappages() in proc_pagetable()
                - pagetable pagetable   uvmfree(pagetable, 0)
              mappages #2 fails -> returns 0
                + pagetable pagetable   pagetable = uvmcreate()
                + mapping TRAMPOLINE    mappages(pagetable, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_R|PTE_X)
                x mappages() in proc_pagetable()
                - mapping TRAMPOLINE    uvmunmap(pagetable, TRAMPOLINE, 1, 0)
                - pagetable pagetable   uvmfree(pagetable, 0)

            """)
    }

    @Test("references round-trip through JSON, with flat failure points")
    func jsonRoundTrip() throws {
        let references = try ReferenceCatalogue.all()
        let data = try JSONEncoder().encode(references)
        #expect(try JSONDecoder().decode([PathReference].self, from: data) == references)
        let point = String(decoding: try JSONEncoder().encode(FailurePoint.operation("mappages", occurrence: 2)),
                           as: UTF8.self)
        #expect(point.contains("\"kind\":\"operation\"") && point.contains("\"name\":\"mappages\"")
            && point.contains("\"index\":2"))
    }
}
