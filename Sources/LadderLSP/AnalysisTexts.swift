import Foundation
import LadderCore

/// The texts a report's positions refer to, read once when the analysis ends: the
/// editor's buffers for open files, the disk for the rest (a header, say). Diagnostics and
/// the quick fixes built later from the same analysis then convert columns against the
/// same bytes, even if the disk changes in between.
enum AnalysisTexts {
    static func read(for report: Report, buffers: [String: String]) -> [String: TextLines] {
        var files: Set<String> = []
        for finding in report.findings {
            files.insert(finding.location.file)
            if let r = finding.resource { files.insert(r.acquiredAt.file) }
            for step in finding.path { files.insert(step.location.file) }
            if let fix = finding.fix { files.insert(fix.insertBefore.file) }
        }
        for error in report.errors { files.insert(error.file) }
        var texts: [String: TextLines] = [:]
        for file in files {
            if let buffer = buffers[file] ?? buffers[standard(file)] {
                texts[file] = TextLines(buffer)
            } else if let data = FileManager.default.contents(atPath: file) {
                texts[file] = TextLines(bytes: Array(data))
            }
        }
        return texts
    }

    static func standard(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}
