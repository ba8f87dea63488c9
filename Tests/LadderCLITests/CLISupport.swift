import Foundation
import Testing

/// What the CLI tests share: the repository, the built `ladder`, running it, goldens and
/// schema validation.
enum CLI {
    /// The package root: `Tests/LadderCLITests/..`.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

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
    static var recording: Bool { ProcessInfo.processInfo.environment["LADDER_RECORD"] == "1" }

    /// Compares `actual` with `Goldens/name`, or rewrites the golden under `LADDER_RECORD=1`.
    /// A mismatch names the first differing line and leaves the actual text for `diff -u`.
    static func assertGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = goldens.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: goldens, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(url.path); record it with LADDER_RECORD=1", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-actual-\(name)")
        try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let i = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
        Issue.record("""
            \(name) differs from its golden at line \(i + 1):
              expected: \(i < e.count ? e[i] : "<end of file>")
              actual:   \(i < a.count ? a[i] : "<end of file>")
            compare: diff -u \(url.path) \(actualURL.path)
            re-record (if the change is intended): LADDER_RECORD=1 swift test --filter ReportGoldenTests
            """, sourceLocation: sourceLocation)
    }

    // MARK: - Schemas

    static let jsonSchema = root + "/docs/json-report.schema.json"
    /// DESIGN.md: the SARIF schema stays beside the project, in ../shared/schemas.
    static let sarifSchema = URL(fileURLWithPath: root + "/../shared/schemas/sarif-schema-2.1.0.json").standardized.path
    static var sarifSchemaAvailable: Bool { FileManager.default.fileExists(atPath: sarifSchema) }

    /// The validator's complaints about the JSON file at `document` (empty when valid), from
    /// Python's `jsonschema` as in Tests/LadderReportTests/Support.swift. (A test target
    /// cannot import another's helpers, so this is the same check, kept to one script.)
    static func schemaErrors(document: String, schema: String) throws -> [String] {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); document = json.load(open(sys.argv[2]))
            cls = jsonschema.validators.validator_for(schema); cls.check_schema(schema)
            for e in sorted(cls(schema).iter_errors(document), key=lambda e: list(e.absolute_path)):
                print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema, document]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 { return ["python3 jsonschema failed (status \(process.terminationStatus)): \(text)"] }
        return text.split(separator: "\n").map(String.init)
    }
}
