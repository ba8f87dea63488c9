import Foundation
import LadderTestSupport
import Testing

/// What the CLI tests share: the repository, the built `ladder`, running it, and goldens.
enum CLI {
    static let root = Repository.root.path

    /// The directory SwiftPM built these tests into, found from the running test bundle:
    /// Linux runs `<products>/ladderPackageTests.xctest` itself; macOS loads the bundle
    /// `<products>/ladderPackageTests.xctest/Contents/MacOS/…` into xctest.
    static let productsDirectory: URL? = {
        var bundles = Bundle.allBundles.map(\.bundleURL)
        if let executable = Bundle.main.executableURL { bundles.append(executable) }
        bundles.append(URL(fileURLWithPath: CommandLine.arguments[0]))
        for url in bundles {
            var candidate = url.resolvingSymlinksInPath()
            while candidate.path != "/", candidate.pathExtension != "xctest" { candidate.deleteLastPathComponent() }
            if candidate.pathExtension == "xctest" { return candidate.deletingLastPathComponent() }
        }
        return nil
    }()

    /// The `ladder` built with these tests: beside the test bundle, whatever `--scratch-path`
    /// was, rather than an assumed `.build/debug` that may hold another build's binary.
    /// `LADDER_BINARY` overrides.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["LADDER_BINARY"], !explicit.isEmpty { return explicit }
        if let products = productsDirectory?.appendingPathComponent("ladder").path,
           FileManager.default.isExecutableFile(atPath: products) {
            return products
        }
        return root + "/.build/debug/ladder"
    }()

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// `XDG_CACHE_HOME` for every run of this test process (`ladder lint` caches by default),
    /// removed when the process exits so that repeated test runs leave nothing in the
    /// temporary directory.
    static let cacheHome: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cli-cache-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLI.cacheHome) }
        return path
    }()

    /// Runs `ladder` in `directory`. Output goes through files, not pipes, so a chatty
    /// stderr cannot fill a pipe and stall the child while stdout is being read.
    static func run(_ arguments: [String], in directory: String = root, executable: String = binary,
                    environment extra: [String: String] = [:]) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        for key in ["LADDER_STAGE", "NO_COLOR", "TERM"] { environment[key] = nil }
        // The default cache is the user's: tests keep theirs in a directory of this test run.
        environment["XDG_CACHE_HOME"] = cacheHome
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   out: try String(contentsOf: outURL, encoding: .utf8),
                   err: try String(contentsOf: errURL, encoding: .utf8))
    }

    // MARK: - Goldens

    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// Compares `actual` with `Goldens/name`; `LADDER_BLESS=1` rewrites it instead.
    static func assertGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.check(actual, against: goldens.appendingPathComponent(name), sourceLocation: sourceLocation)
    }
}
