import LadderCore

/// Source comments that silence one finding, or a region of them, with a reason:
///
///     return 0;   // ladder-ignore[missing-release]: the caller frees pt on every error
///
///     /* ladder-ignore-begin[release-order]: teardown order is fixed by the hardware */
///     …
///     /* ladder-ignore-end */
///
/// A line suppression covers its own line and the next; a region, the lines from its
/// begin to its end. Each names the rules it silences, so a new kind of bug on the same
/// line is still reported. Suppressions are kept honest by reporting, as
/// `invalid-suppression` warnings at the comment: one that names no rule, an unknown rule
/// or no reason (and so suppresses nothing), an unbalanced begin or end, and one that
/// matches no finding (stale: the bug was fixed or the code moved away from it).
public enum Suppressions {
    /// Scans the files that have findings. `source` returns a file's text by the path the
    /// report uses, or nil when it cannot be read (its findings then stay).
    public static func apply(to report: Report, source: (String) -> String?) -> Report {
        apply(to: report, files: [], source: source)
    }

    /// Also scans `files`: pass every file the run processed, so that a stale suppression in
    /// a file that no longer has any finding is reported too.
    public static func apply(to report: Report, files: [String], source: (String) -> String?) -> Report {
        apply(to: report, files: files, bytes: { source($0).map { Array($0.utf8) } })
    }

    /// As `apply(to:files:source:)`, from each file's bytes as they are on disk: a file in
    /// Latin-1 (older kernel files are) has its comments scanned like any other, since the
    /// directives themselves are ASCII.
    public static func apply(to report: Report, files: [String], bytes: (String) -> [UInt8]?) -> Report {
        let paths = Set(files).union(report.findings.map(\.location.file)).sorted()
        var scopes: [Scope] = []
        var problems: [Finding] = []
        for path in paths {
            // Most files hold no directive: one byte search instead of every comment's text.
            guard let source = bytes(path),
                  source.withUnsafeBufferPointer({ ByteSearch.contains($0, Self.keyword) }) else { continue }
            let scanned = scan(CommentScanner.comments(in: source), file: path)
            scopes += scanned.scopes
            problems += scanned.problems
        }

        var used = Array(repeating: Set<RuleID>(), count: scopes.count)
        let scopesByFile = Dictionary(grouping: scopes.indices, by: { scopes[$0].file })
        var result = report
        result.findings = report.findings.filter { finding in
            guard finding.rule != .invalidSuppression else { return true }
            var suppressed = false
            for i in scopesByFile[finding.location.file] ?? [] where scopes[i].covers(finding) {
                used[i].insert(finding.rule)
                suppressed = true
            }
            return !suppressed
        }
        for (i, scope) in scopes.enumerated() {
            for rule in scope.rules where !used[i].contains(rule) {
                let where_ = scope.isRegion ? "between ladder-ignore-begin and ladder-ignore-end" : "on this line or the next"
                problems.append(problem("suppression of \(rule.rawValue) matches no finding \(where_)", at: scope.origin))
            }
        }
        result.findings += problems
        result.sort()
        return result
    }

    /// What every directive starts with, in bytes.
    static let keyword = Array(SuppressionDirective.keyword.utf8)

    /// Lines of one file where some rules are silenced, and the comment that says so.
    struct Scope {
        var file: String
        var lines: ClosedRange<Int>
        var rules: [RuleID]
        var origin: SourceLocation
        var isRegion: Bool

        func covers(_ finding: Finding) -> Bool {
            finding.location.file == file && lines.contains(finding.location.line) && rules.contains(finding.rule)
        }
    }

    static func scan(_ comments: [CComment], file: String) -> (scopes: [Scope], problems: [Finding]) {
        var scopes: [Scope] = []
        var problems: [Finding] = []
        var open: [(comment: CComment, rules: [RuleID])] = []
        for comment in comments {
            let at = SourceLocation(file: file, line: comment.line, column: comment.column)
            switch SuppressionDirective.parse(comment.body) {
            case .notDirective:
                continue
            case .invalid(let message):
                problems.append(problem(message, at: at))
            case .directive(.next(let rules, _)):
                scopes.append(Scope(file: file, lines: comment.line...(comment.endLine + 1), rules: rules,
                                    origin: at, isRegion: false))
            case .directive(.begin(let rules, _)):
                open.append((comment, rules))
            case .directive(.end):
                guard let begin = open.popLast() else {
                    problems.append(problem("ladder-ignore-end without a ladder-ignore-begin", at: at))
                    continue
                }
                scopes.append(Scope(file: file, lines: begin.comment.line...comment.endLine, rules: begin.rules,
                                    origin: SourceLocation(file: file, line: begin.comment.line, column: begin.comment.column),
                                    isRegion: true))
            }
        }
        for begin in open {
            let list = begin.rules.map(\.rawValue).joined(separator: ", ")
            problems.append(problem("ladder-ignore-begin[\(list)] has no ladder-ignore-end",
                                    at: SourceLocation(file: file, line: begin.comment.line, column: begin.comment.column)))
        }
        return (scopes, problems)
    }

    /// A suppression belongs to no function; its fingerprint uses the file instead, so it
    /// stays line-independent like every other and two files' problems never collide.
    static func problem(_ message: String, at location: SourceLocation) -> Finding {
        Finding(rule: .invalidSuppression, severity: .warning, message: message, function: "",
                location: location,
                fingerprint: Fingerprint.make(function: location.file, rule: .invalidSuppression, kind: nil,
                                              acquiredBy: nil, handle: nil, extra: message))
    }
}
