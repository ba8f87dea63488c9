import Foundation

/// Validation of a document against a JSON schema with Python's `jsonschema` (scripts/setup
/// installs it, and PyYAML for YAML documents). The validator class comes from the schema's
/// own `$schema`, and the schema itself is checked first, so a broken schema cannot pass
/// everything.
public enum JSONSchemaCheck {
    /// What `ladder lint --format json` promises (docs/json-report.md).
    public static let jsonReportSchema = Repository.path("docs/json-report.schema.json")
    /// What a rule pack may declare.
    public static let rulePackSchema = Repository.path("rules/rules.schema.json")
    /// The SARIF schema is not committed here: tests use `LADDER_SARIF_SCHEMA`, else a copy in
    /// `shared/schemas/` beside the checkout or beside a directory above it (a git worktree
    /// in a folder of worktrees), when one is there.
    public static let sarifSchema: String = {
        if let explicit = ProcessInfo.processInfo.environment["LADDER_SARIF_SCHEMA"], !explicit.isEmpty { return explicit }
        var directory = Repository.root.deletingLastPathComponent()
        let first = directory.appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json").path
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("shared/schemas/sarif-schema-2.1.0.json").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return first
    }()
    public static var sarifSchemaAvailable: Bool { FileManager.default.fileExists(atPath: sarifSchema) }

    /// The validator's complaints about the file at `document` (JSON, or YAML when it ends in
    /// `.yaml`/`.yml`), as `path/to/field: message`, sorted by path; empty when valid. A
    /// validator that could not run is one complaint, never an empty list.
    public static func errors(documentAt document: String, schemaAt schema: String) throws -> [String] {
        let script = """
            import json, sys
            import jsonschema
            schema = json.load(open(sys.argv[1]))
            if sys.argv[2].endswith((".yaml", ".yml")):
                import yaml
                document = yaml.safe_load(open(sys.argv[2]))
            else:
                document = json.load(open(sys.argv[2]))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            for e in sorted(cls(schema).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
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
        if process.terminationStatus != 0 {
            return ["python3 jsonschema could not validate (status \(process.terminationStatus)): \(text)"]
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// The same for a document held in memory, written to a temporary file first.
    public static func errors(document text: String, extension ext: String = "json", schemaAt schema: String) throws -> [String] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-schema-\(UUID().uuidString).\(ext)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try errors(documentAt: url.path, schemaAt: schema)
    }
}
