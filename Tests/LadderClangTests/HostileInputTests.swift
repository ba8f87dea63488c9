import Foundation
@testable import LadderClang
import LadderCore
import Testing

/// Inputs a fuzzer or an odd tree throws at the front end (bench/fuzz/hostile.py generates
/// the same shapes at other sizes). Before the fixes each of these crashed the process (a
/// stack overflow in libclang's 8 MB parse thread or in lowering), was refused though clang
/// accepts it, or blocked on a read.
@Suite final class HostileInputTests {
    let dir: String = {
        let d = NSTemporaryDirectory() + "ladder-hostile-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    // Each test gets a fresh instance and folder; none is left behind.
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func load(_ path: String) throws -> LoadedUnit {
        try Frontend().load(CompileCommand(file: path)).get()
    }

    static func chain(_ term: String, _ op: String, _ count: Int) -> String {
        Array(repeating: term, count: count).joined(separator: " \(op) ")
    }

    @Test("a 5,200-term + chain is lowered without recursion, to one opaque value")
    func longSum() throws {
        let file = write("sum.c", "int f(int a) { return \(Self.chain("a", "+", 5_200)); }\n")
        let unit = try load(file)
        let function = try #require(unit.unit.functions.first)
        guard case .return(let value?, _) = function.blocks.last?.terminator else {
            Issue.record("f returns its chain")
            return
        }
        #expect(value.kind == .opaque && value.text.hasPrefix("a + a + a"))
        #expect(unit.errors.isEmpty)
    }

    @Test("a file-scope array of arrays of structs with an empty row loads, and an address list beside it is read")
    func emptyRowInArrayOfStructArrays() throws {
        // libclang's evaluator crashed (SIGSEGV) on the empty `{}` row: the initialiser reader
        // asked it whether each element was NULL (drivers/mmc/host/dw_mmc-k3.c's timing table).
        let file = write("rows.c", """
            struct timing { int drv; int dly; };
            static struct timing cfg[2][2] = { { }, { {7, 0}, {6, 0} } };
            struct attribute { const char *name; };
            static struct attribute a0, a1;
            static struct attribute *attrs[] = { &a0, &a1, ((void *)0) };
            int use(void) { return cfg[1][0].drv + (attrs[0] != 0); }

            """)
        let unit = try load(file)
        #expect(unit.errors.isEmpty)
        let initializers = unit.unit.staticInitializers ?? []
        let list = try #require(initializers.first { $0.name == "attrs" })
        #expect(list.addresses?.map(\.description) == ["&a0", "&a1"])
        #expect(!initializers.contains { $0.name == "cfg" })
    }

    @Test("a call written over CRLF lines reads as one line, as over LF lines")
    func crlfCallTextIsFolded() throws {
        let body = "void *kalloc(void);\nvoid kfree(void *);\nvoid f(void) {\n  void *p = kalloc(\n  );\n  kfree(p);\n}\n"
        let texts = try [("lf.c", body), ("crlf.c", body.replacingOccurrences(of: "\n", with: "\r\n"))].map { name, text in
            let function = try #require(try load(write(name, text)).unit.functions.first)
            return function.blocks.flatMap(\.statements).compactMap { statement -> String? in
                if case .call(let call) = statement { return call.text }
                return nil
            }
        }
        #expect(texts[0] == ["kalloc( )", "kfree(p)"])
        #expect(texts[1] == texts[0])
    }

    @Test("a long chain of constants still folds; a short one keeps its tree")
    func chainsFoldAndShortOnesStay() throws {
        let file = write("fold.c", """
            int f(void) { return \(Self.chain("1", "+", 1_000)); }
            int g(int a, int b) { return a + b - 2; }

            """)
        let functions = try load(file).unit.functions
        guard case .return(let folded?, _) = functions[0].blocks.last?.terminator,
              case .return(let tree?, _) = functions[1].blocks.last?.terminator else {
            Issue.record("both functions return a value")
            return
        }
        #expect(folded.constantValue == 1_000)
        #expect(tree.text == "a + b - 2")
        guard case .binary(.sub, let left, let right) = tree.kind else {
            Issue.record("a + b - 2 is (a + b) - 2, got \(tree.kind)")
            return
        }
        #expect(left.text == "a + b" && right.constantValue == 2)
    }

    @Test("a 20,000-term && condition: every term is its own test, in order")
    func longConjunction() throws {
        let file = write("and.c", "int g(int a) { if (\(Self.chain("a", "&&", 20_000))) return 1; return 0; }\n")
        let function = try #require(try load(file).unit.functions.first)
        let branches = function.blocks.filter { if case .branch = $0.terminator { true } else { false } }
        #expect(branches.count == 20_000)
    }

    @Test("a 20,000-term || condition, and a 20,000-term comma expression")
    func longDisjunctionAndComma() throws {
        let file = write("or.c", """
            int g(int a) { if (\(Self.chain("a", "||", 20_000))) return 1; return 0; }
            int h(int a) { return (\(Self.chain("a", ",", 20_000))); }

            """)
        let functions = try load(file).unit.functions
        #expect(functions.map(\.name) == ["g", "h"])
        let branches = functions[0].blocks.filter { if case .branch = $0.terminator { true } else { false } }
        #expect(branches.count == 20_000)
    }

    @Test("calls inside a long chain are still hoisted, in evaluation order")
    func callsInALongChain() throws {
        let terms = (0..<300).map { "f\($0)()" }.joined(separator: " + ")
        let declarations = (0..<300).map { "int f\($0)(void);" }.joined(separator: "\n")
        let file = write("calls.c", "\(declarations)\nint g(void) { return \(terms); }\n")
        let function = try #require(try load(file).unit.functions.first)
        let callees = function.blocks.flatMap(\.statements).compactMap { s -> String? in
            if case .call(let call) = s { call.callee } else { nil }
        }
        #expect(callees == (0..<300).map { "f\($0)" })
    }

    @Test("code nested past the lowering's limit costs its function, not the file or the process")
    func nestedPastTheLimit() throws {
        let depth = FunctionLowering.maximumDepth + 500
        let nested = String(repeating: "if (a) ", count: depth) + "return 1;"
        let file = write("deep.c", """
            int deep(int a) { \(nested) return 0; }
            int shallow(int a) { return -a; }

            """)
        let unit = try load(file)
        #expect(unit.unit.functions.map(\.name) == ["shallow"])
        #expect(unit.errors.count == 1)
        let error = try #require(unit.errors.first)
        #expect(error.file == file && error.line == 1)
        #expect(error.message.hasPrefix("function 'deep' not analysed: its code nests more than \(FunctionLowering.maximumDepth) levels deep"))
    }

    @Test("a Latin-1 byte in a comment and a string is read as clang reads it")
    func latin1() throws {
        var bytes = Data("/* caf".utf8) + Data([0xe9]) + Data(" */\nconst char *s = \"na".utf8) + Data([0xef])
        bytes += Data("ve\";\nint f(int a) { return a; }\n".utf8)
        let path = dir + "/latin1.c"
        FileManager.default.createFile(atPath: path, contents: bytes)
        #expect(try load(path).unit.functions.map(\.name) == ["f"])
    }

    @Test("a FIFO is refused by its kind, at once: reading it would block until a writer came")
    func fifo() throws {
        let path = dir + "/pipe.c"
        #expect(mkfifo(path, 0o600) == 0)
        // Should the front end open it anyway, a writer comes after 5 s and the time shows it.
        let unblock = Thread {
            Thread.sleep(forTimeInterval: 5)
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        unblock.start()
        let start = Date()
        let result = Frontend().load(CompileCommand(file: path))
        #expect(Date().timeIntervalSince(start) < 4)
        guard case .failure(let error) = result else {
            Issue.record("a FIFO must not load")
            return
        }
        #expect(error.message == "is a FIFO, not a regular file; ladder reads C sources from regular files only")
    }

    @Test("a copy of /dev/zero is refused by its kind, not read for ever",
          .enabled(if: geteuid() == 0, "mknod needs root"))
    func characterDevice() throws {
        let path = dir + "/zero.c"
        #expect(mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | 5)) == 0)
        guard case .failure(let error) = Frontend().load(CompileCommand(file: path)) else {
            Issue.record("a device must not load")
            return
        }
        #expect(error.message == "is a character device, not a regular file; ladder reads C sources from regular files only")
    }

    @Test("a forced include that is a device or a FIFO is refused by its kind, not read for ever")
    func forcedIncludeOfDevice() throws {
        let file = write("main.c", "int f(void) { return 0; }\n")
        #expect(mkfifo(dir + "/pipe.h", 0o600) == 0)
        let device = "is a character device, not a regular file; ladder passes clang regular files only"
        let cases: [([String], String)] = [
            (["-include", "/dev/zero"], "-include /dev/zero: " + device),
            (["-include/dev/zero"], "-include /dev/zero: " + device),
            (["-imacros", "/dev/zero"], "-imacros /dev/zero: " + device),
            // Relative to the command's directory, as clang looks first.
            (["-include", "pipe.h"], "-include pipe.h: is a FIFO, not a regular file; ladder passes clang regular files only"),
        ]
        for (arguments, message) in cases {
            let start = Date()
            let result = Frontend().load(CompileCommand(file: file, directory: dir, arguments: arguments))
            #expect(Date().timeIntervalSince(start) < 4)
            guard case .failure(let error) = result else {
                Issue.record("\(arguments) must not load")
                continue
            }
            #expect(error.file == file)
            #expect(error.message == message)
        }
        // A forced include that is a regular file, that clang finds on the include path
        // (past a directory of its name where it looks first), or /dev/null, is clang's to read.
        _ = write("ok.h", "#define OK 1\n")
        try FileManager.default.createDirectory(atPath: dir + "/stddef.h", withIntermediateDirectories: false)
        for arguments in [["-include", "ok.h"], ["-include", "stddef.h"], ["-include", "/dev/null"], ["-imacros/dev/null"]] {
            let result = Frontend().load(CompileCommand(file: file, directory: dir, arguments: arguments))
            if case .failure(let error) = result { Issue.record("\(arguments): \(error.message)") }
        }
    }

    @Test("a link loop and a dangling link each say what they are")
    func brokenLinks() throws {
        #expect(symlink("b.c", dir + "/a.c") == 0)
        #expect(symlink("a.c", dir + "/b.c") == 0)
        #expect(symlink("gone.c", dir + "/dangling.c") == 0)
        guard case .failure(let loop) = Frontend().load(CompileCommand(file: dir + "/a.c")),
              case .failure(let dangling) = Frontend().load(CompileCommand(file: dir + "/dangling.c")) else {
            Issue.record("broken links must not load")
            return
        }
        #expect(loop.message == "is a symbolic link that loops (too many levels of symbolic links)")
        #expect(dangling.message == "is a symbolic link to a missing file")
    }
}
