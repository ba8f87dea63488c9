import Foundation

/// Why ladder and the runs disagree about a function, in the four ways they can (and a
/// fifth for real problems no rule is about).
public enum DisagreementClass: String, Codable, Sendable, CaseIterable {
    /// ladder reports something no run does: the finding is wrong.
    case staticFalseAlarm = "static-false-alarm"
    /// A run shows a problem the rules describe and ladder says nothing: ladder is wrong.
    case staticMiss = "static-miss"
    /// The finding is on a path no scenario reaches (an input or a failure the runs do not
    /// make), so the runs cannot say.
    case unreachable = "unreachable"
    /// The host environment differs from the kernel's in a way that matters here (a stand-in
    /// for hardware, one hart, a RAM disk): the run is not the kernel's.
    case shimLimitation = "shim-limitation"
    /// A real problem that no rule is about (a leak after success, a null pointer, a fault).
    case outsideTheRules = "outside-the-rules"
    /// The C path and KernelModel's RAII reference do the same work differently by design
    /// (an order the model makes strict that C need not, a contract the model enforces).
    case modelDiffers = "model-differs"
}

/// One disagreement a user has looked at and accepts, with the reason: an entry of an
/// explanations file. `file` is matched as a suffix of the function's path.
public struct Explanation: Hashable, Sendable, Codable {
    public var file: String
    public var function: String
    public var kind: Agreement.Disagreement.Kind
    /// The finding's rule, or the problem's class.
    public var what: String
    /// What the disagreement is, once understood.
    public var `class`: DisagreementClass
    public var reason: String

    public init(file: String, function: String, kind: Agreement.Disagreement.Kind, what: String,
                class: DisagreementClass, reason: String) {
        self.file = file
        self.function = function
        self.kind = kind
        self.what = what
        self.class = `class`
        self.reason = reason
    }

    func matches(file path: String, function name: String, kind k: Agreement.Disagreement.Kind, what w: String) -> Bool {
        (path == file || path.hasSuffix("/" + file)) && function == name && kind == k && what == w
    }
}

/// The explanations a project keeps next to its tree, like a baseline: the disagreements it
/// has understood and accepts. `ladder groundtruth --write-explained FILE` starts one;
/// `--explained FILE` reads one; without it, the nearest `.ladder-groundtruth.json` in the
/// given paths' directories or their ancestors is read (for this project's fixtures,
/// `fixtures/groundtruth/explained.json`, found the same way beside an ancestor).
public struct ExplanationSet: Hashable, Sendable, Codable {
    public static let version = 1
    public var version: Int
    public var explained: [Explanation]

    public init(explained: [Explanation] = []) {
        version = Self.version
        self.explained = explained
    }

    public static let empty = ExplanationSet()

    public func explanation(file: String, function: String, kind: Agreement.Disagreement.Kind, what: String) -> Explanation? {
        explained.first { $0.matches(file: file, function: function, kind: kind, what: what) }
    }

    /// Entries that match no disagreement of `report` although their function was judged:
    /// fixed since, or renamed. (Entries for functions this run did not judge are not stale.)
    public func stale(in report: GroundTruthReport) -> [Explanation] {
        explained.filter { e in
            report.allFunctions.contains { f in
                (f.file == e.file || f.file.hasSuffix("/" + e.file)) && f.function == e.function && !f.scenarios.isEmpty
            } && !report.allFunctions.contains { f in
                f.agreement.disagreements.contains { e.matches(file: f.file, function: f.function, kind: $0.kind, what: $0.what) }
            }
        }
    }

    public static func load(_ path: String) throws(GroundTruthError) -> ExplanationSet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .explanations(file: path, message: "cannot read it")
        }
        let set: ExplanationSet
        do {
            set = try JSONDecoder().decode(ExplanationSet.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .explanations(file: path, message: "not valid JSON: \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .explanations(file: path, message: "\(Self.where(context.codingPath)) has no \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .explanations(file: path, message: "\(Self.where(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw .explanations(file: path, message: "\(error)")
        }
        guard set.version == version else {
            throw .explanations(file: path, message: "version \(set.version) is not supported (this ladder reads version \(version))")
        }
        return set
    }

    static func `where`(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the file" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    /// The file to read when none is named: the nearest `.ladder-groundtruth.json` in a
    /// given path's directory or an ancestor, or `groundtruth/explained.json` beside one.
    public static func discover(near paths: [String]) -> String? {
        for path in paths {
            var dir = URL(fileURLWithPath: absolute(path)).standardizedFileURL
            var isDir: ObjCBool = false
            if !(FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue) {
                dir.deleteLastPathComponent()
            }
            while true {
                for candidate in [".ladder-groundtruth.json", "groundtruth/explained.json"] {
                    let file = dir.appendingPathComponent(candidate).path
                    if FileManager.default.fileExists(atPath: file) { return file }
                }
                if dir.path == "/" || dir.path.isEmpty { break }
                dir.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// Every disagreement of `report` as an entry, the accepted ones with their reasons and
    /// the others with their likely class and a reason to write: what `--write-explained` saves.
    public static func from(_ report: GroundTruthReport, keeping existing: ExplanationSet, relativeTo root: String?) -> ExplanationSet {
        var entries: [Explanation] = []
        for f in report.allFunctions {
            for d in f.agreement.disagreements {
                if let known = existing.explanation(file: f.file, function: f.function, kind: d.kind, what: d.what) {
                    if !entries.contains(known) { entries.append(known) }
                    continue
                }
                var file = f.file
                if let root, file.hasPrefix(root + "/") { file.removeFirst(root.count + 1) }
                let entry = Explanation(file: file, function: f.function, kind: d.kind, what: d.what, class: d.likely,
                                        reason: "TO EXPLAIN: " + d.description)
                if !entries.contains(entry) { entries.append(entry) }
            }
        }
        return ExplanationSet(explained: entries)
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
