import Foundation
import Testing

/// Paths and helpers shared by the tests: goldens, schemas, python3 validation.
enum Support {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let goldens = testsDirectory.appendingPathComponent("Goldens")
    /// The package root: `Tests/LadderReportTests/..`.
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let jsonSchema = packageRoot.appendingPathComponent("docs/json-report.schema.json")
    /// DESIGN.md: the SARIF schema lives beside the project, never in it.
    static let sarifSchema = packageRoot.appendingPathComponent("../shared/schemas/sarif-schema-2.1.0.json").standardized
    static var sarifSchemaAvailable: Bool { FileManager.default.fileExists(atPath: sarifSchema.path) }

    static var recording: Bool { ProcessInfo.processInfo.environment["LADDER_RECORD"] == "1" }

    /// Compares `actual` with the golden file, or rewrites it under `LADDER_RECORD=1`.
    /// A mismatch reports the first differing line with its neighbours and leaves the
    /// actual output next to the golden for `diff -u`.
    static func assertGolden(_ actual: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = goldens.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: goldens, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden \(url.path); run with LADDER_RECORD=1 to record it", sourceLocation: sourceLocation)
            return
        }
        guard expected != actual else { return }
        let actualURL = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-actual-\(name)")
        try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
        Issue.record("""
            \(name) differs from its golden \(firstDifference(expected, actual))
            compare: diff -u \(url.path) \(actualURL.path)
            re-record (if the change is intended): LADDER_RECORD=1 swift test --filter LadderReportTests
            """, sourceLocation: sourceLocation)
    }

    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.components(separatedBy: "\n")
        let a = actual.components(separatedBy: "\n")
        let i = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
        func around(_ lines: [String]) -> String {
            lines[max(0, i - 2)..<min(lines.count, i + 3)].enumerated()
                .map { "  \(max(0, i - 2) + $0.offset + 1)\(max(0, i - 2) + $0.offset == i ? ">" : " ") \($0.element)" }
                .joined(separator: "\n")
        }
        return "at line \(i + 1):\nexpected:\n\(around(e))\nactual:\n\(around(a))"
    }

    /// Validates a JSON document against a JSON schema with Python's `jsonschema` (which
    /// scripts/setup installs). Returns the validator's complaints, empty when valid.
    static func schemaErrors(document: String, schema: URL) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let documentURL = directory.appendingPathComponent("document.json")
        try document.write(to: documentURL, atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            document = json.load(open(sys.argv[2]))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            errors = sorted(cls(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
            for e in errors:
                print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, documentURL.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 {
            return ["python3 jsonschema failed (status \(process.terminationStatus)): \(text)"]
        }
        return text.split(separator: "\n").map(String.init)
    }
}
