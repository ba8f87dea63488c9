import Foundation
import LadderCore

/// The findings a project has accepted for now, so CI fails only on new ones.
///
/// Entries are matched by fingerprint, which ignores line numbers (docs/ci.md, baselines): adding lines
/// above a function keeps its findings matched. The file records no lines either, and is
/// sorted by file, function and rule, so it only changes in review when findings really
/// come or go. Function, rule, file and message are there for the reviewer; matching reads
/// only the fingerprint. One entry per finding: two identical findings need two entries,
/// so a second copy of a known bug is still reported.
public struct Baseline: Sendable, Hashable {
    public static let version = 1

    public struct Entry: Sendable, Hashable, Comparable {
        public var fingerprint: String
        /// A string, not a `RuleID`: a baseline written by a newer ladder with more rules
        /// still loads, and its unknown entries simply match nothing.
        public var rule: String
        public var function: String
        public var file: String
        public var message: String

        public init(fingerprint: String, rule: String, function: String, file: String, message: String) {
            self.fingerprint = fingerprint
            self.rule = rule
            self.function = function
            self.file = file
            self.message = message
        }

        public init(_ finding: Finding) {
            self.init(fingerprint: finding.fingerprint, rule: finding.rule.rawValue, function: finding.function,
                      file: finding.location.file, message: finding.message)
        }

        public static func < (a: Entry, b: Entry) -> Bool {
            (a.file, a.function, a.rule, a.fingerprint, a.message) < (b.file, b.function, b.rule, b.fingerprint, b.message)
        }
    }

    /// Always sorted.
    public private(set) var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted()
    }

    public static func make(from report: Report) -> Baseline {
        Baseline(entries: report.findings.map(Entry.init))
    }

    /// The report without the findings this baseline accepts. Each entry absorbs one
    /// finding with its fingerprint; surplus findings stay, in report order.
    public func filter(_ report: Report) -> Report {
        var budget: [String: Int] = [:]
        for entry in entries { budget[entry.fingerprint, default: 0] += 1 }
        var result = report
        result.sort()
        result.findings = result.findings.filter { finding in
            guard let left = budget[finding.fingerprint], left > 0 else { return true }
            budget[finding.fingerprint] = left - 1
            return false
        }
        return result
    }

    // MARK: - File format

    public func write(to path: String) throws(ReportError) {
        try writeAtomically(serialized(), to: path)
    }

    /// Pretty JSON, keys in a fixed order, one entry per finding, ending in a newline.
    public func serialized() -> String {
        let document: JSONValue = .object([
            ("version", .int(Self.version)),
            ("tool", .string("ladder")),
            ("findings", .array(entries.map { e in
                .object([
                    ("fingerprint", .string(e.fingerprint)),
                    ("rule", .string(e.rule)),
                    ("function", .string(e.function)),
                    ("file", .string(e.file)),
                    ("message", .string(e.message)),
                ])
            })),
        ])
        return document.serialized() + "\n"
    }

    public static func load(path: String) throws(ReportError) -> Baseline {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportError(file: path, message: "cannot read baseline: no such file")
        }
        guard !isDirectory.boolValue else { throw ReportError(file: path, message: "cannot read baseline: is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError(file: path, message: "cannot read baseline: permission denied")
        }
        return try parse(data, file: path)
    }

    /// Every way a file can fail to be a baseline gets its own one-line reason, since the
    /// user has to fix the file (or rewrite it with `--write-baseline`).
    public static func parse(_ data: Data, file: String) throws(ReportError) -> Baseline {
        func invalid(_ why: String) -> ReportError {
            ReportError(file: file, message: "not a ladder baseline: \(why)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) else { throw invalid("not valid JSON") }
        guard let object = json as? [String: Any] else { throw invalid("the top level is not an object") }
        guard let versionValue = object["version"] else { throw invalid("no \"version\" field") }
        guard let version = versionValue as? Int else {
            throw invalid("\"version\" is not a number")
        }
        guard version == Self.version else {
            throw ReportError(file: file, message: "baseline version \(version) is not supported (this ladder reads version \(Self.version)); rewrite it with --write-baseline")
        }
        guard let findings = object["findings"] as? [Any] else { throw invalid("no \"findings\" array") }
        var entries: [Entry] = []
        for (index, item) in findings.enumerated() {
            guard let fields = item as? [String: Any] else { throw invalid("finding \(index + 1) is not an object") }
            guard let fingerprint = fields["fingerprint"] as? String, !fingerprint.isEmpty else {
                throw invalid("finding \(index + 1) has no \"fingerprint\"")
            }
            func text(_ key: String) -> String { fields[key] as? String ?? "" }
            entries.append(Entry(fingerprint: fingerprint, rule: text("rule"), function: text("function"),
                                 file: text("file"), message: text("message")))
        }
        return Baseline(entries: entries)
    }
}
