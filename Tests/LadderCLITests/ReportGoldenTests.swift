import Foundation
import LadderTestSupport
import Testing

/// Every report format as `ladder lint` really prints it over real fixtures, against files in
/// Goldens/ (re-bless with `LADDER_BLESS=1`); the JSON and SARIF goldens validated against
/// their schemas; `-o FILE`; and GitHub's escaping on a real finding.
///
/// The inputs give findings of all four rules, two `invalid-suppression` warnings (a stale
/// suppression and an unknown rule, while a third suppression silences a real leak) and a
/// file that does not parse, so every part of every format is exercised: errors, warnings,
/// fixes, paths, processing errors.
@Suite struct ReportGoldenTests {
    static let inputs = [
        "fixtures/checks/missing-release/proc_pagetable_no_unmap.c",
        "fixtures/checks/release-order/kfree_while_mapped.c",
        "fixtures/checks/double-release/exec_bad_no_ip_reset.c",
        "fixtures/checks/release-unacquired/sys_open_unguarded_fileclose.c",
        "fixtures/reports",  // broken.c (does not parse) and suppressed.c, walked as a directory
    ]
    /// The summary line, up to its timing.
    static let summary = "ladder: 5 files, 6 functions, 6 findings (4 errors, 2 warnings), 1 processing error, "

    static func arguments(_ format: String) -> [String] {
        var arguments = ["lint"] + inputs + ["--rules", "xv6", "--format", format]
        switch format {
        case "text": arguments += ["--color", "never"]
        // A fixed rules document: the default is this checkout's path, which differs by machine.
        case "sarif": arguments += ["--root", CLI.root, "--rules-doc", "https://example.org/ladder/rules.md"]
        default: break
        }
        return arguments
    }

    static func golden(_ format: String) -> String {
        switch format {
        case "text": "fixtures.txt"
        case "github": "fixtures.github.txt"
        default: "fixtures.\(format)"
        }
    }

