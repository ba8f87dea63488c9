import Foundation
import Yams

/// Mistakes a pack can load with yet still be wrong about: each one makes the analysis
/// silently miss bugs or report ones that are not there. The loader rejects what cannot be
/// used at all (an unknown field or kind); these are what it has to accept.
public enum RulePackLintCheck: String, Sendable, CaseIterable, Codable {
    /// A kind some call releases but nothing acquires: the releases can only ever be
    /// reported as releasing something not held, or the pack misspelt a kind.
    case releaseWithoutAcquire = "release-without-acquire"
    /// A kind that is acquired (and not managed by a framework) but that no call releases:
    /// every acquisition of it is reported as leaked.
    case acquireWithoutRelease = "acquire-without-release"
    /// A declared kind no call acquires or releases.
    case unusedKind = "unused-kind"
    /// `success` names no value at all: the call never succeeds, so it never acquires.
    case neverSucceeds = "never-succeeds"
    /// The handle is the returned value, yet success is a value that cannot be a live
    /// handle (`success: zero` with `handle: "{ret}"`: every success would be NULL).
    case handleNullOnSuccess = "handle-null-on-success"
    /// A lock's release marked `nullSafe`: unlocking NULL is never a no-op, and the flag
    /// hides unlocks of locks that were never taken.
    case nullSafeLock = "null-safe-lock"
    /// A `fix` that calls something the pack does not declare as releasing that kind: the
    /// suggested fix would itself be reported as a leak.
    case fixNotARelease = "fix-not-a-release"
    /// A `combines` entry whose parts name their handle by different arguments
    /// (`{0}` and `{1}`): a fix cannot tell which call of the parts to write as one.
    case combinesMismatchedHandles = "combines-mismatched-handles"
}

/// One lint finding, at the YAML entry it concerns.
public struct RulePackWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var check: RulePackLintCheck
    public var message: String

    public var description: String { "\(file):\(line):\(column): warning: \(message) [\(check.rawValue)]" }
}

/// `ladder rules --check`: loads a pack (failing as the loader does) and lints what loaded.
public enum RulePackLint {
    /// Loader errors throw; what loads is linted. Warnings come in file order.
    public static func check(text: String, file: String) throws(RulePackError) -> [RulePackWarning] {
        let pack = try RulePackLoader(file: file).parse(text)
        let places = EntryPlaces(text: text)
        return lint(pack).map { entry in
            let mark = places.mark(entry.section, entry.key)
            return RulePackWarning(file: file, line: mark.line, column: mark.column, check: entry.check, message: entry.message)
        }
        .sorted { ($0.line, $0.column, $0.check.rawValue) < ($1.line, $1.column, $1.check.rawValue) }
    }

    /// A built-in pack's name (`posix`: its shipped YAML) or a path to a YAML file.
    public static func check(nameOrPath: String) throws(RulePackError) -> [RulePackWarning] {
        if !nameOrPath.contains("/"), !nameOrPath.hasSuffix(".yaml"), !nameOrPath.hasSuffix(".yml"),
           BuiltinPacks.names.contains(nameOrPath), let dir = BuiltinPacks.directory {
            return try check(path: dir + "/" + nameOrPath + ".yaml")
        }
        return try check(path: nameOrPath)
    }

