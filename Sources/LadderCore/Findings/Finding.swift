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

extension Finding {
    /// Reports written before confidence existed have none: such a finding reads as `high`,
    /// which is what every finding of those versions was judged as (`ladder merge`, baselines).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rule = try c.decode(RuleID.self, forKey: .rule)
        severity = try c.decode(Severity.self, forKey: .severity)
        message = try c.decode(String.self, forKey: .message)
        function = try c.decode(String.self, forKey: .function)
        location = try c.decode(SourceLocation.self, forKey: .location)
        resource = try c.decodeIfPresent(ResourceInfo.self, forKey: .resource)
        path = try c.decode([PathStep].self, forKey: .path)
        fix = try c.decodeIfPresent(Fix.self, forKey: .fix)
        fingerprint = try c.decode(String.self, forKey: .fingerprint)
        confidence = try c.decodeIfPresent(Confidence.self, forKey: .confidence) ?? .high
    }
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

/// The repair of one finding: text edits to one file, computed against the file's content
/// when it was analysed (`sourceDigest`), applied together or not at all.
public struct Fix: Sendable, Hashable, Codable {
    /// Where the fix happens, for reports that show one place: its first edit's start.
    public var insertBefore: SourceLocation
    /// The statements it adds, one per line without indentation ("" when it only moves,
    /// retargets or deletes); reports quote them.
    public var text: String
    /// What it does, in one line for a reader ("insert 'iunlockput(ip);' before line 40",
    /// "jump to 'err_clk' instead of 'err_free'").
    public var summary: String
    /// In file order, not overlapping; offsets are into the analysed content.
    public var edits: [TextEdit]
    /// `SourceText.digest` of the content the edits were computed against: a file that no
    /// longer has it is not edited.
    public var sourceDigest: String

    public init(insertBefore: SourceLocation, text: String, summary: String? = nil, edits: [TextEdit] = [],
                sourceDigest: String = "") {
        self.insertBefore = insertBefore
        self.text = text
        self.summary = summary ?? Self.insertionSummary(text, line: insertBefore.line)
        self.edits = edits.sorted { $0.start < $1.start }
        self.sourceDigest = sourceDigest
    }

    /// `insert 'a;' then 'b;' before line 215`: the calls in the order they go in.
    public static func insertionSummary(_ text: String, line: Int) -> String {
        let calls = text.split(separator: "\n").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        return "insert \(calls.map { "'\($0)'" }.joined(separator: " then ")) before line \(line)"
    }

    public var file: String { edits.first?.file ?? insertBefore.file }

    enum CodingKeys: String, CodingKey {
        case insertBefore, text, summary, edits, sourceDigest
    }

    /// Reads what JSON reports carry (`ladder merge`): a report without edits or digest
    /// gives a fix that can be shown but not applied.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insertBefore = try c.decode(SourceLocation.self, forKey: .insertBefore)
        text = try c.decode(String.self, forKey: .text)
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? Self.insertionSummary(text, line: insertBefore.line)
        edits = try c.decodeIfPresent([TextEdit].self, forKey: .edits) ?? []
        sourceDigest = try c.decodeIfPresent(String.self, forKey: .sourceDigest) ?? ""
    }
}

/// A place in a file's bytes: 1-based line, 1-based column counted in UTF-8 bytes (as clang
/// counts), and the 0-based byte offset of the same place.
public struct TextPosition: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: TextPosition, b: TextPosition) -> Bool { a.offset < b.offset }

    public var description: String { "\(line):\(column)" }
}

/// Replace the bytes `start..<end` of `file` with `replacement`: an insertion when the range
/// is empty, a deletion when the replacement is.
public struct TextEdit: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case insert, delete, replace
    }

    public var file: String
    public var start: TextPosition
    public var end: TextPosition
    public var replacement: String

    public init(file: String, start: TextPosition, end: TextPosition, replacement: String) {
        precondition(start.offset <= end.offset, "an edit's range must not end before it starts")
        self.file = file
        self.start = start
        self.end = end
        self.replacement = replacement
    }

    public var kind: Kind {
        if start.offset == end.offset { return .insert }
        return replacement.isEmpty ? .delete : .replace
    }

    /// Bytes replaced.
    public var length: Int { end.offset - start.offset }

    /// Two edits conflict when their ranges overlap, or both insert at one place different text
    /// (their order would be a guess).
    public func conflicts(with other: TextEdit) -> Bool {
        guard file == other.file, self != other else { return false }
        if start.offset == end.offset && other.start.offset == other.end.offset { return start.offset == other.start.offset }
        return start.offset < other.end.offset && other.start.offset < end.offset
    }
}

/// A file (or function) that could not be fully processed. Reports list these so that a
/// partial result is never mistaken for a clean one.
public struct ProcessingError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    /// Every file the failed parse read, when the failure is the source's own (a compile
    /// error): the same files give the same error, so a cache may remember it. Not reported.
    public var readFiles: [String]? = nil

    private enum CodingKeys: String, CodingKey { case file, line, message }

    public static func == (a: ProcessingError, b: ProcessingError) -> Bool {
        a.file == b.file && a.line == b.line && a.message == b.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
        hasher.combine(message)
    }

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
