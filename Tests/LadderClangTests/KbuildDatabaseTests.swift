import Foundation
import LadderClang
import LadderCore
import Testing

/// Kbuild's compile commands for a gcc build, as `scripts/clang-tools/gen_compile_commands.py`
/// writes them: every file must parse, whatever gcc-only options the build used.
@Suite struct KbuildDatabaseTests {
    static let kbuild = Paths.fixtures("databases/kbuild")
    static let x86 = kbuild + "/x86_64-gcc.json"
    static let riscv = kbuild + "/riscv64-cross.json"

    @Test("every file parses", arguments: [x86, riscv])
    func everyFileParses(_ database: String) throws {
        let set = try SourceSet.fromDatabase(database, paths: [], extraArguments: [])
        #expect(set.errors.isEmpty, "\(set.errors)")
        #expect(set.commands.count == 2)
        let frontend = Frontend()
        for command in set.commands {
            switch frontend.load(command) {
            case .success(let loaded): #expect(!loaded.unit.functions.isEmpty)
            case .failure(let error): Issue.record("\(error)")
            }
        }
    }

    /// What libclang rejects is dropped and said once for the whole database, not per file.
    @Test func droppedOptionsAreReportedOnce() throws {
        let set = try SourceSet.fromDatabase(Self.x86, paths: [], extraArguments: [])
        let dropped = set.adjustments.dropped.map(\.option)
        for gccOnly in ["-fno-ipa-cp-clone", "-fconserve-stack", "-mindirect-branch=thunk-extern",
                        "-mindirect-branch-register", "-fno-allow-store-data-races", "-mpreferred-stack-boundary=3",
                        "-fmin-function-alignment=16", "-fsanitize=bounds-strict", "-falign-jumps=1"] {
            #expect(dropped.filter { $0 == gccOnly }.count == 1, "\(gccOnly) in \(dropped)")
            #expect(set.notes.filter { $0.contains(gccOnly) }.count == 1, "\(gccOnly) in \(set.notes)")
        }
        // Options every clang has are kept: the probe tells them apart, nothing drops wholesale.
        for common in ["-fno-strict-aliasing", "-mcmodel=kernel", "-mno-red-zone", "-O2", "-fno-common",
                       "-std=gnu11", "-fshort-wchar", "-nostdinc"] {
            #expect(!dropped.contains(common), "\(common) was dropped")
            #expect(set.commands.allSatisfy { $0.arguments.contains(common) }, "\(common) missing")
        }
        #expect(set.adjustments.dropped.allSatisfy { $0.entries == 2 })
        // Unknown warning options are kept: libclang would print its warning about each on
        // stderr while probing, and the frontend silences them anyway.
        #expect(!dropped.contains("-Wno-maybe-uninitialized"))
        #expect(set.adjustments.dropped.first { $0.option == "-falign-jumps=1" }?.kind == .ignored)
        #expect(set.adjustments.dropped.first { $0.option == "-fno-ipa-cp-clone" }?.kind == .rejected)
        for command in set.commands {
            #expect(Set(command.arguments).isDisjoint(with: dropped))
        }
    }

    /// A rejected option really stops a parse on its own: checked with the frontend that
    /// parses the files, not with the probe that decided.
    @Test func rejectedOptionsFailAParseAlone() throws {
        let set = try SourceSet.fromDatabase(Self.x86, paths: [], extraArguments: [])
        let dir = try TemporaryFolder()
        let file = dir.path + "/empty.c"
        try "int unused;\n".write(toFile: file, atomically: true, encoding: .utf8)
        let rejected = set.adjustments.dropped.filter { $0.kind == .rejected }
        #expect(rejected.count >= 8)
        let frontend = Frontend()
        for option in rejected {
            let arguments = option.option.split(separator: " ").map(String.init)
            if case .success = frontend.load(CompileCommand(file: file, arguments: arguments)) {
                Issue.record("\(option.option) was dropped but parses")
            }
        }
    }

