import LadderClang
import Testing

/// A cross compiler's name is its target triple with the tool's name after it.
@Suite struct CompilerTargetTests {
    @Test(arguments: [
        ("riscv64-linux-gnu-gcc", "riscv64-linux-gnu"),
        ("aarch64-linux-gnu-gcc-12", "aarch64-linux-gnu"),
        ("/usr/bin/aarch64-linux-gnu-gcc-12.2", "aarch64-linux-gnu"),
        ("x86_64-linux-gnu-gcc", "x86_64-linux-gnu"),
        ("arm-linux-gnueabihf-gcc", "arm-linux-gnueabihf"),
        ("riscv64-unknown-elf-gcc", "riscv64-unknown-elf"),
        ("/opt/cross/bin/mips-linux-gnu-cc", "mips-linux-gnu"),
        ("powerpc64le-linux-gnu-g++", "powerpc64le-linux-gnu"),
        ("x86_64-w64-mingw32-clang", "x86_64-w64-mingw32"),
    ])
    func crossCompilerNamesATarget(_ compiler: String, _ triple: String) {
        #expect(CompilerTarget.triple(fromCompiler: compiler) == triple)
    }

    @Test(arguments: ["gcc", "cc", "clang", "/usr/bin/gcc", "gcc-12", "clang-19", "/usr/lib/llvm-19/bin/clang",
                      "c99", "ccache", "my-build-wrapper", "x86_64-linux-gnu-ld"])
    func nativeCompilerNamesNone(_ compiler: String) {
        #expect(CompilerTarget.triple(fromCompiler: compiler) == nil)
    }

    @Test func explicitTargetIsSeen() {
        #expect(CompilerTarget.isExplicit(in: ["-O2", "--target=riscv64-linux-gnu"]))
        #expect(CompilerTarget.isExplicit(in: ["-target", "riscv64-linux-gnu", "-O2"]))
        #expect(CompilerTarget.isExplicit(in: ["--target", "riscv64-linux-gnu"]))
        #expect(!CompilerTarget.isExplicit(in: ["-O2", "-DTARGET=1", "-mtune=generic"]))
    }
}

/// `command` strings are split as a POSIX shell would, since Kbuild quotes for one.
@Suite struct ShellWordsTests {
    @Test func quotingAndEscapes() throws {
        #expect(try ShellWords.split(#"gcc -DKBUILD_MODNAME='"demo"' -c a.c"#) == ["gcc", #"-DKBUILD_MODNAME="demo""#, "-c", "a.c"])
        #expect(try ShellWords.split(#"cc "-DMSG=\"two words\"" a\ b.c"#) == ["cc", #"-DMSG="two words""#, "a b.c"])
        #expect(try ShellWords.split("  cc\t-O2 \n -c  ") == ["cc", "-O2", "-c"])
        #expect(try ShellWords.split(#"cc -DEMPTY='' x.c"#) == ["cc", "-DEMPTY=", "x.c"])
        #expect(try ShellWords.split(#"cc "a\$b\q" x.c"#) == ["cc", #"a$b\q"#, "x.c"])
        #expect(try ShellWords.split("") == [])
    }

    @Test func unterminatedQuotesAreErrors() {
        #expect(throws: ShellWords.Unterminated.self) { try ShellWords.split("cc -DX='oops") }
        #expect(throws: ShellWords.Unterminated.self) { try ShellWords.split(#"cc "-DX=oops"#) }
        #expect(throws: ShellWords.Unterminated.self) { try ShellWords.split(#"cc -DX\"#) }
    }
}
