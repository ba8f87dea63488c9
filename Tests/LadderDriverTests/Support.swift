import Foundation
import LadderClang
import LadderCore
import LadderDriver
import LadderTestSupport
import Synchronization

/// The repository and its fixtures, found from this file.
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// The `.c` files of fixtures/checks, absolute, sorted.
    static var checkFixtures: [String] {
        SourceSet.cFiles(under: path("fixtures/checks"))
    }
}

/// A fresh directory per test, removed afterwards; tests run in parallel. It holds
/// include/xv6.h so that cases can include "include/xv6.h".
struct Scratch: ~Copyable {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-driver-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/include", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("fixtures/checks/include/xv6.h"), toPath: root + "/include/xv6.h")
    }

    func path(_ name: String) -> String { root + "/" + name }

    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// C sources the tests write: one leak, and the same function without it.
enum Source {
    static let leak = SampleSources.leak

    /// The line of `leak`'s leaking `return`.
    static let leakLine = 7

    static let fixed = """
        #include "include/xv6.h"
        int copy_in(char *src) {
          char *mem;
          if((mem = kalloc()) == 0)
            return -1;
          if(src == 0){
            kfree(mem);
            return -1;
          }
          kfree(mem);
          return 0;
        }

        """

    /// A second function with a leak of its own, for baselines.
    static let secondLeak = """
        int copy_out(char *dst) {
          char *page;
          if((page = kalloc()) == 0)
            return -1;
          if(dst == 0)
            return -2;
          kfree(page);
          return 0;
        }

        """
}

/// The in-process front end, counting the files it is asked to load.
final class CountingFrontends: UnitLoaderFactory {
    let loads = Atomic<Int>(0)

    func makeLoader() -> any UnitLoader { Loader(counter: self) }

    var count: Int { loads.load(ordering: .relaxed) }

    struct Loader: UnitLoader {
        let counter: CountingFrontends
        let frontend = Frontend()

        func load(_ command: CompileCommand, lowering: Bool, unsavedFiles: [String: String]) -> Result<LoadedUnit, ProcessingError> {
            counter.loads.add(1, ordering: .relaxed)
            return frontend.load(command, lowering: lowering, unsavedFiles: unsavedFiles)
        }
    }
}

extension LintOptions {
    /// These files alone: no compile database from the test's working directory.
    static func files(_ paths: [String], rules: [String] = ["xv6"]) -> LintOptions {
        LintOptions(paths: paths, compileDatabase: .none, rulePacks: rules)
    }
}
