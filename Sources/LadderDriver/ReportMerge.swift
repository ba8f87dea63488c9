import Foundation
import LadderCore
import LadderReport

/// `ladder merge`: the JSON reports of a sharded run's shards read back and made one, as
/// an unsharded run would have written it.
///
/// Each file belongs to one shard, so findings simply add up. Errors about the inputs are
/// in every shard's report by design (each shard must say on its own that an input was
/// unusable), so an error that several reports share is kept once. A finding that several
/// reports share means a report was given twice or the shards overlapped (different N):
/// it is kept once and counted in `duplicateFindings`.
public enum ReportMerge {
    public struct Merged: Sendable {
        public var report: Report
        public var duplicateFindings: Int
    }

    public static func merge(_ reports: [Report]) -> Merged {
        var merged = Report()
        var earlier: Set<Finding> = []
        var errors: Set<ProcessingError> = []
        var duplicates = 0
        for report in reports {
            // Within one report, equal findings are the same mistake made twice; only a copy
            // from another report is a duplicate.
            for finding in report.findings {
                if earlier.contains(finding) { duplicates += 1 } else { merged.findings.append(finding) }
            }
            earlier.formUnion(report.findings)
            for error in report.errors where errors.insert(error).inserted { merged.errors.append(error) }
            // Every shard says what it did to the shared inputs: said once.
            for note in report.notes where !merged.notes.contains(note) { merged.notes.append(note) }
            merged.stats.files += report.stats.files
            merged.stats.pathInsensitiveFunctions += report.stats.pathInsensitiveFunctions
            merged.stats.functions += report.stats.functions
            merged.stats.parseSeconds += report.stats.parseSeconds
            merged.stats.lowerSeconds += report.stats.lowerSeconds
            merged.stats.analyseSeconds += report.stats.analyseSeconds
            // The shards ran side by side: the merged run took as long as the slowest.
            merged.stats.seconds = max(merged.stats.seconds, report.stats.seconds)
        }
        merged.sort()
        return Merged(report: merged, duplicateFindings: duplicates)
    }

    /// A version-1 JSON report (docs/json-report.md), as `ladder lint --format json` wrote it.
    public static func read(path: String) throws(ReportError) -> Report {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError(file: path, message: "cannot read report: no such file, or permission denied")
        }
        return try parse(data, file: path)
    }

    public static func parse(_ data: Data, file: String) throws(ReportError) -> Report {
        func invalid(_ why: String) -> ReportError {
            ReportError(file: file, message: "not a ladder JSON report: \(why)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data), let object = json as? [String: Any] else {
            throw invalid("not a JSON object (was it written with --format json?)")
        }
        guard let version = object["version"] as? Int else { throw invalid("no \"version\" field") }
        guard version == 1 else {
            throw ReportError(file: file, message: "JSON report version \(version) is not supported (this ladder reads version 1)")
        }
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: data) } catch {
            throw invalid(Self.describe(error))
        }
        // `range` is not a field of `Finding` (it is its location's extent): put it back.
        var findings = document.findings
        if let ranges = try? JSONDecoder().decode(Ranges.self, from: data), ranges.findings.count == findings.count {
            for (i, range) in ranges.findings.enumerated() {
                guard let range = range.range, range.start == findings[i].location.start, range.end > range.start else { continue }
                findings[i].location.end = range.end
            }
        }
        let s = document.stats
        var stats = Stats(files: s.files, functions: s.functions, seconds: s.seconds,
                          parseSeconds: s.phases.parse, lowerSeconds: s.phases.lower, analyseSeconds: s.phases.analyse)
        stats.pathInsensitiveFunctions = s.pathInsensitiveFunctions ?? 0
        var report = Report(findings: findings, errors: document.errors, stats: stats)
        report.notes = document.notes ?? []
        return report
    }

    /// The report's fields as JSONFormat writes them; findings and errors have the shape of
    /// their `Codable` types.
    private struct Document: Decodable {
        struct Phases: Decodable { var parse, lower, analyse: Double }
        struct Stats: Decodable {
            var files, functions: Int
            var seconds: Double
            var phases: Phases
            /// Optional, as `notes` is: reports of an earlier ladder have neither.
            var pathInsensitiveFunctions: Int?
        }
        var findings: [Finding]
        var errors: [ProcessingError]
        var notes: [String]?
        var stats: Stats
    }

    /// Each finding's `range`, absent from reports written before ranges were added.
    private struct Ranges: Decodable {
        struct Range: Decodable { var start, end: SourcePosition }
        struct Entry: Decodable { var range: Range? }
        var findings: [Entry]
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        // The report itself has an empty coding path: "the report", not an empty name.
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "the report"
                : context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)) has no \"\(key.stringValue)\""
        case .typeMismatch(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return context.debugDescription
        case .valueNotFound(_, let context): return "\(path(context)) is null"
        @unknown default: return "\(error)"
        }
    }
}