    /// Output, dependency files, warnings-as-errors, gcc plugins, the compiler and the source
    /// itself never reach libclang; a `-Wp,-MMD` that did would write a `.d` into the tree.
    @Test func buildOnlyOptionsNeverReachTheParse() throws {
        let set = try SourceSet.fromDatabase(Self.x86, paths: [], extraArguments: [])
        for command in set.commands {
            for argument in command.arguments {
                #expect(!argument.hasPrefix("-Wp,-MMD") && !argument.hasPrefix("-Werror") && !argument.hasPrefix("-fplugin"),
                        "\(argument)")
                #expect(!["-c", "-o", "gcc"].contains(argument) && !argument.hasSuffix(".c") && !argument.hasSuffix(".o"),
                        "\(argument)")
            }
            _ = Frontend().load(command)
        }
        #expect(!FileManager.default.fileExists(atPath: Self.kbuild + "/linux/drivers/demo/.demo.o.d"))
        #expect(!FileManager.default.fileExists(atPath: Self.kbuild + "/linux/lib/.helper.o.d"))
    }

    @Test func crossCompilerGivesTheTarget() throws {
        let set = try SourceSet.fromDatabase(Self.riscv, paths: [], extraArguments: [])
        #expect(set.commands.allSatisfy { $0.arguments.first == "--target=riscv64-linux-gnu" })
        #expect(set.adjustments.targets == [InferredTarget(compiler: "riscv64-linux-gnu-gcc", triple: "riscv64-linux-gnu", entries: 2)])
        #expect(set.notes.filter { $0.contains("riscv64-linux-gnu") }.count == 1, "\(set.notes)")
        // gcc's riscv options that clang knows stay: they set the macros the headers test.
        #expect(set.commands.allSatisfy { $0.arguments.contains("-mabi=lp64") && $0.arguments.contains("-mcmodel=medany") })
    }

    @Test func explicitTargetIsNotDoubled() throws {
        let dir = try TemporaryFolder()
        let entries: [[String: Any]] = [
            ["directory": dir.path, "file": "a.c", "arguments": ["aarch64-linux-gnu-gcc", "--target=riscv64-linux-gnu", "-c", "a.c"]],
            ["directory": dir.path, "file": "b.c", "arguments": ["aarch64-linux-gnu-gcc", "-target", "riscv64-linux-gnu", "-c", "b.c"]],
        ]
        try JSONSerialization.data(withJSONObject: entries).write(to: URL(fileURLWithPath: dir.path + "/db.json"))
        let set = try SourceSet.fromDatabase(dir.path + "/db.json", paths: [], extraArguments: [])
        #expect(set.commands.map(\.arguments) == [["--target=riscv64-linux-gnu"], ["-target", "riscv64-linux-gnu"]])
        #expect(set.adjustments.targets.isEmpty)
    }

    /// The verdicts are per distinct option: forty files with the build's flags cost what two do.
    @Test func probesDoNotGrowWithFiles() throws {
        let two = try SourceSet.fromDatabase(Self.x86, paths: [], extraArguments: [])
        let template = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.x86))) as? [[String: Any]])
        let command = try #require(template.first?["command"] as? String)
        let dir = try TemporaryFolder()
        let many: [[String: Any]] = (0..<40).map { i in
            let spelled = command.replacingOccurrences(of: "demo", with: "unit\(i)")
            return ["directory": Self.kbuild + "/linux", "file": "drivers/unit\(i)/unit\(i).c", "command": spelled]
        }
        try JSONSerialization.data(withJSONObject: many).write(to: URL(fileURLWithPath: dir.path + "/many.json"))
        let forty = try SourceSet.fromDatabase(dir.path + "/many.json", paths: [], extraArguments: [])
        #expect(forty.commands.count == 40)
        #expect(two.adjustments.probing.probes > 0)
        #expect(forty.adjustments.probing.probes == two.adjustments.probing.probes)
        #expect(Set(forty.adjustments.dropped.map(\.option)) == Set(two.adjustments.dropped.map(\.option)))
        #expect(forty.adjustments.dropped.allSatisfy { $0.entries == 40 })
    }

    /// `--extra-arg-before` goes right after the compiler (and its target), `--extra-arg` last,
    /// as clang-tidy places them; the user's own options are passed as given, never probed.
    @Test func extraArgumentsBeforeAndAfter() throws {
        let set = try SourceSet.fromDatabase(Self.riscv, paths: [], extraArgumentsBefore: ["-DBEFORE", "-fno-ipa-cp-clone"],
                                             extraArguments: ["-DAFTER"])
        for command in set.commands {
            #expect(Array(command.arguments.prefix(3)) == ["--target=riscv64-linux-gnu", "-DBEFORE", "-fno-ipa-cp-clone"])
            #expect(command.arguments.last == "-DAFTER")
        }
        let paths = SourceSet.fromPaths([Self.kbuild + "/linux/lib/helper.c"], extraArgumentsBefore: ["-DBEFORE"], extraArguments: ["-DAFTER"])
        #expect(paths.commands.map(\.arguments) == [["-DBEFORE", "-DAFTER"]])
    }

    /// An extra `--target` from the user wins over the one the compiler's name suggests.
    @Test func extraTargetWinsOverInference() throws {
        let set = try SourceSet.fromDatabase(Self.riscv, paths: [], extraArguments: ["--target=riscv32-linux-gnu"])
        #expect(set.commands.allSatisfy { !$0.arguments.contains("--target=riscv64-linux-gnu") })
        #expect(set.adjustments.targets.isEmpty)
    }
}
