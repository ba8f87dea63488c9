import Foundation
import LadderClang
import LadderCore

/// `--exclude GLOB`: files left out of a run, whether they came from directories walked or
/// from a compile database. A glob is matched, fnmatch(3)-style with `*` also crossing `/`,
/// against the path as the report names it and, for an absolute path under the current
/// directory, against the path relative to it, so `--exclude 'drivers/staging/*'` and
/// `--exclude '*_test.c'` work with `-p` databases that name files absolutely.
enum Exclusion {
    static func apply(_ sources: SourceSet, excluding globs: [String]) -> SourceSet {
        guard !globs.isEmpty else { return sources }
        var kept = sources
        let cwd = FileManager.default.currentDirectoryPath
        kept.commands = sources.commands.filter { command in
            !spellings(command.file, cwd: cwd).contains { path in globs.contains { fnmatch($0, path, 0) == 0 } }
        }
        if kept.commands.isEmpty && !sources.commands.isEmpty {
            kept.errors.append(ProcessingError(
                file: "ladder lint",
                message: "--exclude left no file to check (all \(sources.commands.count) were excluded)"))
        }
        return kept
    }

    static func spellings(_ file: String, cwd: String) -> [String] {
        var result = [file]
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        if file.hasPrefix(prefix) { result.append(String(file.dropFirst(prefix.count))) }
        if file.hasPrefix("./") { result.append(String(file.dropFirst(2))) }
        return result
    }
}