    public static func check(path: String) throws(RulePackError) -> [RulePackWarning] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RulePackError(file: path, line: 0, column: 0, message: "cannot read rule file as UTF-8 text")
        }
        return try check(text: text, file: path)
    }

    /// A warning before it has a place: the section (`acquire`, `release`, `kinds`) and key.
    public struct Entry: Sendable, Hashable {
        public var section: String
        public var key: String
        public var check: RulePackLintCheck
        public var message: String
    }

    /// The checks over a loaded pack, independent of where its entries were written.
    public static func lint(_ pack: RulePack) -> [Entry] {
        var entries: [Entry] = []
        let acquired = Set(pack.acquires.values.flatMap { $0.resources.map(\.kind) })
        let released = Set(pack.releases.values.flatMap { $0.flatMap { $0.kinds + $0.alsoReleases } })

        for (call, rules) in pack.releases.sorted(by: { $0.key < $1.key }) {
            let kinds = Set(rules.flatMap { $0.kinds + $0.alsoReleases })
            for kind in kinds.sorted() where !acquired.contains(kind) {
                entries.append(Entry(section: "release", key: call, check: .releaseWithoutAcquire,
                                     message: "\(call)() releases \(kind), which no call in the pack acquires"))
            }
            for rule in rules where rule.nullSafe {
                for kind in rule.kinds where pack.locks.contains(kind) {
                    entries.append(Entry(section: "release", key: call, check: .nullSafeLock,
                                         message: "\(call)() releases the lock kind \(kind) and is marked nullSafe: unlocking NULL is never a no-op"))
                }
            }
        }
        for (call, parts) in pack.combines.sorted(by: { $0.key < $1.key }) {
            // By the arguments they are taken from: `{0}` and `&{0}->dev` (platform_device_put's
            // own device and a lookup's reference on it) are written with one argument alike.
            let handles = Set(parts.flatMap { part in (pack.releases[part] ?? []).map { "\($0.handle)" } })
            let arguments = Set(parts.flatMap { part in (pack.releases[part] ?? []).map(\.handle.arguments) })
            if arguments.count > 1 {
                entries.append(Entry(section: "release", key: call, check: .combinesMismatchedHandles,
                                     message: "\(call)() combines \(parts.joined(separator: ", ")), whose handles differ (\(handles.sorted().joined(separator: ", "))): fixes will not combine them"))
            }
        }
        for (call, rule) in pack.acquires.sorted(by: { $0.key < $1.key }) {
            if rule.success.isEmpty {
                entries.append(Entry(section: "acquire", key: call, check: .neverSucceeds,
                                     message: "\(call)() has a 'success' that no value meets, so it never acquires anything"))
            }
            for resource in rule.resources {
                if !rule.managed, !released.contains(resource.kind) {
                    entries.append(Entry(section: "acquire", key: call, check: .acquireWithoutRelease,
                                         message: "\(call)() acquires \(resource.kind), which no call in the pack releases"))
                }
                if resource.handle.root == .result, !rule.success.isEmpty, !rule.success.contains(.positive), !rule.success.contains(.negative) {
                    entries.append(Entry(section: "acquire", key: call, check: .handleNullOnSuccess,
                                         message: "\(call)()'s handle is its result, but it succeeds only when the result is zero: write the handle where the resource really is (an argument such as '*{0}'), or the success the result has"))
                }
                if let fix = resource.fix, let callee = calledName(fix.text),
                   !(pack.releases[callee] ?? []).contains(where: { $0.kinds.contains(resource.kind) || $0.alsoReleases.contains(resource.kind) }) {
                    entries.append(Entry(section: "acquire", key: call, check: .fixNotARelease,
                                         message: "\(call)()'s fix calls \(callee)(), which the pack does not declare as releasing \(resource.kind)"))
                }
            }
        }
        for kind in pack.kinds.keys.sorted() where !acquired.contains(kind) && !released.contains(kind) {
            entries.append(Entry(section: "kinds", key: kind.name, check: .unusedKind,
                                 message: "kind \(kind) is declared but no call acquires or releases it"))
        }
        return entries
    }

    /// The function a fix template calls: `free({ret})` -> `free`. A fix that is not a
    /// single call (a statement sequence, a macro with a cast in front) is not checked.
    static func calledName(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "(") else { return nil }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return name
    }
}

/// Where each `section: {key: …}` entry of a pack's YAML starts, so a warning about a
/// loaded rule can name the line the author wrote it on. The loader keeps no positions in
/// the pack it returns (the analysis never needs them), so they are read again here.
struct EntryPlaces {
    private var marks: [String: [String: (line: Int, column: Int)]] = [:]

    init(text: String) {
        guard let root = try? Yams.compose(yaml: text), let top = root.mapping else { return }
        for (sectionKey, section) in top {
            guard let name = sectionKey.string, let entries = section.mapping else { continue }
            for (key, _) in entries {
                guard let k = key.string, let mark = key.mark else { continue }
                marks[name, default: [:]][k] = (mark.line, mark.column)
            }
        }
    }

    /// The key's place, or line 0 when the text does not have it (never for a pack loaded
    /// from the same text).
    func mark(_ section: String, _ key: String) -> (line: Int, column: Int) {
        marks[section]?[key] ?? (0, 0)
    }
}
