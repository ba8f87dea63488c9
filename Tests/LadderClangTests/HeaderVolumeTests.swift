import Foundation
@testable import LadderClang
import Testing

/// A preamble is built only for a file whose headers are large enough to pay for it
/// (`HeaderVolume`): xv6-sized headers are parsed plainly, kernel-sized ones through it.
@Suite final class HeaderVolumeTests {
    let dir: String = {
        let d = NSTemporaryDirectory() + "ladder-headers-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d + "/inc/sub", withIntermediateDirectories: true)
        return d
    }()

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// A header of `bytes` bytes, most of them one comment.
    func bulk(_ name: String, _ bytes: Int, _ body: String = "") {
        write(name, body + "/*" + String(repeating: "x", count: max(0, bytes - body.utf8.count - 4)) + "*/")
    }

    static let limit = HeaderVolume.worthPreamble

    @Test("headers reached through quotes, -I, -isystem and -include all count, each once")
    func counted() {
        // Half the limit each: together they reach it, alone they do not.
        bulk("inc/sub/big.h", Self.limit / 2 + 1)
        write("inc/a.h", "#include \"sub/big.h\"\n")
        write("local.h", "  #  include <a.h>\n#include \"local2.h\"\n")
        bulk("local2.h", Self.limit / 2 + 1, "#include <sub/big.h>\n")
        bulk("forced.h", Self.limit / 2 + 1)
        let main = write("main.c", "#include \"local.h\"\nint f(void) { return 0; }\n")
        let volume = HeaderVolume()
        let reaches = { (arguments: [String]) in
            volume.reaches(Self.limit, command: CompileCommand(file: main, arguments: arguments), unsavedFiles: [:])
        }
        #expect(reaches(["-I", self.dir + "/inc"]), "big.h through a.h on -I, and local2.h beside the file")
        #expect(reaches(["-isystem\(self.dir)/inc"]))
        // Without the directory, big.h is found nowhere: local2.h alone is half.
        #expect(!reaches([]))
        #expect(reaches(["-include", self.dir + "/forced.h"]))
        #expect(reaches(["-I\(self.dir)/inc"]), "joined")
        #expect(reaches(["-idirafter", self.dir + "/inc"]))
        #expect(reaches(["-include\(self.dir)/forced.h"]), "joined")
        // Flags whose value only looks like a forced include.
        #expect(!reaches(["-include-pch", self.dir + "/forced.h"]))
        #expect(!reaches(["-Xclang", "-include", self.dir + "/forced.h"]))
        // -iquote serves quoted names only: <a.h> is not found through it.
        #expect(!reaches(["-iquote", self.dir + "/inc"]))
        // A forced include that is also #included is read once.
        write("forcedtoo.c", "#include \"forced.h\"\n")
        let forcedToo = CompileCommand(file: dir + "/forcedtoo.c", arguments: ["-include", dir + "/forced.h"])
        #expect(!volume.reaches(Self.limit, command: forcedToo, unsavedFiles: [:]))
    }

    @Test("a header edited to the same size is read again")
    func edited() {
        bulk("huge2.h", Self.limit + 1)
        let include = "#include \"huge2.h\"\n"
        write("h1.h", include)
        let main = write("m.c", "#include \"h1.h\"\n")
        let volume = HeaderVolume()
        #expect(volume.reaches(Self.limit, command: CompileCommand(file: main), unsavedFiles: [:]))
        write("h1.h", String(repeating: " ", count: include.utf8.count))
        #expect(!volume.reaches(Self.limit, command: CompileCommand(file: main), unsavedFiles: [:]))
    }

    @Test("an angled name is not looked for beside the file that includes it")
    func angled() {
        bulk("beside.h", Self.limit + 1)
        let quoted = write("quoted.c", "#include \"beside.h\"\n")
        let angled = write("angled.c", "#include <beside.h>\n")
        let volume = HeaderVolume()
        #expect(volume.reaches(Self.limit, command: CompileCommand(file: quoted), unsavedFiles: [:]))
        #expect(!volume.reaches(Self.limit, command: CompileCommand(file: angled), unsavedFiles: [:]))
        #expect(volume.reaches(Self.limit, command: CompileCommand(file: angled, arguments: ["-I", dir]), unsavedFiles: [:]))
    }

    @Test("an editor's buffer is read instead of the file on disk")
    func unsaved() {
        bulk("huge.h", Self.limit + 1)
        let main = write("edited.c", "int f(void) { return 0; }\n")
        let command = CompileCommand(file: main)
        #expect(!HeaderVolume().reaches(Self.limit, command: command, unsavedFiles: [:]))
        #expect(HeaderVolume().reaches(Self.limit, command: command, unsavedFiles: [main: "#include \"huge.h\"\n"]))
    }

    /// Told apart from outside: an error inside a header's function body is skipped with
    /// a preamble and a parse error without one.
    @Test("a file with small headers is parsed plainly, one with large headers through a preamble")
    func chosen() throws {
        let broken = "static inline int g(void) { return undeclared_name; }\n"
        write("small.h", broken)
        bulk("large.h", Self.limit + 1, broken)
        let small = write("small.c", "#include \"small.h\"\nint f(void) { return 0; }\n")
        let large = write("large.c", "#include \"large.h\"\nint f(void) { return 0; }\n")
        let frontend = Frontend()
        #expect(!frontend.usesPreamble(CompileCommand(file: small)))
        #expect(frontend.usesPreamble(CompileCommand(file: large)))
        if case .success = frontend.load(CompileCommand(file: small)) { Issue.record("the small header's error was skipped") }
        _ = try frontend.load(CompileCommand(file: large)).get()
        let always = Frontend(options: ParseOptions.standard.union(.evenForSmallHeaders))
        #expect(always.usesPreamble(CompileCommand(file: small)))
        _ = try always.load(CompileCommand(file: small)).get()
        #expect(!Frontend(options: [.recordInclusions]).usesPreamble(CompileCommand(file: large)))
    }

    @Test("include lines are read as the preprocessor spells them, and nothing else is")
    func lines() {
        let text = "#include <a.h>\n\t# include \"b.h\"\n// #include <c.h>\n#define X 1\n#include MACRO\n#include <unclosed\n#includ <d.h>\n#include <>\n"
        let found = HeaderVolume.includes(in: Array(text.utf8))
        #expect(found.map(\.name) == ["a.h", "b.h"])
        #expect(found.first?.angled == true && found.dropFirst().first?.angled == false)
        #expect(HeaderVolume.directory(of: "/usr/include/linux/kernel.h") == "/usr/include/linux")
        #expect(HeaderVolume.directory(of: "/kernel.h") == "/")
    }
}
