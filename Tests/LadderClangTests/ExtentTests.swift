import Foundation
import LadderClang
import LadderCore
import Testing

/// The extents lowering records from libclang: what every report underlines. A statement's
/// range excludes its `;`; a call spelled by a macro spans the macro's invocation; the exit
/// through the end of a `void` function is its closing brace.
@Suite struct ExtentTests {
    static let source = """
        void kfree(void *);
        void *kalloc(void);
        #define RELEASE(p) kfree(p)
        int f(int x) {
          void *p = kalloc();
          if (x)
            goto out;
          RELEASE(p);
          kfree(
            p);
          return x + 1;
        out:
          return -1;
        }
        void g(void) {
          kfree(0);
        }

        """

    static func lowered() throws -> [Function] {
        let path = NSTemporaryDirectory() + "ladder-extent-\(UUID().uuidString).c"
        FileManager.default.createFile(atPath: path, contents: Data(source.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Frontend().load(CompileCommand(file: path)).get().unit.functions
    }

    static func span(_ l: LadderCore.SourceLocation) -> String {
        "\(l.line):\(l.column)-\(l.end.map { "\($0.line):\($0.column)" } ?? "?")"
    }

    @Test("calls, gotos and returns carry their extent")
    func extents() throws {
        let functions = try Self.lowered()
        let f = try #require(functions.first { $0.name == "f" })
        var calls: [String] = [], gotos: [String] = [], returns: [String] = []
        for block in f.blocks {
            for case .call(let call) in block.statements where call.callee != nil {
                calls.append("\(call.callee!) \(Self.span(call.location))")
            }
            switch block.terminator {
            case .jump(_, let via?): gotos.append(Self.span(via.location))
            case .return(_, let location): returns.append(Self.span(location))
            default: break
            }
        }
        #expect(calls.sorted() == ["kalloc 5:13-5:21", "kfree 8:3-8:13", "kfree 9:3-10:7"])
        #expect(gotos == ["7:5-7:13"])
        #expect(returns.sorted() == ["11:3-11:15", "13:3-13:12"])

        let g = try #require(functions.first { $0.name == "g" })
        let exits = g.blocks.compactMap { block -> String? in
            if case .return(_, let location) = block.terminator { return Self.span(location) }
            return nil
        }
        #expect(exits == ["17:1-17:2"], "falling off the end leaves through the closing brace")
    }
}
