/// One reported problem: one root cause, one finding (docs/rules.md).
public struct Finding: Sendable, Hashable, Codable {
    public var rule: RuleID
    public var severity: Severity
    public var message: String
    public var function: String
    public var location: SourceLocation
    public var resource: ResourceInfo?
    public var path: [PathStep]
    public var fix: Fix?
    /// Stable across unrelated edits: built from function, rule, resource kind, acquiring
    /// call and normalised handle, never from line numbers (nor confidence).
    public var fingerprint: String
    /// How sure the analysis is (see `Confidence`); filters, never gates.
    public var confidence: Confidence = .high

    public init(rule: RuleID, severity: Severity = .error, message: String, function: String,
                location: SourceLocation, resource: ResourceInfo? = nil, path: [PathStep] = [],
                fix: Fix? = nil, fingerprint: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.function = function
        self.location = location
        self.resource = resource
        self.path = path
        self.fix = fix
        self.fingerprint = fingerprint ?? Fingerprint.make(
            function: function, rule: rule, kind: resource?.kind, acquiredBy: resource?.acquiredBy,
            handle: resource?.handle, extra: resource == nil ? message : nil)
    }

    /// The extent of the primary statement (the exit, the release call) as libclang gave
    /// it: one fact with `location`, which is its start.
    public var range: SourceRange { location.range }
}

/// How sure a finding is, defined once for every rule:
/// - `high`: on an error exit, or a lock or other non-transferable resource at any exit;
/// - `medium`: at another exit, or on a path feasible only under an assumption the
///   analysis cannot check;
/// - `low`: found by the path-insensitive fallback pass, for a function too large for the
///   path budget.
public enum Confidence: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case low, medium, high

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}

public struct ResourceInfo: Sendable, Hashable, Codable {
    public var kind: String
    public var handle: String
    public var acquiredBy: String
    public var acquiredAt: SourceLocation

    public init(kind: String, handle: String, acquiredBy: String, acquiredAt: SourceLocation) {
        self.kind = kind
        self.handle = handle
        self.acquiredBy = acquiredBy
        self.acquiredAt = acquiredAt
    }
}

public struct PathStep: Sendable, Hashable, Codable {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }
}

public struct Fix: Sendable, Hashable, Codable {
    public var insertBefore: SourceLocation
    /// The release calls to insert, in reverse order of acquisition, one per line.
    public var text: String

    public init(insertBefore: SourceLocation, text: String) {
        self.insertBefore = insertBefore
        self.text = text
    }
}

/// A file (or function) that could not be fully processed. Reports list these so that a
/// partial result is never mistaken for a clean one.
public struct ProcessingError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { "\(file):\(line): error: \(message)" } else { "\(file): error: \(message)" }
    }
}

public struct Stats: Sendable, Hashable, Codable {
    public var files: Int
    public var functions: Int
    public var seconds: Double
    public var parseSeconds: Double
    public var lowerSeconds: Double
    public var analyseSeconds: Double
    /// Functions too large for the path walk, covered by the path-insensitive fallback
    /// (their extra findings are low confidence).
    public var pathInsensitiveFunctions: Int = 0

    public init(files: Int = 0, functions: Int = 0, seconds: Double = 0, parseSeconds: Double = 0,
                lowerSeconds: Double = 0, analyseSeconds: Double = 0) {
        self.files = files
        self.functions = functions
        self.seconds = seconds
        self.parseSeconds = parseSeconds
        self.lowerSeconds = lowerSeconds
        self.analyseSeconds = analyseSeconds
    }
}

/// The whole result of a run, before formatting.
public struct Report: Sendable, Hashable, Codable {
    public var findings: [Finding]
    public var errors: [ProcessingError]
    public var stats: Stats
    /// What the run did to its inputs and a user should know once (options dropped from a
    /// compilation database because libclang rejects them, targets inferred).
    public var notes: [String] = []

    public init(findings: [Finding] = [], errors: [ProcessingError] = [], stats: Stats = Stats()) {
        self.findings = findings
        self.errors = errors
        self.stats = stats
    }

    /// Deterministic order: file, line, column, rule.
    public mutating func sort() {
        findings.sort { ($0.location, $0.rule, $0.message) < ($1.location, $1.rule, $1.message) }
        errors.sort { ($0.file, $0.line ?? 0, $0.message) < ($1.file, $1.line ?? 0, $1.message) }
    }
}
