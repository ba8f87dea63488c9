import Foundation

/// Why `--changed-since` could not say what changed. Every case names the revision and what
/// to do: a CI run that cannot find its base must stop, not report nothing.
public struct ChangedLinesError: Error, Sendable, Hashable, CustomStringConvertible {
    public var revision: String
    public var message: String

    public var description: String { "ladder: error: --changed-since \(revision): \(message)" }
}

extension ChangedLines {
    /// What changed between `revision` and the working tree of the git repository that
    /// holds `directory` (`git diff -U0 REV`, plus untracked files). A shallow clone works
    /// as long as it holds `revision` itself: no history between the two is needed.
    public static func since(_ revision: String, in directory: String) throws(ChangedLinesError) -> ChangedLines {
        func fail(_ message: String) -> ChangedLinesError { ChangedLinesError(revision: revision, message: message) }
        guard !revision.isEmpty, !revision.hasPrefix("-") else { throw fail("not a revision") }
        let top = Git.run(["rev-parse", "--show-toplevel"], in: directory)
        guard top.status == 0 else {
            throw fail("\(directory) is not in a git work tree (\(top.error.trimmed)); run ladder inside the checkout")
        }
        let root = URL(fileURLWithPath: top.output.trimmed).resolvingSymlinksInPath().path
        let verify = Git.run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: root)
        guard verify.status == 0 else {
            throw fail("""
                no such commit in this clone. A shallow CI checkout holds only the commit it built: \
                fetch the revision too (actions/checkout with fetch-depth: 2 for a pull request's base, \
                or fetch-depth: 0), or `git fetch --depth=1 origin \(revision)`
                """)
        }
        let diff = Git.run(["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv",
                            "--src-prefix=a/", "--dst-prefix=b/", verify.output.trimmed, "--"], in: root)
        guard diff.status == 0 else { throw fail("git diff failed: \(diff.error.trimmed)") }
        var changed = parse(diff: diff.output, root: root, workingDirectory: directory)
        let untracked = Git.run(["ls-files", "--others", "--exclude-standard", "--full-name", "-z"], in: root)
        guard untracked.status == 0 else { throw fail("git ls-files failed: \(untracked.error.trimmed)") }
        for name in untracked.output.split(separator: "\0") where !name.isEmpty {
            changed.addWholeFile(root + "/" + name)
        }
        return changed
    }
}

/// `git` as a child process, its output read whole.
enum Git {
    struct Output {
        var status: Int32
        var output: String
        var error: String
    }

    static func run(_ arguments: [String], in directory: String) -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        // Standard error goes to a file, so that a chatty git cannot fill a second pipe and
        // stall while standard output is being read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-git-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil),
              let errorHandle = try? FileHandle(forWritingTo: errorFile) else {
            return Output(status: -1, output: "", error: "cannot create a temporary file in \(errorFile.deletingLastPathComponent().path)")
        }
        defer {
            try? errorHandle.close()
            try? FileManager.default.removeItem(at: errorFile)
        }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return Output(status: -1, output: "", error: "cannot run git: \(error)")
        }
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = FileManager.default.contents(atPath: errorFile.path) ?? Data()
        return Output(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      error: String(decoding: errorData, as: UTF8.self))
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
