import Foundation
import LadderCore

/// `ladder lint --export-fixes FILE`: the fixes `--fix` would apply, as clang-tidy writes
/// them (`clang-tidy --export-fixes`), for `clang-apply-replacements` or an editor that
/// reads that format. One diagnostic per fix; offsets are bytes, paths absolute.
public enum FixExport {
    public static func yaml(_ application: FixApplication, directory: String = FileManager.default.currentDirectoryPath) -> String {
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory)).standardizedFileURL.path
        }
        var out = "---\n"
        out += "MainSourceFile:  \(quote(application.plans.first.map { absolute($0.file) } ?? ""))\n"
        out += "Diagnostics:\n"
        var any = false
        for plan in application.plans {
            for fix in plan.fixes {
                guard let finding = plan.findings.first(where: { $0.fix?.edits == fix.edits }), let first = fix.edits.first else { continue }
                any = true
                let file = absolute(plan.file)
                out += "  - DiagnosticName:  \(quote(finding.rule.rawValue))\n"
                out += "    DiagnosticMessage:\n"
                out += "      Message:         \(quote(finding.message))\n"
                out += "      FilePath:        \(quote(file))\n"
                out += "      FileOffset:      \(first.start.offset)\n"
                out += "      Replacements:\n"
                for edit in fix.edits {
                    out += "        - FilePath:        \(quote(file))\n"
                    out += "          Offset:          \(edit.start.offset)\n"
                    out += "          Length:          \(edit.length)\n"
                    out += "          ReplacementText: \(quote(edit.replacement))\n"
                }
                out += "    Level:           \(finding.severity == .error ? "Error" : "Warning")\n"
            }
        }
        if !any { out = out.replacingOccurrences(of: "Diagnostics:\n", with: "Diagnostics:     []\n") }
        return out + "...\n"
    }

    /// A YAML double-quoted scalar: the escapes YAML defines, nothing left to the reader.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
