import Foundation
import LadderDriver

/// Builds the shared library an xv6 tree's runs happen in, from a scratch overlay: a
/// directory with copies of the tree's headers and files in which
///
///  - riscv.h's asm statements call the host machine (`gt_riscv_read/write/exec`), one line
///    for one line, so every line number stays the tree's;
///  - memlayout.h ends with gt_memlayout.h (PHYSTOP for the tree's own kalloc.c's pool);
///  - the definitions of the hooked functions are renamed gt_real_NAME (the hooks take the
///    names; calls are untouched) and a file's tail is appended after its last line.
///
/// The tree's own files are never written. Each file is compiled on its own, `#line`-free
/// (the overlay's paths are mapped back to the tree's in the debug information), with the
/// shim, ladder's scenarios and the runtime, and linked with no undefined symbol.
struct HostedBuilder {
    let tree: HostedTree
    let toolchain: Toolchain
    let runtime: String
    let workDirectory: String
    let tag: String
    let jobs: Int

    /// What was built, and what of the tree could not be (each with the reason).
    struct Result {
        var library: String
        var limitations: [String]
    }

    /// The tree compiled, not linked: objects, and what could not be built as expected.
    struct Objects: Sendable {
        var objects: [String]
        var limitations: [String]
        /// Flags a further file built against the tree needs (includes, dialect, the
        /// overlay's path mapping).
        var common: [String]
        var overlay: String
        var generated: String
    }

    /// What the objects are for: a tree's own runs (with ladder's scenarios), or the cases of
    /// fixtures/checks linked with the tree — every function of the tree weak, so a case's
    /// own `proc_pagetable` or `uvmalloc` replaces it, and no scenario of the tree's own.
    enum Purpose: Sendable {
        case tree
        case cases
    }

    var host: String { runtime + "/host" }
    var overlay: String { workDirectory + "/\(tag)-overlay" }
    var generated: String { workDirectory + "/\(tag)-gen" }

    /// `functions`: what each file defines (ladder's own parse), by path; `prototypes`: a
    /// declaration of each non-static function, for the scenarios (gt_tree_decls.h).
    func build(functions: [String: [StaticVerdict.DefinedFunction]], prototypes: [String]) throws(GroundTruthError) -> Result {
        let built = try objects(functions: functions, prototypes: prototypes, purpose: .tree)
        var limitations = built.limitations
        let (library, _) = try link(built.objects, into: workDirectory + "/\(tag).\(LibraryBuilder.libraryExtension)",
                                    common: built.common, limitations: &limitations)
        return Result(library: library, limitations: limitations)
    }

