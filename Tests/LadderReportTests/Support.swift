import Foundation
import LadderTestSupport
import Testing

/// Where this target's goldens are.
enum Support {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// Compares `actual` with `Goldens/name`; `LADDER_BLESS=1` rewrites it instead.
    static func assertGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.check(actual, against: goldens.appendingPathComponent(name), sourceLocation: sourceLocation)
    }
}
