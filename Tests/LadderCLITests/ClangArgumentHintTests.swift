import Testing

/// Clang arguments without `--` are the usual first mistake: the usage error says where they go.
@Suite struct ClangArgumentHintTests {
    @Test func hintMovesClangArgumentsAfterSeparator() throws {
        let run = try CLI.run(["lint", "fixtures/xv6", "-Ikernel", "-target", "riscv64-unknown-elf", "--format", "text"])
        #expect(run.status == 2)
        #expect(run.err.contains(
            "ladder: hint: '-Ikernel' is a clang argument; clang arguments go after --: ladder lint fixtures/xv6 --format text -- -Ikernel -target riscv64-unknown-elf"),
            "\(run.err)")
    }

    @Test func noHintForLadderTypos() throws {
        let run = try CLI.run(["lint", "fixtures/xv6", "--formt", "json"])
        #expect(run.status == 2)
        #expect(!run.err.contains("hint:"), "\(run.err)")
    }

    @Test func clangArgumentsOnBothSidesOfSeparator() throws {
        let run = try CLI.run(["lint", "fixtures/xv6", "-Ikernel", "--", "-DFOO"])
        #expect(run.status == 2)
        #expect(run.err.contains("clang arguments go after --: ladder lint fixtures/xv6 -- -Ikernel -DFOO"), "\(run.err)")
    }
}
