import LadderCore

/// Findings and processing errors as LSP diagnostics, in the session's position encoding.
///
/// A diagnostic's range is the finding's (the leaking `return`, the release call), from
/// libclang's extent, in the session's encoding; where the extent is unknown it runs to the
/// end of the line's content, so the editor still marks the statement. The acquire
/// site and the path steps become `relatedInformation`, which editors list under the
/// message and link to. A file that could not be checked gets one error diagnostic on its
/// first line (or the line clang named): an editor showing nothing must mean "clean".
struct DiagnosticMapper {
    var encoding: PositionEncoding
    var ruleDocs: RuleDocs?
    /// The text of each file the findings name, as the analysis saw it: the open buffer,
    /// else the disk's (`AnalysisTexts`).
    var texts: [String: TextLines]

    func lines(_ file: String) -> TextLines { texts[file] ?? TextLines("") }

    func range(_ location: SourceLocation) -> Range {
        lines(location.file).range(location, encoding: encoding)
    }

    func location(_ location: SourceLocation) -> JSON {
        ["uri": .string(DocumentURI(path: location.file).string), "range": range(location).json]
    }

    func diagnostic(_ finding: Finding) -> JSON {
        var members: [String: JSON] = [
            "range": range(finding.location).json,
            "severity": .int(Self.severity(finding.severity)),
            "code": .string(finding.rule.rawValue),
            "source": "ladder",
            "message": .string(finding.message),
            // What a client that round-trips diagnostics in a code action request sends back.
            "data": ["fingerprint": .string(finding.fingerprint), "confidence": .string(finding.confidence.rawValue)],
        ]
        if let ruleDocs { members["codeDescription"] = ["href": .string(ruleDocs.link(finding.rule.rawValue))] }
        var related: [JSON] = []
        if let r = finding.resource {
            related.append(["location": location(r.acquiredAt),
                            "message": .string("\(r.kind) '\(r.handle)' acquired here by \(r.acquiredBy)()")])
        }
        for step in finding.path {
            related.append(["location": location(step.location), "message": .string(step.message)])
        }
        if !related.isEmpty { members["relatedInformation"] = .array(related) }
        return .object(members)
    }

    func diagnostic(_ error: ProcessingError, in file: String) -> JSON {
        let line = error.file == file ? (error.line ?? 1) : 1
        let text = lines(file)
        let start = Position(line: max(line - 1, 0), character: 0)
        let end = text.endOfContent(line: max(line, 1), encoding: encoding)
        let message = error.file == file ? "not checked: \(error.message)" : "not checked: \(error.file): \(error.message)"
        return ["range": Range(start: start, end: max(start, end)).json, "severity": 1, "source": "ladder",
                "code": "not-checked", "message": .string(message)]
    }

    /// LSP's DiagnosticSeverity: 1 error, 2 warning, 3 information.
    static func severity(_ severity: Severity) -> Int {
        switch severity {
        case .error: 1
        case .warning: 2
        case .note: 3
        }
    }
}
