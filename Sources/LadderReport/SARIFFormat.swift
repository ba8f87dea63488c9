import LadderCore

/// SARIF 2.1.0, shaped for GitHub code scanning and SARIF viewers in editors.
///
/// One run; one result per finding. The acquire site is the result's related location 1,
/// the path is its code flow (the viewer steps through it), the line-independent
/// fingerprint is a partial fingerprint (so code scanning keeps an alert open, rather than
/// closing and reopening it, when lines above move), and files that could not be processed
/// are tool execution notifications (so a partial run is visible where the results are).
/// URIs are relative to `--root` through `originalUriBaseIds`, as code scanning requires.
///
/// Regions are the statements' extents (start and end, `endColumn` exclusive as SARIF
/// defines it). SARIF has no byte columns: the run declares `columnKind: utf16CodeUnits`
/// (SARIF's default, said explicitly so no viewer guesses) and byte columns are converted
/// with each file's text, read from disk when the report is rendered. A file that cannot be
/// read then keeps byte columns, which are right on ASCII lines only. Each rule's `helpUri`
/// is its section of docs/rules.md where the run says that document is (`--rules-doc`, by
/// default the installed copy; docs/ci.md); each rule's `help` carries the same text, so a
/// viewer that cannot follow the link still shows it.
struct SARIFFormat {
    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    static let fingerprintKey = "ladderFingerprint/v1"

    var options: RenderOptions
    private let paths: ArtifactPaths
    /// The text of each file the findings name, for UTF-16 columns (`render` reads them).
    private var texts: [String: SourceLines] = [:]

    init(options: RenderOptions) {
        self.options = options
        self.paths = ArtifactPaths(root: options.root, workingDirectory: options.workingDirectory)
    }

    func render(_ report: Report) -> String {
        var format = self
        format.texts = Self.texts(of: report, in: options.workingDirectory)
        return format.document(report)
    }

