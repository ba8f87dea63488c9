import Foundation

/// Files of the repository the registry is held to: docs and fixtures.
enum RepositoryFiles {
    /// The package root: `Tests/LadderCoreTests/../..`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// The entries of a directory, sorted; empty when it does not exist.
    static func entries(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url(relative).path)) ?? []).sorted()
    }

    static func isDirectory(_ relative: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(relative).path, isDirectory: &directory) && directory.boolValue
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["LADDER_BLESS"] == "1" }
}
