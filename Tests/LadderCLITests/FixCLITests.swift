import Foundation
import Testing

/// `ladder lint --fix` and `--export-fixes` end to end, on copies of fixtures: what `--fix`
/// writes, what clang's own tool makes of the exported file, and the bundled kernel repaired
/// after seeded bugs.
@Suite struct FixCLITests {
    static let linuxCases = ["fix_goto_retarget_rung.c", "fix_shared_out_label_new_block.c", "ret_enomem_goto_out_leak.c"]

    /// Copies of `cases` from fixtures/checks/missing-release into `dir/case`, the headers one up.
    static func copy(_ cases: [String], into dir: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/case", withIntermediateDirectories: true)
        try fm.copyItem(atPath: CLI.root + "/fixtures/checks/include", toPath: dir + "/include")
        for name in cases {
            try fm.copyItem(atPath: CLI.root + "/fixtures/checks/missing-release/" + name, toPath: dir + "/case/" + name)
        }
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// clang-apply-replacements on the exported YAML writes what `--fix` writes.
    @Test func exportedFixesApplyAsFixDoes() throws {
        let fixed = try TemporaryDirectory(), exported = try TemporaryDirectory()
        try Self.copy(Self.linuxCases, into: fixed.path(""))
        try Self.copy(Self.linuxCases, into: exported.path(""))

        let fix = try CLI.run(["lint", "--rules", "linux", "--fix"] + Self.linuxCases, in: fixed.path("case"))
        #expect(fix.status == 1, "the report is of the code as read: \(fix.err)")
        #expect(fix.err.contains("after fixing, 3 changed files have 0 findings (3 before)"), "\(fix.err)")
        #expect(fix.err.contains("jump to 'err_clk' instead of 'err_free'"), "\(fix.err)")

        try FileManager.default.createDirectory(atPath: exported.path("yaml"), withIntermediateDirectories: true)
        let export = try CLI.run(["lint", "--rules", "linux", "--export-fixes", exported.path("yaml/fixes.yaml")] + Self.linuxCases,
                                 in: exported.path("case"))
        #expect(export.status == 1)
        let yaml = try Self.read(exported.path("yaml/fixes.yaml"))
        #expect(yaml.contains("DiagnosticName:  \"missing-release\""))
        for name in Self.linuxCases {
            #expect(try Self.read(exported.path("case/" + name)) == Self.read(CLI.root + "/fixtures/checks/missing-release/" + name),
                    "--export-fixes alone must not edit \(name)")
        }
        let apply = try CLI.run([exported.path("yaml")], in: exported.path(""), executable: "/usr/bin/clang-apply-replacements-19")
        #expect(apply.status == 0, "\(apply.err)")
        for name in Self.linuxCases {
            let mine = try Self.read(fixed.path("case/" + name)), theirs = try Self.read(exported.path("case/" + name))
            #expect(mine == theirs, "\(name): --fix and clang-apply-replacements disagree")
            #expect(mine != (try Self.read(CLI.root + "/fixtures/checks/missing-release/" + name)), "\(name) was not fixed")
        }
    }

    /// A file edited between the analysis and the write is left alone: a fix computed for
    /// other bytes could land anywhere. (The driver test holds the refusal itself; this one
    /// that a second --fix after the first finds nothing left.)
    @Test func aSecondRunHasNothingToFix() throws {
        let dir = try TemporaryDirectory()
        try Self.copy(["fix_shared_out_label_new_block.c"], into: dir.path(""))
        _ = try CLI.run(["lint", "--rules", "linux", "--fix", "fix_shared_out_label_new_block.c"], in: dir.path("case"))
        let again = try CLI.run(["lint", "--rules", "linux", "--fix", "fix_shared_out_label_new_block.c"], in: dir.path("case"))
        #expect(again.status == 0, "\(again.out)\(again.err)")
        #expect(again.err.contains("nothing to fix"))
    }

    static let riscv = ["-target", "riscv64-unknown-elf", "-march=rv64g", "-mcmodel=medany", "-ffreestanding",
                        "-fno-common", "-nostdlibinc"]

    /// Ten release calls of the bundled kernel, each deleted alone: `--fix` puts the kernel
    /// back to lint-clean, and the file still compiles for RISC-V. (file, line, its text.)
    static let seeds: [(file: String, line: Int, text: String)] = [
        ("sysfile.c", 142, "    iunlockput(ip);"),
        ("sysfile.c", 345, "      iunlockput(ip);"),
        ("exec.c", 88, "  iunlockput(ip);"),
        ("vm.c", 191, "      kfree(mem);"),
        ("proc.c", 214, "    uvmunmap(pagetable, TRAMPOLINE, 1, 0);"),
        ("proc.c", 148, "    release(&p->lock);"),
        ("proc.c", 293, "    release(&np->lock);"),
        ("file.c", 42, "  release(&ftable.lock);"),
        ("sysfile.c", 360, "    iunlockput(ip);"),
        ("vm.c", 269, "      kfree(mem);"),
    ]

    @Test(arguments: 0..<10)
    func seededKernelBugIsFixed(_ index: Int) throws {
        let seed = Self.seeds[index]
        let dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: CLI.root + "/fixtures/xv6", toPath: dir.path("xv6"))
        let path = dir.path("xv6/" + seed.file)
        let original = try Self.read(path)
        var lines = original.components(separatedBy: "\n")
        try #require(lines[seed.line - 1] == seed.text, "\(seed.file):\(seed.line) is not '\(seed.text)'")
        lines.remove(at: seed.line - 1)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let broken = try CLI.run(["lint", "--rules", "xv6", seed.file, "--"] + Self.riscv, in: dir.path("xv6"))
        #expect(broken.status == 1, "deleting '\(seed.text)' from \(seed.file) is not reported: \(broken.out)")
        _ = try CLI.run(["lint", "--rules", "xv6", "--fix", seed.file, "--"] + Self.riscv, in: dir.path("xv6"))
        let after = try CLI.run(["lint", "--rules", "xv6", seed.file, "--"] + Self.riscv, in: dir.path("xv6"))
        #expect(after.status == 0, "\(seed.file) after --fix: \(after.out)")
        let compile = try CLI.run(["-fsyntax-only"] + Self.riscv + [seed.file], in: dir.path("xv6"), executable: "/usr/bin/clang-19")
        #expect(compile.status == 0, "\(seed.file) no longer compiles after --fix: \(compile.err)")
        #expect(try Self.read(path) != lines.joined(separator: "\n"), "\(seed.file) was not edited")
    }
}