    /// What varies between runs and machines: timings, and SARIF's absolute base URI.
    static func normalise(_ report: String) -> String {
        report
            .replacing(/^(ladder: .*, )[0-9]+\.[0-9]+s$/.anchorsMatchLineEndings()) { "\($0.1)0.00s" }
            .replacing(/"(seconds|parse|lower|analyse)": -?[0-9][0-9.eE+-]*/) { "\"\($0.1)\": 0" }
            .replacing(/"ROOT": \{"uri": "file:[^"]*"\}/) { _ in #""ROOT": {"uri": "file:///REPOSITORY/"}"# }
    }

    /// The binary under test is the one built with this test bundle.
    @Test func binaryIsBesideTheTestBundle() throws {
        let products = try #require(CLI.productsDirectory, "no .xctest bundle found among \(Bundle.allBundles.map(\.bundlePath))")
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary))
        if ProcessInfo.processInfo.environment["LADDER_BINARY"] == nil {
            #expect(CLI.binary == products.appendingPathComponent("ladder").path)
        }
    }

    @Test(arguments: ["text", "json", "sarif", "github"])
    func golden(format: String) throws {
        let run = try CLI.run(Self.arguments(format))
        // broken.c was not checked: untrusted, whatever the findings (--allow-incomplete: 1).
        #expect(run.status == 2, "a file that did not parse exits 2; stderr: \(run.err)")
        let report = Self.normalise(run.out)
        if format == "text" {
            #expect(run.out.split(separator: "\n").last?.hasPrefix(Self.summary) == true, "text ends with the summary on stdout")
        } else {
            #expect(run.err.contains(Self.summary), "the summary goes to stderr for \(format): \(run.err)")
            #expect(!run.out.contains("ladder: 5 files"), "the summary stays out of the \(format) report")
        }
        #expect(!report.contains(CLI.root), "an absolute path of this machine leaked into the \(format) report")
        try CLI.assertGolden(report, named: Self.golden(format))
    }

    /// The fixed inputs keep covering what this suite is for.
    @Test func inputsCoverEveryRuleAnErrorAndASuppression() throws {
        let run = try CLI.run(Self.arguments("json"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        let rules = findings.compactMap { $0["rule"] as? String }
        #expect(Set(rules) == ["missing-release", "release-order", "double-release", "release-unacquired", "invalid-suppression"])
        #expect(rules.count { $0 == "invalid-suppression" } == 2)
        #expect(!findings.contains { $0["function"] as? String == "accepted_leak" }, "the suppressed leak is reported")
        let errors = try #require(json["errors"] as? [[String: Any]])
        #expect(errors.map { $0["file"] as? String } == ["fixtures/reports/broken.c"])
    }

    @Test func jsonGoldenMatchesSchema() throws {
        let errors = try JSONSchemaCheck.errors(documentAt: CLI.goldens.appendingPathComponent("fixtures.json").path,
                                                schemaAt: JSONSchemaCheck.jsonReportSchema)
        #expect(errors.isEmpty, "fixtures.json against docs/json-report.schema.json:\n\(errors.joined(separator: "\n"))")
    }

    @Test(.enabled(if: JSONSchemaCheck.sarifSchemaAvailable, "needs ../shared/schemas/sarif-schema-2.1.0.json beside the package"))
    func sarifGoldenMatchesSchema() throws {
        let errors = try JSONSchemaCheck.errors(documentAt: CLI.goldens.appendingPathComponent("fixtures.sarif").path,
                                                schemaAt: JSONSchemaCheck.sarifSchema)
        #expect(errors.isEmpty, "fixtures.sarif against the SARIF 2.1.0 schema:\n\(errors.joined(separator: "\n"))")
    }

    /// With `--root` at the repository, every artifact is relative to `ROOT`, as GitHub code
    /// scanning needs to place results in the checkout.
    @Test func sarifURIsAreRelativeToTheRoot() throws {
        let text = try String(contentsOf: CLI.goldens.appendingPathComponent("fixtures.sarif"), encoding: .utf8)
        var artifacts: [[String: Any]] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let artifact = object["artifactLocation"] as? [String: Any] { artifacts.append(artifact) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try JSONSerialization.jsonObject(with: Data(text.utf8)))
        #expect(artifacts.count > 20)
        for artifact in artifacts {
            let uri = artifact["uri"] as? String ?? ""
            #expect(uri.hasPrefix("fixtures/") && artifact["uriBaseId"] as? String == "ROOT", "\(artifact)")
        }
    }

    // MARK: - -o FILE

    /// `-o` writes exactly the format (the summary goes to stderr, nothing to stdout),
    /// replaces an existing file, and leaves no temporary file behind.
    @Test(arguments: ["text", "sarif"])
    func outputFile(format: String) throws {
        let dir = try TemporaryDirectory()
        let target = dir.path("report.\(format)")
        try "old report\n".write(toFile: target, atomically: true, encoding: .utf8)
        let run = try CLI.run(Self.arguments(format) + ["-o", target])
        #expect(run.status == 2, "broken.c was not checked")
        #expect(run.out.isEmpty, "nothing on stdout with -o: \(run.out)")
        #expect(run.err.contains(Self.summary), "the summary still goes to stderr: \(run.err)")
        #expect(dir.entries == ["report.\(format)"], "a temporary file was left behind: \(dir.entries)")

        let written = Self.normalise(try String(contentsOfFile: target, encoding: .utf8))
        let golden = try String(contentsOf: CLI.goldens.appendingPathComponent(Self.golden(format)), encoding: .utf8)
        // The text golden is stdout, which ends with the summary; the file is the report alone.
        let expected = format == "text"
            ? golden.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("ladder: ") }.joined(separator: "\n")
            : golden
        #expect(written == expected, "-o \(format) differs from the golden stdout")
    }

    /// A report that cannot be written is a one-line error and exit 2, with no file at all.
    @Test func unwritableOutputFile() throws {
        let dir = try TemporaryDirectory()
        let run = try CLI.run(Self.arguments("json") + ["-o", dir.path("missing/report.json")])
        #expect(run.status == 2)
        #expect(run.out.isEmpty)
        let errorLines = run.err.split(separator: "\n").filter { !$0.hasPrefix("ladder: ") }
        #expect(errorLines.count == 1 && errorLines[0].contains("missing/report.json"), "\(run.err)")
        #expect(dir.entries.isEmpty)

        let onDirectory = try CLI.run(Self.arguments("json") + ["-o", dir.url.path])
        #expect(onDirectory.status == 2 && onDirectory.err.contains("is a directory"), "\(onDirectory.err)")
    }

    // MARK: - GitHub escaping

    /// A real finding in a file whose name has every character the workflow-command syntax
    /// reserves: one line per finding, `%` `,` `:` escaped in the properties, `%` and newlines
    /// in the message, and everything decodes back to what the JSON report says.
    @Test func githubEscapesARealFinding() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("include"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/include/xv6.h", toPath: dir.path("include/xv6.h"))
        let name = "sub/100% odd, name: a.c"
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/checks/missing-release/proc_pagetable_no_unmap.c",
                                         toPath: dir.path(name))

        let run = try CLI.run(["lint", name, "--format", "github"], in: dir.url.path)
        #expect(run.status == 1, "\(run.err)")
        let lines = run.out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "one command per finding, newline-terminated:\n\(run.out)")
        let command = String(lines[0])
        #expect(command.hasPrefix("::error file=sub/100%25 odd%2C name%3A a.c,line=24,col=5,title=ladder%3A missing-release::"),
                "\(command)")

        let message = try #require(command.split(separator: "::", maxSplits: 2).last.map(String.init))
        #expect(!message.contains("\n") && message.contains("%0A"))
        let decoded = message.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r")
            .replacingOccurrences(of: "%25", with: "%")
        let json = try CLI.run(["lint", name, "--format", "json"], in: dir.url.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let finding = try #require((report["findings"] as? [[String: Any]])?.first)
        let path = (finding["path"] as? [[String: Any]]) ?? []
        let decodedLines = decoded.components(separatedBy: "\n")
        #expect(decodedLines.first == finding["message"] as? String)
        #expect(decodedLines.contains("\(name):21:6: mappages() fails"), "\(decodedLines)")
        #expect(decodedLines.count == 2 + path.count + 1, "message, acquire site, \(path.count) steps, fix: \(decodedLines)")
        #expect(decodedLines.last == "fix: insert 'uvmunmap(pagetable, TRAMPOLINE, 1, 0);' before line 23")
    }
}

/// A fresh directory per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }

    deinit { try? FileManager.default.removeItem(at: url) }
}
