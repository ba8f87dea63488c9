import Foundation
import Testing
@testable import LadderReport

/// `-o` and `--write-baseline` replace only regular files: a symbolic link is followed to its
/// target, a device or FIFO is written through, anything else is refused. Every node here is
/// made privately in a temporary directory (devices with `mknod`, which needs root), never
/// the system's `/dev`.
@Suite struct OutputTargetTests {
    static var isRoot: Bool { geteuid() == 0 }

    /// A character device node like the system's (`1,3` is null, `1,7` full), or false.
    static func makeCharacterDevice(_ path: String, major: UInt64, minor: UInt64) -> Bool {
        // Linux's dev_t encoding (glibc's makedev is a macro Swift does not import).
        let device = ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32)
        return mknod(path, S_IFCHR | 0o666, dev_t(device)) == 0
    }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test("a link is followed: its target gets the report, the link stays a link")
    func symbolicLink() throws {
        let dir = try TemporaryDirectory()
        let target = dir.path("real.json"), link = dir.path("link.json")
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        #expect(symlink("real.json", link) == 0)
        try writeAtomically("new\n", to: link)
        #expect(Self.kind(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(dir.entries == ["link.json", "real.json"], "a temporary was left behind")
    }

    @Test("a chain of links, relative and absolute, and a dangling one: the final target is written")
    func linkChainAndDanglingLink() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        #expect(symlink(dir.path("sub/middle"), dir.path("first")) == 0)
        #expect(symlink("final.sarif", dir.path("sub/middle")) == 0)
        try writeAtomically("{}\n", to: dir.path("first"))
        #expect(Self.kind(dir.path("first")) == S_IFLNK && Self.kind(dir.path("sub/middle")) == S_IFLNK)
        #expect(try String(contentsOfFile: dir.path("sub/final.sarif"), encoding: .utf8) == "{}\n")
    }

    @Test("a link loop is refused, and nothing is written")
    func linkLoop() throws {
        let dir = try TemporaryDirectory()
        #expect(symlink("b", dir.path("a")) == 0)
        #expect(symlink("a", dir.path("b")) == 0)
        let error = #expect(throws: ReportError.self) { try writeAtomically("x", to: dir.path("a")) }
        #expect(error?.message.contains("symbolic links") == true)
        #expect(dir.entries == ["a", "b"])
    }

    @Test("a FIFO is written through: the reader gets the report and the FIFO stays a FIFO")
    func fifo() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // A reader is there first (a non-blocking open does not wait for a writer), so the
        // write-through open does not block; the report fits in the pipe's buffer.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try writeAtomically("through the pipe\n", to: fifo)
        var buffer = [UInt8](repeating: 0, count: 100)
        let n = read(reader, &buffer, buffer.count)
        #expect(n > 0 && String(decoding: buffer[0..<max(n, 0)], as: UTF8.self) == "through the pipe\n")
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(dir.entries == ["pipe"])
    }

    @Test("a character device is written through, never replaced",
          .enabled(if: OutputTargetTests.isRoot, "mknod needs root"))
    func characterDevice() throws {
        let dir = try TemporaryDirectory()
        let null = dir.path("null")
        #expect(Self.makeCharacterDevice(null, major: 1, minor: 3))
        var before = stat()
        stat(null, &before)
        try writeAtomically("discarded\n", to: null)
        var after = stat()
        stat(null, &after)
        #expect(Self.kind(null) == S_IFCHR)
        #expect(after.st_rdev == before.st_rdev && after.st_ino == before.st_ino)
        #expect(dir.entries == ["null"])
    }

    @Test("a device that refuses the bytes is an error naming it (a copy of /dev/full)",
          .enabled(if: OutputTargetTests.isRoot, "mknod needs root"))
    func fullDevice() throws {
        let dir = try TemporaryDirectory()
        let full = dir.path("full")
        #expect(Self.makeCharacterDevice(full, major: 1, minor: 7))
        let error = #expect(throws: ReportError.self) { try writeAtomically("report\n", to: full) }
        #expect(error?.file == full)
        #expect(error?.message.contains("No space left on device") == true)
        #expect(Self.kind(full) == S_IFCHR)
    }

    @Test("a block device or a socket is refused by kind, and left as it is",
          .enabled(if: OutputTargetTests.isRoot, "mknod needs root"))
    func otherKindsAreRefused() throws {
        let dir = try TemporaryDirectory()
        let block = dir.path("loop"), socket = dir.path("socket")
        #expect(mknod(block, S_IFBLK | 0o600, dev_t(7 << 8)) == 0)
        #expect(mknod(socket, S_IFSOCK | 0o600, 0) == 0)
        for (path, kind) in [(block, "a block device"), (socket, "a socket")] {
            let error = #expect(throws: ReportError.self) { try writeAtomically("x", to: path) }
            #expect(error?.message == "cannot write: is \(kind); ladder writes regular files, character devices and FIFOs only")
        }
        #expect(Self.kind(block) == S_IFBLK && Self.kind(socket) == S_IFSOCK)
    }

    @Test("standard output by any of its names is its descriptor, not a file to replace")
    func standardOutputNames() throws {
        for name in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            #expect(try OutputTarget.resolve(name) == .descriptor(1))
        }
        #expect(try OutputTarget.resolve("/dev/stderr") == .descriptor(2))
        let dir = try TemporaryDirectory()
        #expect(symlink("/dev/stdout", dir.path("out")) == 0)
        #expect(try OutputTarget.resolve(dir.path("out")) == .descriptor(1))
    }

    @Test("a closed descriptor named as the output is an error, not silence")
    func closedDescriptor() throws {
        let fd = open("/dev/null", O_RDONLY)
        let error = #expect(throws: ReportError.self) { try writeAtomically("x", to: "/dev/fd/\(fd)") }
        #expect(error?.message.contains("Bad file descriptor") == true)
        close(fd)
    }
}