    func objects(functions: [String: [StaticVerdict.DefinedFunction]], prototypes: [String],
                 purpose: Purpose) throws(GroundTruthError) -> Objects {
        var limitations: [String] = []
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: overlay, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: generated + "/plain", withIntermediateDirectories: true)
        } catch {
            throw .runtime("cannot create the overlay in \(workDirectory): \(error)")
        }

        // Headers.
        for header in tree.headers {
            guard var text = try? String(contentsOfFile: tree.kernel + "/" + header, encoding: .utf8) else { continue }
            if header == "riscv.h" {
                let (rewritten, unknown) = Self.hostAssembly(text)
                text = rewritten
                limitations += unknown.map { "riscv.h:\($0.line): `\($0.text)` has no host meaning; it does nothing here" }
            }
            if header == "memlayout.h" { text += "\n#include \"gt_memlayout.h\"\n" }
            if header == "proc.h" && purpose == .cases { text = Self.withUsyscall(text) }
            try write(text, to: overlay + "/" + header)
        }

        // Sources, with their renames and tails; each also kept plain, to fall back on.
        struct TreeUnit {
            var name: String
            var source: String
            var plain: String
            var flags: [String]
            var plainFlags: [String]
            var hooks: [String]
        }
        var treeUnits: [TreeUnit] = []
        var defined: Set<String> = []
        for path in tree.checked + tree.support {
            let name = (path as NSString).lastPathComponent
            guard let source = try? String(contentsOfFile: path, encoding: .utf8) else {
                limitations.append("\(name): unreadable")
                continue
            }
            // asm statements in a .c file too (a scheduler's wfi): the host hart runs them.
            let (original, unknown) = Self.hostAssembly(source)
            limitations += unknown.map { "\(name):\($0.line): `\($0.text)` has no host meaning; it does nothing here" }
            var text = original
            let definitions = functions[path] ?? []
            defined.formUnion(definitions.filter { !$0.isStatic }.map(\.name))
            var hooks: [String] = []
            var prelude = HostHooks.forwardStructs.map { "struct \($0);\n" }.joined()
            for hook in HostHooks.hooks[name] ?? [] {
                guard let definition = definitions.first(where: { $0.name == hook }) else { continue }
                let inTail = HostHooks.inTail.contains(hook)
                guard inTail || !definition.isStatic else {
                    limitations.append("\(name): \(hook) is \(definition.isStatic ? "static" : "not static") here, unlike xv6: not instrumented")
                    continue
                }
                guard let renamed = Self.renameDefinition(text, function: hook, line: definition.line) else {
                    limitations.append("\(name):\(definition.line): cannot find \(hook)'s definition to instrument it")
                    continue
                }
                text = renamed
                hooks.append(hook)
                if inTail, let prototype = HostHooks.prototypes[hook] {
                    prelude += (definition.isStatic ? "static " : "") + prototype + ";\n"
                }
            }
            let renames = (HostHooks.renamedInFile[name] ?? []).map { "-D\($0)=gt_real_\($0)" }
            if let tail = HostHooks.tails[name] { text += "\n#include \"\(tail)\"\n" }
            let base = name.replacingOccurrences(of: ".c", with: "")
            try write(text, to: overlay + "/" + name)
            try write(original, to: generated + "/plain/" + name)
            let preludeFile = generated + "/prelude-\(base).h"
            try write(prelude, to: preludeFile)
            treeUnits.append(TreeUnit(name: name, source: overlay + "/" + name, plain: generated + "/plain/" + name,
                                      flags: renames + hooks.map { "-DGT_HOOKED_\($0)" } + ["-include", preludeFile],
                                      plainFlags: renames, hooks: hooks))
        }
        for (file, renamed) in HostHooks.renamedInFile where treeUnits.contains(where: { $0.name == file }) {
            defined.formUnion(renamed)
        }
        // For the cases: every function of the tree (and every hook) weak, so that a case's
        // own definition wins. kalloc.c's are renamed already, and no case defines them.
        let weak = defined.union(HostHooks.hooks.values.joined().filter { !HostHooks.inTail.contains($0) })
            .subtracting(["kalloc", "kfree"]).sorted()
        try write(weak.map { "#pragma weak \($0)\n" }.joined(), to: generated + "/gt_weak.h")
        let weakFlags = purpose == .cases ? ["-include", generated + "/gt_weak.h", "-DGT_FOR_CASES"] : []
        for i in treeUnits.indices {
            treeUnits[i].flags += weakFlags
            treeUnits[i].plainFlags += weakFlags
        }

        // Structs named first in a parameter list would be scoped to it: declare them first.
        let structRE = try! NSRegularExpression(pattern: #"struct\s+(\w+)"#)
        var structs: [String] = []
        for p in prototypes {
            for m in structRE.matches(in: p, range: NSRange(p.startIndex..., in: p)) {
                if let r = Range(m.range(at: 1), in: p), !structs.contains(String(p[r])) { structs.append(String(p[r])) }
            }
        }
        try write("// Every non-static function of the tree's checked files, as ladder's front end read it.\n"
                  + structs.map { "struct \($0);\n" }.joined() + prototypes.joined(separator: "\n") + "\n",
                  to: generated + "/gt_tree_decls.h")
        let common = LibraryBuilder.compileFlags + dialect() + ["-include", host + "/gt_host.h", "-I", overlay, "-I", host, "-I", runtime,
                                                    "-ffile-prefix-map=\(overlay)=\(tree.kernel)",
                                                    "-ffile-prefix-map=\(generated)/plain=\(tree.kernel)"]

        // The tree's files first: one whose tail or renames do not fit this tree is built
        // plain (its functions run, uninstrumented), and its hooks are left out.
        var objects: [String] = []
        var hooked: Set<String> = []
        let firstPass = compile(treeUnits.map { Job(source: $0.source, arguments: common + ["-I", overlay] + $0.flags) }, tag: "tree")
        var retry: [(TreeUnit, String)] = []
        for (unit, result) in zip(treeUnits, firstPass) {
            switch result {
            case .success(let object):
                objects.append(object)
                hooked.formUnion(unit.hooks)
            case .failure(let error):
                retry.append((unit, error.message))
            }
        }
        let plainPass = compile(retry.map { Job(source: $0.0.plain, arguments: common + ["-I", overlay] + $0.0.plainFlags) }, tag: "plain")
        for ((unit, firstError), result) in zip(retry, plainPass) {
            switch result {
            case .success(let object):
                objects.append(object)
                limitations.append("\(unit.name): built without instrumentation, since the shim's hooks do not fit it: \(firstError)")
            case .failure(let error):
                throw .build(file: tree.kernel + "/" + unit.name, message: error.message)
            }
        }

        // Then the shim, ladder's scenarios (one file per checked file) and the runtime.
        let haveFlags = defined.sorted().map { "-DGT_HAVE_\($0)" }
        let hookedFlags = hooked.sorted().map { "-DGT_HOOKED_\($0)" }
        let shim = ["gt_host_machine.c", "gt_host_locks.c", "gt_host_boot.c", "gt_host_hooks.c"].map { host + "/" + $0 }
        var scenarios = [host + "/gt_host_vm.c"]
        switch purpose {
        case .tree:
            scenarios += tree.checked.map { host + "/scenarios/" + ($0 as NSString).lastPathComponent }
                .filter { FileManager.default.fileExists(atPath: $0) }
        case .cases:
            scenarios.append(host + "/gt_case_support.c")
        }
        var jobsToRun = shim.map { Job(source: $0, arguments: common + hookedFlags + haveFlags + weakFlags) }
        jobsToRun.append(Job(source: runtime + "/gt_runtime.c", arguments: LibraryBuilder.compileFlags + ["-I", runtime]))
        for (job, result) in zip(jobsToRun, compile(jobsToRun, tag: "shim")) {
            switch result {
            case .success(let object): objects.append(object)
            case .failure(let error): throw .build(file: job.source, message: error.message)
            }
        }
        let scenarioJobs = scenarios.map { Job(source: $0, arguments: common + hookedFlags + haveFlags + ["-I", generated]) }
        for (job, result) in zip(scenarioJobs, compile(scenarioJobs, tag: "scenarios")) {
            switch result {
            case .success(let object): objects.append(object)
            case .failure(let error):
                limitations.append("ladder's scenarios \((job.source as NSString).lastPathComponent) do not build against this tree: \(error)")
            }
        }

        return Objects(objects: objects, limitations: limitations, common: common, overlay: overlay, generated: generated)
    }

    /// Links `objects` into `library`; a symbol the linker misses that another file of the
    /// tree defines brings that file in (fixtures/xv6 keeps kvmmap in kvm.c).
    /// Returns the library and every object in it.
    func link(_ objects: [String], into library: String, common: [String],
              limitations: inout [String]) throws(GroundTruthError) -> (String, [String]) {
        var objects = objects
        // A tree may keep what the checked files call in a file of its own (fixtures/xv6's
        // kvm.c): the linker names what is missing, and the file that defines it joins.
        var extra = 0
        var added: Set<String> = []
        while true {
            let link: Subprocess.Result
            do {
                link = try Subprocess.run(toolchain.clang, LibraryBuilder.linkFlags + ["-o", library] + objects)
            } catch {
                throw .toolchain("cannot run \(toolchain.clang): \(error)")
            }
            if link.status == 0 { break }
            let undefined = Set(Self.undefinedSymbols(link.stderr))
            let candidates = Self.definingFiles(of: undefined, in: tree, excluding: added)
            guard !undefined.isEmpty, !candidates.isEmpty, extra < 4 else {
                let message = undefined.isEmpty ? link.stderr.split(separator: "\n").prefix(4).joined(separator: "\n")
                    : "the shim does not provide \(undefined.sorted().joined(separator: ", "))"
                throw .build(file: tree.kernel, message: message)
            }
            for file in candidates {
                added.insert(file)
                let name = (file as NSString).lastPathComponent
                let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
                try write(text, to: overlay + "/" + name)
                let object = generated + "/extra\(extra)-\(name).o"
                let result: Subprocess.Result
                do {
                    result = try Subprocess.run(toolchain.clang, common + ["-c", overlay + "/" + name, "-o", object])
                } catch {
                    throw .toolchain("cannot run \(toolchain.clang): \(error)")
                }
                guard result.status == 0 else {
                    throw .build(file: file, message: result.stderr.split(separator: "\n").filter { $0.contains("error") }.prefix(4)
                        .joined(separator: "\n"))
                }
                objects.append(object)
                limitations.append("\(name): built too, for \(undefined.sorted().joined(separator: ", ")) (not judged)")
            }
            extra += 1
        }
        return (library, objects)
    }

    /// Names the linker says nothing defines (GNU ld's and lld's wording).
    static func undefinedSymbols(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").compactMap { line -> String? in
            for marker in ["undefined reference to `", "undefined reference to '", "undefined symbol: "] {
                guard let r = line.range(of: marker) else { continue }
                return String(line[r.upperBound...].prefix { $0 != "'" && $0 != "`" && $0 != " " })
            }
            return nil
        }
    }

    /// Files the shim replaces: hardware, boot, the console, traps, locks, printing.
    static let replacedFiles: Set<String> = ["start.c", "main.c", "uart.c", "console.c", "plic.c", "virtio_disk.c",
                                             "trap.c", "printf.c", "spinlock.c", "sleeplock.c", "ramdisk.c"]

    /// Other files of the tree that define one of `names` (a definition: the name, then a
    /// parameter list on a line that does not end a declaration).
    static func definingFiles(of names: Set<String>, in tree: HostedTree, excluding: Set<String>) -> [String] {
        let built = Set((tree.checked + tree.support).map { ($0 as NSString).lastPathComponent })
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: tree.kernel)) ?? []).sorted()
            .filter { $0.hasSuffix(".c") && !built.contains($0) && !replacedFiles.contains($0) }
            .map { tree.kernel + "/" + $0 }.filter { !excluding.contains($0) }
        return files.filter { file in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return false }
            return names.contains { name in
                let re = try! NSRegularExpression(pattern: "(?m)^(?:[A-Za-z_][\\w \\t\\*]*[ \\t\\*])?" + name + "\\s*\\([^;]*$")
                return re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
        }
    }

    /// What the shim must know of the tree's xv6 version, read from its headers.
    func dialect() -> [String] {
        func text(_ header: String) -> String { (try? String(contentsOfFile: tree.kernel + "/" + header, encoding: .utf8)) ?? "" }
        var flags: [String] = []
        let proc = text("proc.h")
        if !proc.contains("*trapframe;"), proc.range(of: #"\*\s*tf;"#, options: .regularExpression) != nil {
            flags.append("-DGT_TRAPFRAME_FIELD=tf")
        }
        if text("defs.h").range(of: #"virtio_disk_rw\(\s*int\b"#, options: .regularExpression) != nil {
            flags.append("-DGT_DISK_WITH_DEV")
        }
        return flags
    }

    struct Job: Sendable {
        var source: String
        var arguments: [String]
    }

    /// Compiles `jobs` in parallel; each gives its object, or the compiler's first errors.
    private func compile(_ jobs: [Job], tag: String) -> [Swift.Result<String, CompileFailure>] {
        let toolchain = self.toolchain
        let directory = generated
        let results = Workers.map(count: jobs.count, workers: self.jobs, makeState: {}) { _, index -> Swift.Result<String, CompileFailure> in
            let job = jobs[index]
            let object = directory + "/\(tag)-\(index).o"
            do {
                let result = try Subprocess.run(toolchain.clang, job.arguments + ["-c", job.source, "-o", object])
                if result.status == 0 { return .success(object) }
                let lines = result.stderr.split(separator: "\n").filter { $0.contains("error") }.prefix(4)
                return .failure(CompileFailure(message: lines.joined(separator: "\n")))
            } catch {
                return .failure(CompileFailure(message: "cannot run \(toolchain.clang): \(error)"))
            }
        }
        return results.map { $0 ?? .failure(CompileFailure(message: "not compiled")) }
    }

    struct CompileFailure: Error, Sendable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private func write(_ text: String, to path: String) throws(GroundTruthError) {
        do {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw .runtime("cannot write \(path): \(error)")
        }
    }

    /// proc.h with the xv6 labs' `usyscall` page in `struct proc`, last: two cases of
    /// fixtures/checks map it (USYSCALL), and fixtures/xv6 does not have it. The field is
    /// added to every file of the case libraries alike, so the layout is one.
    static func withUsyscall(_ text: String) -> String {
        guard !text.contains("usyscall"), let start = text.range(of: "struct proc {"),
              let end = text.range(of: "\n};", range: start.upperBound..<text.endIndex) else { return text }
        var out = text
        out.insert(contentsOf: "\n  struct usyscall *usyscall;   // ladder: the xv6 labs' shared page (cases only)", at: end.lowerBound)
        return out
    }

    /// riscv.h with every `asm volatile(...)` statement replaced, on its own line, by a call
    /// to the host machine; and the statements it could not read.
    static func hostAssembly(_ text: String) -> (String, [(line: Int, text: String)]) {
        let read = try! NSRegularExpression(pattern: #"(?:__asm__|asm)\s*(?:__volatile__|volatile)?\s*\(\s*("[^"]*")\s*:\s*"=r"\s*\(\s*(\w+)\s*\)\s*\)\s*;"#)
        let write = try! NSRegularExpression(pattern: #"(?:__asm__|asm)\s*(?:__volatile__|volatile)?\s*\(\s*("[^"]*")\s*:\s*:\s*"r"\s*\(\s*(\w+)\s*\)\s*\)\s*;"#)
        let exec = try! NSRegularExpression(pattern: #"(?:__asm__|asm)\s*(?:__volatile__|volatile)?\s*\(\s*("[^"]*")\s*\)\s*;"#)
        let any = try! NSRegularExpression(pattern: #"(?:__asm__|\basm\b)\s*(?:__volatile__|volatile)?\s*\((.*)\)\s*;"#)
        var unknown: [(Int, String)] = []
        var lines = text.components(separatedBy: "\n")
        for i in lines.indices {
            var line = lines[i]
            func replace(_ re: NSRegularExpression, _ template: String) {
                line = re.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: template)
            }
            replace(read, "$2 = gt_riscv_read($1);")
            replace(write, "gt_riscv_write($1, $2);")
            replace(exec, "gt_riscv_exec($1);")
            if let m = any.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
               let r = Range(m.range, in: line) {
                unknown.append((i + 1, String(line[r])))
                line.replaceSubrange(r, with: "gt_riscv_exec(\"?\");")
            }
            lines[i] = line
        }
        return (lines.joined(separator: "\n"), unknown)
    }

    /// `text` with the definition of `function` whose name is on `line` renamed
    /// gt_real_NAME; nil when the name is not on that line.
    static func renameDefinition(_ text: String, function: String, line: Int) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard line >= 1, line <= lines.count else { return nil }
        let re = try! NSRegularExpression(pattern: "\\b" + NSRegularExpression.escapedPattern(for: function) + "\\s*\\(")
        let l = lines[line - 1]
        guard let m = re.firstMatch(in: l, range: NSRange(l.startIndex..., in: l)), let r = Range(m.range, in: l) else {
            return nil
        }
        lines[line - 1] = l.replacingCharacters(in: r, with: "gt_real_" + function + "(")
        return lines.joined(separator: "\n")
    }
}
