import Foundation
import LadderCore

/// gcc-style diagnostics:
///
///     kernel/proc.c: In function 'proc_pagetable':
///     kernel/proc.c:216:5: error: mapping from mappages() is not released on this error path [missing-release]
///     kernel/proc.c:204:6: note: mapping 'pagetable' acquired here by mappages()
///     kernel/proc.c:212:6: note: mappages() fails
///     kernel/proc.c:215:5: note: fix: insert 'uvmunmap(pagetable, TRAMPOLINE, 1, 0);' before line 215
///
/// The `file:line:col: severity: message` shape is what gcc problem matchers (GitHub
/// Actions, Emacs' compilation-mode, Vim's quickfix, VS Code's `$gcc`) already parse, so
/// ladder's output lands in the same lists as the compiler's. The summary line is not part
/// of it (`ReportRenderer.summary`).
struct TextFormat {
    var options: RenderOptions

    func render(_ report: Report) -> String {
        let palette = Palette(enabled: options.color)
        var lines: [String] = []
        var context: (file: String, function: String)?
        for finding in report.findings {
            if !finding.function.isEmpty,
               context.map({ $0 != (finding.location.file, finding.function) }) ?? true {
                lines.append(palette.paint("\(finding.location.file):", .location)
                             + " In function '\(finding.function)':")
            }
            context = (finding.location.file, finding.function)
            lines += diagnostic(finding, palette: palette)
        }
        for error in report.errors {
            let place = error.line.map { "\(error.file):\($0):" } ?? "\(error.file):"
            lines.append(palette.paint(place, .location) + " " + palette.paint("error:", .error) + " " + error.message)
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private func diagnostic(_ finding: Finding, palette: Palette) -> [String] {
        func line(_ at: SourceLocation, _ severity: Severity, _ text: String) -> String {
            palette.paint("\(at):", .location) + " " + palette.paint("\(severity.rawValue):", severity: severity) + " " + text
        }
        var lines = [line(finding.location, finding.severity,
                          finding.message + " " + palette.paint("[\(finding.rule.rawValue)]", .rule)
                            + (finding.confidence == .high ? "" : " (\(finding.confidence.rawValue) confidence)"))]
        if let resource = finding.resource {
            lines.append(line(resource.acquiredAt, .note,
                              "\(resource.kind) '\(resource.handle)' acquired here by \(resource.acquiredBy)()"))
        }
        for step in finding.path {
            lines.append(line(step.location, .note, step.message))
        }
        if let fix = finding.fix {
            lines.append(line(fix.insertBefore, .note, palette.paint(Self.describe(fix), .fix)))
        }
        return lines
    }

    /// `fix: insert 'a;' then 'b;' before line 215`, `fix: jump to 'err_clk' instead of …`.
    static func describe(_ fix: Fix) -> String { "fix: " + fix.summary }
}
