import Foundation
import LadderCore

/// The report formats of `ladder lint --format` (docs/json-report.md, docs/ci.md).
public enum OutputFormat: String, CaseIterable, Sendable {
    /// gcc-style diagnostics for terminals and gcc problem matchers.
    case text
    /// The version-1 JSON report for editors and scripts (docs/json-report.md).
    case json
    /// SARIF 2.1.0 for code-scanning services.
    case sarif
    /// GitHub Actions workflow commands, which become annotations on the pull request.
    case github
    /// GitLab Code Quality (Code Climate issues), for `artifacts:reports:codequality`.
    case codeclimate
}

/// What a renderer needs besides the report. Everything that varies between machines
/// (working directory, terminal) is here, so that rendering is a pure function and the
/// golden tests can pin it.
public struct RenderOptions: Sendable {
    /// ANSI colour in `text`; the CLI decides with `ColorChoice.resolve`.
    public var color: Bool
    /// The directory SARIF URIs are made relative to (`--root`); GitHub code scanning
    /// resolves them against the repository checkout.
    public var root: String
    /// The directory relative paths in the report are relative to: the CLI's current
    /// directory. SARIF reads the findings' sources from here, to count UTF-16 columns; the
    /// one input a renderer reads besides the report.
    public var workingDirectory: String
    /// `tool.version` in JSON, `tool.driver.version` in SARIF.
    public var toolVersion: String
    /// SARIF `automationDetails.id` category: GitHub keeps one analysis per category, so two
    /// ladder runs over different trees of one repository need different categories.
    public var category: String
    /// Where docs/rules.md can be read (a URI): SARIF links each rule to its section (the
    /// rule id is the fragment). Nil writes no link: ladder has no public home to invent one.
    public var rulesDocument: String? = nil

    public init(color: Bool = false, root: String? = nil, workingDirectory: String? = nil,
                toolVersion: String, category: String = "ladder") {
        let cwd = workingDirectory ?? FileManager.default.currentDirectoryPath
        self.color = color
        self.workingDirectory = cwd
        self.root = root ?? cwd
        self.toolVersion = toolVersion
        self.category = category
    }
}

/// Turns a `Report` into the bytes of one format. The findings are sorted first (file, line,
/// column, rule) so every format is deterministic whatever order the analysis produced.
public enum ReportRenderer {
    public static func render(_ report: Report, as format: OutputFormat, options: RenderOptions) -> String {
        var sorted = report
        sorted.sort()
        switch format {
        case .text: return TextFormat(options: options).render(sorted)
        case .json: return JSONFormat(options: options).render(sorted)
        case .sarif: return SARIFFormat(options: options).render(sorted)
        case .github:
            return GitHubFormat(paths: ArtifactPaths(root: options.root, workingDirectory: options.workingDirectory)).render(sorted)
        case .codeclimate:
            return CodeClimateFormat(paths: ArtifactPaths(root: options.root, workingDirectory: options.workingDirectory)).render(sorted)
        }
    }

    /// The one-line summary that ends a run. It is not part of any rendered report: the CLI
    /// prints it after text on standard output, and on standard error for the machine
    /// formats and for `-o`, so that a report file stays exactly the format.
    public static func summary(_ report: Report, color: Bool = false) -> String {
        Summary(report: report).line(palette: Palette(enabled: color))
    }
}
