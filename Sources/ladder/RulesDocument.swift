import Foundation

/// Where docs/rules.md is, for links from a rule id to its section (SARIF `helpUri`, the
/// language server's `codeDescription`).
enum RulesDocument {
    /// docs/rules.md as a `file:` URI: the package's copy (`/usr/share/doc/ladder`, found
    /// from the binary's own prefix so an unpacked package works too), else the source
    /// checkout's the binary was built in (`.build/<triple>/debug/ladder`).
    /// Looked up once per process: it probes the file system.
    static let installed: String? = {
        let binary = URL(fileURLWithPath: FileWorkerCommand.executable).resolvingSymlinksInPath()
        var directory = binary.deletingLastPathComponent()
        for _ in 0..<5 {
            for candidate in ["share/doc/ladder/rules.md", "docs/rules.md"] {
                let file = directory.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: file.path) { return file.absoluteString }
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    static let optionHelp = "The URI rule ids link to (SARIF helpUri, editors; the rule id is appended as the fragment). Default: the installed or checked-out docs/rules.md."
}
