import Foundation

/// The package checkout the tests run from, found from this file's place in it
/// (`Tests/LadderTestSupport/..`), so tests work whatever the working directory is.
public enum Repository {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `relative` under the root, as a path.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
