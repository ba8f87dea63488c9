import Foundation

/// What ground truth can build and run: one xv6-style case of `fixtures/checks` (a file that
/// includes `../include/xv6.h`), or an xv6-style kernel tree (`fixtures/xv6`), whose files are
/// built together. Anything else — Linux-driver-style cases, files without a rules line —
/// is out of scope and reported as skipped.
public enum GroundTruthUnit: Hashable, Sendable {
    case checksCase(path: String)
    /// The tree's directory and the files asked for (the library always has every file that
    /// has a harness; verdicts are given for the files asked for).
    case tree(directory: String, files: [String])
    /// An xv6 tree with no harness: its own files, the shim and ladder's scenarios.
    case hosted(HostedTree)

    public var files: [String] {
        switch self {
        case .checksCase(let path): [path]
        case .tree(_, let files): files
        case .hosted(let tree): tree.checked
        }
    }

    public var name: String {
        switch self {
        case .checksCase(let path): path
        case .tree(let directory, _): directory
        case .hosted(let tree): tree.root
        }
    }
}

/// Where the harnesses are: `fixtures/groundtruth` (the nearest `groundtruth` directory
/// beside an ancestor of the fixture), with `checks.harness.c` for the cases and
/// `xv6/NAME.harness.c` for the tree's files.
public struct HarnessDirectory: Hashable, Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var checksHarness: String { path + "/checks.harness.c" }

    public func treeHarness(for file: String) -> String? {
        let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let candidate = path + "/xv6/" + base + ".harness.c"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// The nearest `groundtruth` directory beside `path` or one of its ancestors.
    public static func find(near path: String) -> HarnessDirectory? {
        var dir = URL(fileURLWithPath: absolute(path)).standardizedFileURL
        var isDir: ObjCBool = false
        if !(FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue) {
            dir.deleteLastPathComponent()
        }
        while true {
            let candidate = dir.appendingPathComponent("groundtruth")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("checks.harness.c").path) {
                return HarnessDirectory(path: candidate.path)
            }
            if dir.path == "/" || dir.path.isEmpty { return nil }
            dir.deleteLastPathComponent()
        }
    }
}

/// A path that was given but cannot be run, with the reason.
public struct SkippedPath: Hashable, Sendable, Codable {
    public var path: String
    public var reason: String
}

enum UnitDiscovery {
    /// Units for the paths on the command line, and the paths that are out of scope.
    static func units(for paths: [String]) -> (units: [GroundTruthUnit], skipped: [SkippedPath]) {
        var units: [GroundTruthUnit] = []
        var skipped: [SkippedPath] = []
        var trees: [String: [String]] = [:]
        var treeOrder: [String] = []
        func addTreeFiles(_ dir: String, _ files: [String]) {
            if trees[dir] == nil { treeOrder.append(dir) }
            trees[dir, default: []] += files
        }
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                skipped.append(SkippedPath(path: path, reason: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                // A tree whose harnesses live beside it (this project's fixtures/xv6) runs
                // with them; any other xv6 tree is hosted as it is.
                if let hosted = HostedTree.detect(path), !hasHarnesses(hosted.kernel) {
                    units.append(.hosted(hosted))
                    continue
                }
                if isTree(path) {
                    addTreeFiles(path, cFiles(in: path, recursive: false))
                    continue
                }
                for file in cFiles(in: path, recursive: true) {
                    classify(file, addTree: addTreeFiles, units: &units, skipped: &skipped)
                }
            } else {
                classify(path, addTree: addTreeFiles, units: &units, skipped: &skipped)
            }
        }
        for dir in treeOrder {
            var seen = Set<String>()
            let files = trees[dir]!.filter { seen.insert($0).inserted }
            units.append(.tree(directory: dir, files: files))
        }
        return (units, skipped)
    }

    private static func classify(_ file: String, addTree: (String, [String]) -> Void,
                                 units: inout [GroundTruthUnit], skipped: inout [SkippedPath])
    {
        guard file.hasSuffix(".c") else {
            skipped.append(SkippedPath(path: file, reason: "not a C file"))
            return
        }
        let dir = (file as NSString).deletingLastPathComponent
        if isTree(dir.isEmpty ? "." : dir) {
            addTree(dir.isEmpty ? "." : dir, [file])
            return
        }
        if file.contains("/groundtruth/") {
            skipped.append(SkippedPath(path: file, reason: "a ground-truth harness, not a fixture"))
            return
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            skipped.append(SkippedPath(path: file, reason: "unreadable"))
            return
        }
        let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard first.contains("ladder-rules:") else {
            skipped.append(SkippedPath(path: file, reason: "no `// ladder-rules:` line: not a checks case"))
            return
        }
        guard first.contains("xv6"), text.contains("include/xv6.h") else {
            skipped.append(SkippedPath(path: file, reason: "not xv6-style kernel code (out of scope)"))
            return
        }
        units.append(.checksCase(path: file))
    }

    static func hasHarnesses(_ kernel: String) -> Bool {
        guard let harness = HarnessDirectory.find(near: kernel) else { return false }
        return harness.treeHarness(for: kernel + "/vm.c") != nil
    }

    /// An xv6-style tree: the headers and vm.c of fixtures/xv6.
    static func isTree(_ dir: String) -> Bool {
        ["vm.c", "defs.h", "proc.h", "riscv.h", "types.h"].allSatisfy {
            FileManager.default.fileExists(atPath: dir + "/" + $0)
        }
    }

    static func cFiles(in dir: String, recursive: Bool) -> [String] {
        let fm = FileManager.default
        var result: [String] = []
        if recursive {
            guard let e = fm.enumerator(atPath: dir) else { return [] }
            while let entry = e.nextObject() as? String {
                let name = (entry as NSString).lastPathComponent
                if name.hasPrefix(".") || name == "groundtruth" || name == "include" {
                    e.skipDescendants()
                    continue
                }
                if entry.hasSuffix(".c") { result.append(join(dir, entry)) }
            }
        } else {
            result = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".c") }.map { join(dir, $0) }
        }
        return result.sorted()
    }

    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}

func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}
