import Foundation
import Testing

/// The built-in packs validate against rules/rules.schema.json (with Python's jsonschema,
/// which scripts/setup installs), and the schema rejects what the loader rejects.
@Suite struct RulePackSchemaTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    func validate(_ yamlPath: String) throws -> (Int32, String) {
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            pack = yaml.safe_load(open(sys.argv[2]))
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(pack))
            for e in errors: print(list(e.path), e.message)
            sys.exit(1 if errors else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Self.root + "/rules/rules.schema.json", yamlPath]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test(arguments: ["xv6", "linux"])
    func builtInPackValidates(_ name: String) throws {
        let (status, output) = try validate(Self.root + "/rules/\(name).yaml")
        #expect(status == 0, "\(output)")
    }

    @Test func schemaRejectsAnUnknownField() throws {
        let path = NSTemporaryDirectory() + "bad-pack-\(UUID().uuidString).yaml"
        try "name: bad\nacquire:\n  kalloc: {kind: page, sucess: nonzero}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (status, output) = try validate(path)
        #expect(status == 1 && output.contains("sucess"), "\(output)")
    }
}
