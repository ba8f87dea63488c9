import Foundation
import LadderCore
import Synchronization

/// Rule packs by name or path, each parsed once for the life of the cache: the CLI and
/// ground truth make one driver, so one cache, per process; an editor keeps its driver
/// between requests. Loaded packs are values and never change.
///
/// A built-in pack is keyed by its name. A YAML file is keyed by its absolute path, size and
/// modification time, so a pack edited while an editor session runs is parsed again (an
/// edit that keeps both within the file system's timestamp resolution would be missed).
/// Failures are cached too: the same bytes fail the same way.
///
/// The lock is held across the parse itself, so two runs starting together parse a pack
/// once, not twice. Packs are loaded at the start of a run, before any file, so the only
/// thread that can wait on it is another run's start, for the few milliseconds of a parse.
public final class RulePackCache: Sendable {
    private struct Key: Hashable {
        var name: String
        var size: UInt64?
        var modified: Date?
    }

    private struct State {
        var packs: [Key: Result<RulePack, RulePackError>] = [:]
        var parses = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// How many packs this cache has parsed: what "parsed once" is measured by.
    public var parses: Int { state.withLock { $0.parses } }

    /// `names` merged in order; `LintOptions.defaultRulePacks` when empty.
    public func merged(_ names: [String]) throws(RulePackError) -> RulePack {
        var merged: RulePack?
        for name in names.isEmpty ? LintOptions.defaultRulePacks : names {
            let pack = try self.pack(name)
            merged = merged.map { $0.merged(with: pack) } ?? pack
        }
        return merged!
    }

    /// A built-in pack's name, or a path to a YAML file.
    public func pack(_ nameOrPath: String) throws(RulePackError) -> RulePack {
        let key = Self.key(nameOrPath)
        let result = state.withLock { state -> Result<RulePack, RulePackError> in
            if let known = state.packs[key] { return known }
            let loaded = Result { () throws(RulePackError) in try BuiltinPacks.load(nameOrPath) }
            state.parses += 1
            state.packs[key] = loaded
            return loaded
        }
        return try result.get()
    }

    /// Which pack is meant is `BuiltinPacks.load`'s decision, not repeated here: a name
    /// that is also a file in the current directory gets the file's stamp in its key,
    /// which only costs a parse when that file changes.
    private static func key(_ nameOrPath: String) -> Key {
        let absolute = nameOrPath.hasPrefix("/") ? nameOrPath : FileManager.default.currentDirectoryPath + "/" + nameOrPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute) else {
            return Key(name: nameOrPath)
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value
        return Key(name: URL(fileURLWithPath: absolute).standardizedFileURL.path, size: size,
                   modified: attributes[.modificationDate] as? Date)
    }
}
