// Ground truth runs C built for this host as ELF shared libraries: Linux only.
#if os(Linux)
import Foundation
import Testing

@testable import GroundTruth

@Suite struct RendererTests {
    @Test("text: the run beside the finding, with the forced-branch note; JSON round-trips")
    func outputs() throws {
        let report = try SharedRun.get()
        let text = AgreementTextRenderer.render(report)
        #expect(text.contains("proc_pagetable_no_unmap.c\n  proc_pagetable (line 6): 1 scenario"))
        #expect(text.contains("freed-with-mapping mapping a leaf at line 23 (in freewalk)"))
        #expect(text.contains("missing-release at line 24: mapping from mappages() is not released on this error path"))
        #expect(text.contains("confirmed only by forcing mappages to fail"))
        #expect(text.contains("reference (proc_pagetable): 6/6 points match the model"))
        #expect(text.hasSuffix(String(format: "%.1fs\n", report.seconds)))
        let data = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(GroundTruthReport.self, from: data)
        #expect(decoded.totals == report.totals)
        #expect(decoded.version == 1)
    }
}
#endif
