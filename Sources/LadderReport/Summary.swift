import Foundation
import LadderCore

/// `ladder: 23 files, 195 functions, 4 findings (3 errors, 1 warning), 1 processing error, 0.09s`
///
/// Every count is always there, zero included, so scripts and humans can read the line the
/// same way on a clean run and a dirty one.
struct Summary {
    var report: Report

    func line(palette: Palette) -> String {
        let stats = report.stats
        var findings = counted(report.findings.count, "finding")
        let bySeverity = [Severity.error, .warning, .note].compactMap { severity -> String? in
            let n = report.findings.count { $0.severity == severity }
            return n == 0 ? nil : counted(n, severity.rawValue)
        }
        if !bySeverity.isEmpty { findings += " (" + bySeverity.joined(separator: ", ") + ")" }
        let parts = [
            counted(stats.files, "file"),
            counted(stats.functions, "function"),
            report.findings.isEmpty ? findings : palette.paint(findings, .headline),
            counted(report.errors.count, "processing error"),
            String(format: "%.2fs", stats.seconds),
        ]
        return palette.paint("ladder:", .headline) + " " + parts.joined(separator: ", ")
    }

    private func counted(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
