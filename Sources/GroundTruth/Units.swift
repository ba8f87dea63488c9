import Foundation

/// What ground truth can build and run: an xv6 tree, hosted as it is (its own files, the
/// shim, ladder's scenarios), or one xv6-style case of `fixtures/checks` (a file that
/// includes `../include/xv6.h`, with its harness). Anything else — Linux-driver-style cases,
/// files without a rules line — is out of scope and reported as skipped.
public enum GroundTruthUnit: Hashable, Sendable {
    case checksCase(path: String)
    case hosted(HostedTree)

    public var files: [String] {
        switch self {
        case .checksCase(let path): [path]
        case .hosted(let tree): tree.checked
        }
    }

    public var name: String {
        switch self {
        case .checksCase(let path): path
        case .hosted(let tree): tree.root
        }
    }
}

/// Where the cases' harness is: `fixtures/groundtruth` (the nearest `groundtruth`
/// directory beside an ancestor of the fixture), with `checks.harness.c`.
public struct HarnessDirectory: Hashable, Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var checksHarness: String { path + "/checks.harness.c" }

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
    /// Units for the paths on the command line, and the paths that are out of scope. A
    /// directory or a file of an xv6 tree stands for the whole tree.
    static func units(for paths: [String]) -> (units: [GroundTruthUnit], skipped: [SkippedPath]) {
        var units: [GroundTruthUnit] = []
        var skipped: [SkippedPath] = []
        func add(_ unit: GroundTruthUnit) {
            if !units.contains(unit) { units.append(unit) }
        }
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                skipped.append(SkippedPath(path: path, reason: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                if let hosted = HostedTree.detect(path) {
                    add(.hosted(hosted))
                    continue
                }
                let before = (units.count, skipped.count)
                for file in cFiles(in: path, recursive: true) {
                    classify(file, add: add, skipped: &skipped)
                }
                if (units.count, skipped.count) == before {
                    skipped.append(SkippedPath(path: path, reason: "no xv6 tree here (vm.c with types.h, param.h, riscv.h, defs.h, proc.h and memlayout.h, in kernel/ or the directory itself) and no C file"))
                }
            } else {
                classify(path, add: add, skipped: &skipped)
            }
        }
        return (units, skipped)
    }

    private static func classify(_ file: String, add: (GroundTruthUnit) -> Void, skipped: inout [SkippedPath]) {
        guard file.hasSuffix(".c") else {
            skipped.append(SkippedPath(path: file, reason: "not a C file"))
            return
        }
        let dir = (file as NSString).deletingLastPathComponent
        if let hosted = HostedTree.detect(dir.isEmpty ? "." : dir) {
            add(.hosted(hosted))
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
        add(.checksCase(path: file))
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
