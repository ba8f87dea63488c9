import Foundation
import Testing
@testable import LadderReport

@Suite struct AtomicWriteTests {
    @Test func writesAndReplacesWholeFiles() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("ladder.sarif")
        try writeAtomically("first\n", to: path)
        try writeAtomically("second, longer\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer\n")
        #expect(dir.entries == ["ladder.sarif"])
    }

    @Test func keepsTheModeOfAnExistingFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("report.json")
        try writeAtomically("{}", to: path)
        #expect(chmod(path, 0o600) == 0)
        try writeAtomically("{\"a\": 1}", to: path)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func missingDirectoryIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("no/such/dir/report.sarif")
        let error = #expect(throws: ReportError.self) { try writeAtomically("x", to: path) }
        #expect(error?.file == path)
        #expect(error?.message.contains("No such file or directory") == true)
        #expect(dir.entries.isEmpty)
    }

    @Test func parentThatIsAFileIsAClearError() throws {
        let dir = try TemporaryDirectory()
        try writeAtomically("x", to: dir.path("plain"))
        let error = #expect(throws: ReportError.self) { try writeAtomically("y", to: dir.path("plain/report.json")) }
        #expect(error?.message.contains("Not a directory") == true)
        #expect(dir.entries == ["plain"])
    }

    #if os(Linux)
    /// Unwritable even for root, which is who CI runs as.
    @Test func unwritableForRootToo() throws {
        let error = #expect(throws: ReportError.self) { try writeAtomically("x", to: "/proc/ladder-report.sarif") }
        #expect(error?.description.hasPrefix("/proc/ladder-report.sarif: cannot create a file in /proc: ") == true)
        #expect(!FileManager.default.fileExists(atPath: "/proc/ladder-report.sarif"))
    }
    #endif

    @Test func directoryAsTargetIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: ReportError.self) { try writeAtomically("x", to: dir.url.path) }
        #expect(error?.message == "cannot write: is a directory")
    }

    /// An unwritable directory leaves neither the report nor a temporary behind, and an
    /// existing report there is untouched. (Root ignores permissions, so this needs another
    /// user; CI runs as root, where the directory case above stands in.)
    @Test(.enabled(if: geteuid() != 0, "root bypasses directory permissions"))
    func unwritableDirectoryLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("report.sarif")
        try writeAtomically("old\n", to: path)
        #expect(chmod(dir.url.path, 0o555) == 0)
        let error = #expect(throws: ReportError.self) { try writeAtomically("new\n", to: path) }
        #expect(error?.message.contains("Permission denied") == true)
        #expect(dir.entries == ["report.sarif"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    }
}
