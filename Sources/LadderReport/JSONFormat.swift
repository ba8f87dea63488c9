import LadderCore

/// The version-1 JSON report, documented field by field in
/// docs/json-report.md and checked by docs/json-report.schema.json.
///
/// Keys come in the documented order and every documented key is always present (`null`
/// when it does not apply, such as `fix` on a finding that has none), so consumers can
/// index without probing. New fields may be added in version 1; none is renamed or removed.
struct JSONFormat {
    static let version = 1
    var options: RenderOptions

    func render(_ report: Report) -> String {
        let document: JSONValue = .object([
            ("version", .int(Self.version)),
            ("tool", .object([("name", .string("ladder")), ("version", .string(options.toolVersion))])),
            ("findings", .array(report.findings.map(Self.finding))),
            ("errors", .array(report.errors.map(Self.error))),
            ("notes", .array(report.notes.map(JSONValue.string))),
            ("stats", Self.stats(report.stats)),
        ])
        return document.serialized() + "\n"
    }

    static func finding(_ f: Finding) -> JSONValue {
        .object([
            ("rule", .string(f.rule.rawValue)),
            ("severity", .string(f.severity.rawValue)),
            ("confidence", .string(f.confidence.rawValue)),
            ("message", .string(f.message)),
            ("function", .string(f.function)),
            ("location", location(f.location)),
            ("range", range(f.range)),
            ("resource", f.resource.map(resource) ?? .null),
            ("path", .array(f.path.map { .object([("location", location($0.location)), ("message", .string($0.message))]) })),
            ("fix", f.fix.map(fix) ?? .null),
            ("fingerprint", .string(f.fingerprint)),
        ])
    }

    static func fix(_ fix: Fix) -> JSONValue {
        .object([("insertBefore", location(fix.insertBefore)), ("text", .string(fix.text)),
                 ("summary", .string(fix.summary)), ("edits", .array(fix.edits.map(edit)))])
    }

    static func edit(_ e: TextEdit) -> JSONValue {
        func position(_ p: TextPosition) -> JSONValue { .object([("line", .int(p.line)), ("column", .int(p.column)), ("offset", .int(p.offset))]) }
        return .object([("file", .string(e.file)), ("kind", .string(e.kind.rawValue)), ("start", position(e.start)),
                        ("end", position(e.end)), ("replacement", .string(e.replacement))])
    }

    static func resource(_ r: ResourceInfo) -> JSONValue {
        .object([
            ("kind", .string(r.kind)),
            ("handle", .string(r.handle)),
            ("acquiredBy", .string(r.acquiredBy)),
            ("acquiredAt", location(r.acquiredAt)),
        ])
    }

    static func location(_ l: SourceLocation) -> JSONValue {
        .object([("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))])
    }

    /// Half-open, in the location's file, columns in bytes (docs/json-report.md).
    static func range(_ r: SourceRange) -> JSONValue {
        func position(_ p: SourcePosition) -> JSONValue { .object([("line", .int(p.line)), ("column", .int(p.column))]) }
        return .object([("start", position(r.start)), ("end", position(r.end))])
    }

    static func error(_ e: ProcessingError) -> JSONValue {
        .object([("file", .string(e.file)), ("line", .intOrNull(e.line)), ("message", .string(e.message))])
    }

    /// Timings are rounded to the millisecond: finer digits are noise, and they would make
    /// every report differ from the last.
    static func stats(_ s: Stats) -> JSONValue {
        func ms(_ t: Double) -> JSONValue { .double((t * 1000).rounded() / 1000) }
        return .object([
            ("files", .int(s.files)),
            ("functions", .int(s.functions)),
            ("seconds", ms(s.seconds)),
            ("pathInsensitiveFunctions", .int(s.pathInsensitiveFunctions)),
            ("phases", .object([
                ("parse", ms(s.parseSeconds)),
                ("lower", ms(s.lowerSeconds)),
                ("analyse", ms(s.analyseSeconds)),
            ])),
        ])
    }
}
