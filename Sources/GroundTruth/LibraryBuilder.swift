import Foundation
import Synchronization

/// Builds the shared library a case of fixtures/checks runs in: the case followed by its
/// harness, plus the runtime (`Resources/runtime`). One clang invocation per library; the
/// pieces every case shares (runtime, environment, fixtures/xv6's vm.c with its hooks) are
/// compiled once per builder. (Hosted trees: HostedBuilder.)
final class LibraryBuilder: Sendable {
    let toolchain: Toolchain
    let runtime: String
    let workDirectory: String
    /// The shared objects built so far, by include directory. Held while they are built, so
    /// two workers needing the same ones build them once; the wait is one-off, per builder.
    private let sharedObjects = Mutex<[String: [String]]>([:])

    init(toolchain: Toolchain, runtime: String, workDirectory: String) {
        self.toolchain = toolchain
        self.runtime = runtime
        self.workDirectory = workDirectory
    }

    /// Where the runtime's C sources are: `LADDER_GT_RUNTIME`, else the module's resources.
    static func runtimeDirectory() throws(GroundTruthError) -> String {
        if let dir = ProcessInfo.processInfo.environment["LADDER_GT_RUNTIME"], !dir.isEmpty { return dir }
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("runtime"),
              FileManager.default.fileExists(atPath: url.appendingPathComponent("gt_runtime.c").path) else {
            throw .runtime("the ground-truth runtime sources are missing from the resource bundle")
        }
        return url.path
    }

    static let compileFlags = ["-O0", "-g", "-fPIC", "-fno-omit-frame-pointer", "-ffreestanding", "-fno-builtin", "-w"]

    static var linkFlags: [String] {
        #if os(macOS)
            ["-dynamiclib", "-Wl,-undefined,error"]
        #else
            ["-shared", "-Wl,-Bsymbolic", "-Wl,--no-undefined"]
        #endif
    }

    static var libraryExtension: String {
        #if os(macOS)
            "dylib"
        #else
            "so"
        #endif
    }

    // MARK: Renaming

    /// `source` with the definitions of `renames` (a name at the start of a line, followed by
    /// `(`, as xv6 writes definitions) renamed gt_real_NAME; calls are left alone.
    static func rewrite(_ source: String, renaming renames: [String]) -> String {
        guard !renames.isEmpty else { return source }
        var lines = source.components(separatedBy: "\n")
        for i in lines.indices {
            for name in renames where lines[i].hasPrefix(name + "(") {
                lines[i] = "gt_real_" + lines[i]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `#line` keeps the original file's name and lines in the debug information.
    static func lineDirective(_ path: String) -> String {
        "#line 1 \"" + absolute(path).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"\n"
    }

    // MARK: Building

    private func write(_ text: String, _ name: String) throws -> String {
        let path = workDirectory + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    private func clang(_ arguments: [String], for file: String) throws -> Void {
        let result: Subprocess.Result
        do {
            result = try Subprocess.run(toolchain.clang, arguments)
        } catch {
            throw GroundTruthError.toolchain("cannot run \(toolchain.clang): \(error)")
        }
        guard result.status == 0 else {
            let lines = result.stderr.split(separator: "\n").filter { $0.contains("error") }.prefix(6)
            throw GroundTruthError.build(file: file, message: lines.joined(separator: "\n"))
        }
    }

    /// fixtures/xv6's vm.c with the same hooks a hosted tree's vm.c gets (its definitions of
    /// the hooked functions renamed gt_real_NAME, gt_vm_hooks.c taking the names), every
    /// other definition weak so that a case's own uvmalloc or uvmcopy wins.
    private func vmForCases(harness: HarnessDirectory) throws -> (source: String, treeDirectory: String) {
        let tree = (harness.path as NSString).deletingLastPathComponent + "/xv6"
        let vm = tree + "/vm.c"
        guard let text = try? String(contentsOfFile: vm, encoding: .utf8) else {
            throw GroundTruthError.runtime("\(vm) is needed to run the cases")
        }
        let renames = HostHooks.hooks["vm.c"] ?? []
        let defined = Self.definedFunctions(text).filter { !renames.contains($0) }
        var out = defined.map { "#pragma weak \($0)\n" }.joined()
        out += Self.lineDirective(vm)
        out += Self.rewrite(text, renaming: renames) + "\n"
        out += "#include \"\(runtime)/gt_vm_hooks.c\"\n"
        return (try write(out, "vm_cases.c"), tree)
    }

    /// Names defined at the start of a line (xv6 style): `name(`.
    static func definedFunctions(_ text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let first = line.first, first.isLetter || first == "_" else { continue }
            guard let paren = line.firstIndex(of: "(") else { continue }
            let name = line[..<paren]
            if name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.append(String(name)) }
        }
        return names
    }

    /// The objects every case with headers in `includeDirectory` links with.
    private func caseObjects(includeDirectory: String, harness: HarnessDirectory) throws -> [String] {
        try sharedObjects.withLock { built throws in
            if let objects = built[includeDirectory] { return objects }
            let tag = "cases\(built.count)"
            let (vm, tree) = try vmForCases(harness: harness)
            var objects: [String] = []
            let pieces: [(String, [String])] = [
                ("\(runtime)/gt_runtime.c", ["-I\(runtime)"]),
                ("\(runtime)/gt_env.c", ["-I\(includeDirectory)", "-I\(runtime)"]),
                ("\(runtime)/gt_checks_support.c", ["-I\(includeDirectory)", "-I\(runtime)"]),
                (vm, ["-I\(tree)", "-I\(runtime)"]),
            ]
            for (index, (source, includes)) in pieces.enumerated() {
                let object = workDirectory + "/\(tag)-\(index).o"
                try clang(Self.compileFlags + includes + ["-c", source, "-o", object], for: source)
                objects.append(object)
            }
            built[includeDirectory] = objects
            return objects
        }
    }

    /// The library for one case of fixtures/checks; `functions` are those the case defines.
    func buildCase(_ path: String, functions: [String], harness: HarnessDirectory, tag: String) throws -> String {
        let dir = (absolute(path) as NSString).deletingLastPathComponent
        let include = ((dir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("include")
        let objects = try caseObjects(includeDirectory: include, harness: harness)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw GroundTruthError.build(file: path, message: "unreadable")
        }
        let source = try write(Self.lineDirective(path) + text + "\n#include \"\(harness.checksHarness)\"\n", "\(tag).c")
        let library = workDirectory + "/\(tag).\(Self.libraryExtension)"
        let defines = Set(functions).sorted().map { "-DGT_HAVE_\($0)" }
        try clang(Self.compileFlags + Self.linkFlags + ["-I\(dir)", "-I\(include)", "-I\(runtime)"] + defines
                  + ["-o", library, source] + objects, for: path)
        return library
    }

    /// A library from one C file of scenarios and the runtime alone (no kernel, no
    /// environment): for testing the runtime itself.
    func buildStandalone(_ path: String, tag: String) throws -> String {
        let library = workDirectory + "/\(tag).\(Self.libraryExtension)"
        try clang(Self.compileFlags + Self.linkFlags + ["-I\(runtime)", "-o", library, path, "\(runtime)/gt_runtime.c"],
                  for: path)
        return library
    }
}
