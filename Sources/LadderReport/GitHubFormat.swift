import Foundation
import LadderCore

/// GitHub Actions workflow commands, one per finding:
///
///     ::error file=kernel/proc.c,line=216,col=5,title=ladder%3A missing-release::mapping from …
///
/// The runner turns each into an annotation on the pull request's diff, with no upload step
/// and no code-scanning licence needed. Annotations attach by paths relative to the
/// checkout, so files under `--root` (default: the directory ladder ran in) are made
/// relative to it, also when a compilation database names them absolutely. The message
/// carries the acquire site, the path and the fix on further lines, because an annotation
/// has no notes.
struct GitHubFormat {
    let paths: ArtifactPaths

    /// The checkout-relative path when the file is under the root, else the path as given.
    func file(_ path: String) -> String {
        let (uri, base) = paths.relativeToRoot(path)
        return base == nil ? path : (uri.removingPercentEncoding ?? uri)
    }

    func render(_ report: Report) -> String {
        var out = ""
        for f in report.findings {
            var lines = [f.message]
            if let r = f.resource {
                lines.append("\(r.kind) '\(r.handle)' acquired by \(r.acquiredBy)() at \(r.acquiredAt)")
            }
            lines += f.path.map { "\($0.location): \($0.message)" }
            if let fix = f.fix { lines.append(TextFormat.describe(fix)) }
            // Unknown positions (0) are left out: the annotation then attaches to the file.
            var properties = [("file", file(f.location.file))]
            if f.location.line >= 1 {
                properties.append(("line", String(f.location.line)))
                // The statement's last line, for a statement over several lines; columns stay
                // the start's only (the runner's columns are not ladder's bytes past ASCII).
                if f.range.lines.upperBound > f.location.line { properties.append(("endLine", String(f.range.lines.upperBound))) }
                if f.location.column >= 1 { properties.append(("col", String(f.location.column))) }
            }
            properties.append(("title", "ladder: \(f.rule.rawValue)"))
            out += Self.command(Self.name(f.severity), properties: properties, message: lines.joined(separator: "\n"))
        }
        for e in report.errors {
            var properties = [("file", file(e.file))]
            if let line = e.line { properties.append(("line", String(line))) }
            properties.append(("title", "ladder: file not processed"))
            out += Self.command("error", properties: properties, message: e.message)
        }
        return out
    }

    static func name(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    static func command(_ name: String, properties: [(String, String)], message: String) -> String {
        let props = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(name) \(props)::\(escapeData(message))\n"
    }

    /// The runner's rules for a command's message: `%`, CR and LF are percent-encoded
    /// (`%` first, or the other escapes would be escaped again).
    static func escapeData(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Property values additionally encode `:` and `,`, which delimit the properties.
    static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s).unicodeScalars {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
