import Foundation
import LadderClang
import LadderCore

/// Inputs to the files to check: the paths, or a compile database's entries, then the
/// shard's share of them.
enum SourceStage {
    static func resolve(_ options: LintOptions) throws(LintError) -> SourceSet {
        let paths = options.paths
        let extra = options.clangArguments
        let before = options.clangArgumentsBefore
        switch options.compileDatabase {
        case .at(let location):
            do {
                return try SourceSet.fromDatabase(location, paths: paths, extraArgumentsBefore: before, extraArguments: extra)
            } catch {
                throw .compileDatabase(error)
            }
        case .discover:
            if let discovered = SourceSet.discoverDatabase(),
               let set = try? SourceSet.fromDatabase(discovered, paths: paths, extraArgumentsBefore: before, extraArguments: extra),
               !set.commands.isEmpty {
                return set
            }
            return fromPaths(paths.isEmpty ? ["."] : paths, extraArgumentsBefore: before, extraArguments: extra)
        case .none:
            return fromPaths(paths.isEmpty ? ["."] : paths, extraArgumentsBefore: before, extraArguments: extra)
        }
    }

    /// `SourceSet.fromPaths`, with the paths that are links to nowhere (a loop, a missing
    /// target) said to be that rather than "no such file".
    static func fromPaths(_ paths: [String], extraArgumentsBefore: [String], extraArguments: [String]) -> SourceSet {
        var usable: [String] = []
        var errors: [ProcessingError] = []
        for path in paths {
            if let problem = SourceFileCheck.brokenLink(path) { errors.append(ProcessingError(file: path, message: problem)) } else { usable.append(path) }
        }
        var set = SourceSet.fromPaths(usable, extraArgumentsBefore: extraArgumentsBefore, extraArguments: extraArguments)
        set.errors = errors + set.errors
        return set
    }


    /// The shard's commands. Errors about inputs stay in every shard: each shard's run must
    /// say on its own that an input was unusable.
    static func select(_ sources: SourceSet, shard: Shard) -> (sources: SourceSet, selectedNothing: Bool) {
        guard shard != .whole else { return (sources, false) }
        let commands = sources.commands.filter { shard.contains($0.file) }
        return (SourceSet(commands: commands, errors: sources.errors), commands.isEmpty && !sources.commands.isEmpty)
    }
}