    private func document(_ report: Report) -> String {
        let run: JSONValue = .object([
            ("tool", .object([("driver", driver)])),
            ("automationDetails", .object([("id", .string(options.category + "/"))])),
            ("originalUriBaseIds", .object([(ArtifactPaths.baseID, .object([("uri", .string(paths.rootURI))]))])),
            ("columnKind", .string("utf16CodeUnits")),
            ("invocations", .array([invocation(report)])),
            ("results", .array(report.findings.map(result))),
        ])
        let document: JSONValue = .object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ])
        return document.serialized() + "\n"
    }

    private var driver: JSONValue {
        .object([
            ("name", .string("ladder")),
            ("version", .string(options.toolVersion)),
            ("rules", .array(Registry.rules.map { Self.rule($0, rulesDocument: options.rulesDocument) })),
        ])
    }

    /// docs/rules.md's section for the rule: its heading is the id, so the anchor is too.
    static func helpURI(_ rule: RuleID, document: String) -> String {
        "\(document)#\(rule.rawValue)"
    }

    private static func rule(_ spec: RuleSpec, rulesDocument: String?) -> JSONValue {
        let details = spec.explanation.details
        var fields: [(String, JSONValue)] = [
            ("id", .string(spec.id.rawValue)),
            ("name", .string(pascalCase(spec.id.rawValue))),
            ("shortDescription", .object([("text", .string(spec.summary))])),
            ("fullDescription", .object([("text", .string(details.isEmpty ? spec.summary : details))])),
        ]
        if let rulesDocument { fields.append(("helpUri", .string(helpURI(spec.id, document: rulesDocument)))) }
        return .object(fields + [
            ("help", .object([
                ("text", .string(RuleCatalog.helpText(for: spec))),
                ("markdown", .string(RuleCatalog.helpMarkdown(for: spec))),
            ])),
            ("defaultConfiguration", .object([("level", .string(level(spec.severity)))])),
            ("properties", .object([("tags", .array(spec.tags.map(JSONValue.string)))])),
        ])
    }

    private func invocation(_ report: Report) -> JSONValue {
        let notifications: [JSONValue] = report.errors.map { error in
            .object([
                ("level", .string("error")),
                ("message", .object([("text", .string(error.message))])),
                ("locations", .array([.object([("physicalLocation", physical(error.file, line: error.line, column: nil))])])),
            ])
        }
        // "Successful" means the results can be trusted as a run (exit code 2, ExitStatus, is
        // the untrusted case): something was processed. Per-file failures are notifications.
        return .object([
            ("executionSuccessful", .bool(report.stats.files > 0)),
            ("toolExecutionNotifications", .array(notifications)),
        ])
    }

    private func result(_ f: Finding) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("ruleId", .string(f.rule.rawValue)),
            ("ruleIndex", .int(Registry.index(of: f.rule) ?? 0)),
            ("level", .string(Self.level(f.severity))),
            ("message", .object([("text", .string(f.message))])),
        ]
        var primary: [(String, JSONValue)] = [("physicalLocation", physical(f.location))]
        if !f.function.isEmpty {
            primary.append(("logicalLocations", .array([.object([("name", .string(f.function)), ("kind", .string("function"))])])))
        }
        members.append(("locations", .array([.object(primary)])))
        if let r = f.resource {
            members.append(("relatedLocations", .array([.object([
                ("id", .int(1)),
                ("physicalLocation", physical(r.acquiredAt)),
                ("message", .object([("text", .string("\(r.kind) '\(r.handle)' acquired here by \(r.acquiredBy)()"))])),
            ])])))
        }
        if !f.path.isEmpty {
            let steps: [JSONValue] = f.path.map { step in
                .object([("location", .object([
                    ("physicalLocation", physical(step.location)),
                    ("message", .object([("text", .string(step.message))])),
                ]))])
            }
            members.append(("codeFlows", .array([.object([("threadFlows", .array([.object([("locations", .array(steps))])]))])])))
        }
        members.append(("partialFingerprints", .object([(Self.fingerprintKey, .string(f.fingerprint))])))
        // SARIF's rank (0–100) orders results for viewers; the confidence is in properties.
        members.append(("rank", .double(Self.rank(f.confidence))))
        members.append(("properties", .object([("confidence", .string(f.confidence.rawValue))])))
        if let fix = f.fix, !fix.edits.isEmpty {
            members.append(("fixes", .array([self.fix(fix)])))
        }
        return .object(members)
    }

    static func rank(_ confidence: Confidence) -> Double {
        switch confidence {
        case .high: 90
        case .medium: 60
        case .low: 30
        }
    }

    /// One replacement per edit; an insertion is a replacement of an empty region. Regions
    /// carry line/column (columns in UTF-8 bytes, as clang counts them) and the exact bytes.
    private func fix(_ fix: Fix) -> JSONValue {
        let byFile = Dictionary(grouping: fix.edits, by: \.file).sorted { $0.key < $1.key }
        return .object([
            ("description", .object([("text", .string(TextFormat.describe(fix)))])),
            ("artifactChanges", .array(byFile.map { file, edits in .object([
                ("artifactLocation", artifact(file)),
                ("replacements", .array(edits.map { e in .object([
                    ("deletedRegion", .object([
                        ("startLine", .int(e.start.line)), ("startColumn", .int(e.start.column)),
                        ("endLine", .int(e.end.line)), ("endColumn", .int(e.end.column)),
                        ("byteOffset", .int(e.start.offset)), ("byteLength", .int(e.length)),
                    ])),
                    ("insertedContent", .object([("text", .string(e.replacement))])),
                ]) })),
            ]) })),
        ])
    }

    /// A location with its extent: the region ends where the statement ends.
    private func physical(_ l: SourceLocation) -> JSONValue {
        var members: [(String, JSONValue)] = [("artifactLocation", artifact(l.file))]
        if l.line >= 1 { members.append(("region", .object(region(l.range)))) }
        return .object(members)
    }

    /// SARIF's region in UTF-16 columns; an unknown column (0) leaves the columns out, an
    /// unknown extent (end at the start) the end.
    private func region(_ r: SourceRange) -> [(String, JSONValue)] {
        var region: [(String, JSONValue)] = [("startLine", .int(r.start.line))]
        guard r.start.column >= 1 else { return region }
        region.append(("startColumn", .int(utf16(r.file, r.start))))
        if r.end > r.start {
            region.append(("endLine", .int(r.end.line)))
            region.append(("endColumn", .int(utf16(r.file, r.end))))
        }
        return region
    }

    private func utf16(_ file: String, _ p: SourcePosition) -> Int {
        texts[file]?.utf16Column(line: p.line, byteColumn: p.column) ?? p.column
    }

    /// Every file a finding's locations name, read once.
    private static func texts(of report: Report, in directory: String) -> [String: SourceLines] {
        var files = Set<String>()
        for f in report.findings {
            files.insert(f.location.file)
            if let r = f.resource { files.insert(r.acquiredAt.file) }
            for step in f.path { files.insert(step.location.file) }
        }
        var texts: [String: SourceLines] = [:]
        for file in files { texts[file] = SourceLines(contentsOf: file, relativeTo: directory) }
        return texts
    }

    /// SARIF lines and columns start at 1; an unknown position (0) leaves the region out.
    private func physical(_ file: String, line: Int?, column: Int?) -> JSONValue {
        var members: [(String, JSONValue)] = [("artifactLocation", artifact(file))]
        if let line, line >= 1 {
            var region: [(String, JSONValue)] = [("startLine", .int(line))]
            if let column, column >= 1 { region.append(("startColumn", .int(column))) }
            members.append(("region", .object(region)))
        }
        return .object(members)
    }

    private func artifact(_ file: String) -> JSONValue {
        let (uri, base) = paths.relativeToRoot(file)
        var members: [(String, JSONValue)] = [("uri", .string(uri))]
        if let base { members.append(("uriBaseId", .string(base))) }
        return .object(members)
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    private static func pascalCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
