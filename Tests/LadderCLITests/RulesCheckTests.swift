import Foundation
import Testing

/// `ladder rules --check`: 0 for a clean pack, 1 with warnings printed as file:line:col,
/// 2 with the loader's error for a pack that cannot be used.
@Suite final class RulesCheckTests {
    private var written: [String] = []

    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "ladder-pack-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        written.append(path)
        return path
    }

    deinit { for path in written { try? FileManager.default.removeItem(atPath: path) } }

    @Test func exitCodesAndPlaces() throws {
        #expect(try CLI.run(["rules", "--check", "posix"]).status == 0)

        let leaky = try write("""
            name: demo
            kinds:
              heap: memory
            acquire:
              malloc: {kind: heap, success: valid-pointer}
            """)
        let warned = try CLI.run(["rules", "--check", leaky])
        #expect(warned.status == 1)
        #expect(warned.out.contains("\(leaky):5:3: warning: malloc() acquires heap, which no call in the pack releases [acquire-without-release]"),
                "\(warned.out)")

        let invalid = try write("""
            name: demo
            acquire:
              malloc: {kind: heap}
            """)
        let failed = try CLI.run(["rules", "--check", invalid])
        #expect(failed.status == 2)
        #expect(failed.err.contains("\(invalid):3:"), "\(failed.err)")
        #expect(failed.err.contains("unknown resource kind 'heap'"))
    }
}
