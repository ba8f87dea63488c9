import Foundation
import LadderCore
import LadderDriver
import Testing

/// fixtures/mining/tree: made-up subsystems whose pairs only the error ladders tell
/// (fixtures/mining/README.md lists them).
@Suite struct PairMiningTests {
    static let tree = Repository.path("fixtures/mining/tree")

    static func mine(minSupport: Int, packs: [String] = ["linux"]) throws -> PairMining.Outcome {
        let options = LintOptions(paths: [tree], compileDatabase: .none, clangArguments: ["-ffreestanding", "-nostdlibinc"],
                                  rulePacks: packs)
        return try PairMining().run(options, minSupport: minSupport)
    }

    static func find(_ outcome: PairMining.Outcome, _ acquire: String, _ release: String) -> [PairCandidate] {
        outcome.candidates.filter { $0.pair.acquire == acquire && $0.pair.release == release }
    }

    @Test func pairsAreMinedWithTheirResourceAndFailureConvention() throws {
        let outcome = try Self.mine(minSupport: 2)
        #expect(outcome.errors.isEmpty)
        #expect(outcome.files == 3)
        let expected: [(String, String, MinedResource, Int, MinedSuccess, [String])] = [
            ("widget_alloc", "widget_free", .result, 0, .validPointer, ["alpha_probe", "alpha_resume", "gamma_setup"]),
            ("gadget_create", "gadget_destroy", .result, 0, .notError, ["beta_probe", "gamma_setup"]),
            ("bus_attach", "bus_detach", .argument(0), 0, .zero, ["alpha_probe", "alpha_resume", "beta_probe", "gamma_attach"]),
            ("port_claim", "port_unclaim", .argument(1), 1, .nonNegative, ["beta_probe", "gamma_setup"]),
        ]
        for (acquire, release, resource, argument, success, functions) in expected {
            let found = Self.find(outcome, acquire, release)
            #expect(found.count == 1, "\(acquire)/\(release): \(found)")
            guard let candidate = found.first else { continue }
            #expect(candidate.pair.resource == resource, "\(acquire)")
            #expect(candidate.pair.releaseArgument == argument, "\(release)")
            #expect(candidate.success == success, "\(acquire)")
            #expect(candidate.functions == functions, "\(acquire)")
        }
        // Nothing else: no logging call, no failed call, no context argument paired.
        #expect(outcome.candidates.count == expected.count, "\(outcome.candidates.map(\.pair))")
        // Sorted by support, most first.
        #expect(outcome.candidates.first?.pair.acquire == "bus_attach")
    }

    @Test func aPairThePackKnowsIsNotPrinted() throws {
        let known = try Self.mine(minSupport: 1)
        #expect(Self.find(known, "kzalloc", "kfree").isEmpty)
        // Without the linux pack the same ladder does show it: the filter, not the miner, hid it.
        let bare = try Self.mine(minSupport: 1, packs: [Repository.path("fixtures/mining/empty.yaml")])
        #expect(Self.find(bare, "kzalloc", "kfree").count == 1)
    }

    @Test func noiseBelowTheMinimumSupportIsNotPrinted() throws {
        #expect(Self.find(try Self.mine(minSupport: 2), "thing_open", "thing_close").isEmpty)
        let once = Self.find(try Self.mine(minSupport: 1), "thing_open", "thing_close")
        #expect(once.map(\.functions) == [["beta_once"]])
        #expect(try Self.mine(minSupport: 5).candidates.isEmpty)
    }

    @Test func theYAMLIsAPackAReviewerCanLoad() throws {
        let outcome = try Self.mine(minSupport: 2)
        let yaml = CandidateYAML.render(outcome.candidates, functions: outcome.functions, files: outcome.files, minSupport: 2)
        #expect(yaml.contains("  widget_alloc: {kind: widget, success: valid-pointer}  # support 3: alpha_probe, alpha_resume, gamma_setup"))
        #expect(yaml.contains("  port_claim: {kind: port, handle: \"{1}\", success: nonnegative}  # support 2: beta_probe, gamma_setup"))
        #expect(yaml.contains("  port_unclaim: {kind: port, handle: \"{1}\"}"))
        #expect(!yaml.contains("thing_open"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mined-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try ("name: mined\n" + yaml).write(toFile: file, atomically: true, encoding: .utf8)
        let pack = try RulePackLoader.load(path: file)
        #expect(pack.acquires["gadget_create"]?.success == .nonNegative)
        #expect(pack.releases["bus_detach"]?.first?.kinds.map(\.name) == ["bus"])
    }
}
