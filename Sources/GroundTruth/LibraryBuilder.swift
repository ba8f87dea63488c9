import Foundation
import LadderDriver
import Synchronization

/// Builds the shared library a case of fixtures/checks runs in: the case, followed by its
/// harness, linked with fixtures/xv6 hosted like any tree (HostedBuilder, `.cases`: every
/// function of the tree weak, so the case's own `proc_pagetable` or `uvmalloc` replaces
/// the tree's). The case's `../include/xv6.h` is the shim's gt_case_xv6.h, over the tree's
/// headers. The tree is compiled once per builder.
final class LibraryBuilder: Sendable {
    let toolchain: Toolchain
    let runtime: String
    let workDirectory: String
    let jobs: Int
    /// The tree the cases link with, compiled (or why it could not be), by tree directory.
    /// Held while it is built, so two workers needing it build it once.
    private let trees = Mutex<[String: Result<HostedBuilder.Objects, GroundTruthError>]>([:])

    init(toolchain: Toolchain, runtime: String, workDirectory: String, jobs: Int = 2) {
        self.toolchain = toolchain
        self.runtime = runtime
        self.workDirectory = workDirectory
        self.jobs = jobs
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

    /// lld when the toolchain has it (the Swift toolchain's clang does): gold stops with an
    /// internal error instead of naming a missing symbol, which the builders need to read.
    static let linkFlags: [String] = {
        #if os(macOS)
            ["-dynamiclib", "-Wl,-undefined,error"]
        #else
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            let lld = Toolchain.which("ld.lld", path: path) != nil ? ["-fuse-ld=lld"] : []
            return lld + ["-shared", "-Wl,-Bsymbolic", "-Wl,--no-undefined"]
        #endif
    }()

    static var libraryExtension: String {
        #if os(macOS)
            "dylib"
        #else
            "so"
        #endif
    }

    /// `#line` keeps the original file's name and lines in the debug information.
    static func lineDirective(_ path: String) -> String {
        "#line 1 \"" + absolute(path).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"\n"
    }

    /// The cases' tree (fixtures/xv6, beside the harness directory), compiled once.
    private func caseTree(harness: HarnessDirectory, driver: LintDriver) throws(GroundTruthError) -> HostedBuilder.Objects {
        let directory = (harness.path as NSString).deletingLastPathComponent + "/xv6"
        let result = trees.withLock { built -> Result<HostedBuilder.Objects, GroundTruthError> in
            if let known = built[directory] { return known }
            let outcome = Result { () throws(GroundTruthError) -> HostedBuilder.Objects in
                guard let tree = HostedTree.detect(directory) else {
                    throw .runtime("\(directory): the cases need fixtures/xv6 beside their harness")
                }
                let arguments = ["-ffreestanding"]
                var functions: [String: [StaticVerdict.DefinedFunction]] = [:]
                var prototypes: [String] = []
                for file in tree.checked {
                    functions[file] = StaticVerdict.analyse(file, driver: driver, clangArguments: arguments).functions
                    prototypes += FileShape.read(file, driver: driver, clangArguments: arguments)?.prototypes ?? []
                }
                let builder = HostedBuilder(tree: tree, toolchain: toolchain, runtime: runtime, workDirectory: workDirectory,
                                            tag: "cases-tree", jobs: jobs)
                var objects = try builder.objects(functions: functions, prototypes: prototypes, purpose: .cases)
                // Linked once alone, so that what the tree keeps elsewhere (kvm.c) is in.
                let (_, all) = try builder.link(objects.objects, into: workDirectory + "/cases-tree.so",
                                                common: objects.common, limitations: &objects.limitations)
                objects.objects = all
                return objects
            }
            built[directory] = outcome
            return outcome
        }
        return try result.get()
    }

    /// The library for one case of fixtures/checks; `functions` are those the case defines.
    func buildCase(_ path: String, functions: [String], harness: HarnessDirectory, tag: String,
                   driver: LintDriver) throws(GroundTruthError) -> String {
        let tree = try caseTree(harness: harness, driver: driver)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .build(file: path, message: "unreadable")
        }
        // The case as its own directory has it, its `../include/xv6.h` the shim's.
        let caseDirectory = workDirectory + "/\(tag)/checks"
        let includeDirectory = workDirectory + "/\(tag)/include"
        let source = caseDirectory + "/" + (path as NSString).lastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: caseDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: includeDirectory, withIntermediateDirectories: true)
            try "#include \"gt_case_xv6.h\"\n".write(toFile: includeDirectory + "/xv6.h", atomically: false, encoding: .utf8)
            try (Self.lineDirective(path) + text + "\n#include \"\(harness.checksHarness)\"\n")
                .write(toFile: source, atomically: false, encoding: .utf8)
        } catch {
            throw .runtime("cannot write the case's overlay in \(workDirectory): \(error)")
        }
        let object = workDirectory + "/\(tag).o"
        let defines = Set(functions).sorted().map { "-DGT_HAVE_\($0)" }
        try clang(tree.common + ["-I", tree.generated, "-DGT_FOR_CASES"] + defines + ["-c", source, "-o", object], for: path)
        let library = workDirectory + "/\(tag).\(Self.libraryExtension)"
        try clang(Self.linkFlags + ["-o", library] + tree.objects + [object], for: path)
        return library
    }

    private func clang(_ arguments: [String], for file: String) throws(GroundTruthError) {
        let result: Subprocess.Result
        do {
            result = try Subprocess.run(toolchain.clang, arguments)
        } catch {
            throw .toolchain("cannot run \(toolchain.clang): \(error)")
        }
        guard result.status == 0 else {
            let lines = result.stderr.split(separator: "\n").filter { $0.contains("error") }.prefix(6)
            throw .build(file: file, message: lines.joined(separator: "\n"))
        }
    }

    /// A library from one C file of scenarios and the runtime alone (no kernel, no
    /// environment): for testing the runtime itself.
    func buildStandalone(_ path: String, tag: String) throws(GroundTruthError) -> String {
        let library = workDirectory + "/\(tag).\(Self.libraryExtension)"
        try clang(Self.compileFlags + Self.linkFlags + ["-I\(runtime)", "-o", library, path, "\(runtime)/gt_runtime.c"],
                  for: path)
        return library
    }
}
