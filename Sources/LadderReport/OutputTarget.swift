import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a path given to `-o` or `--write-baseline` is, decided before a byte is written.
///
/// Only a regular file (or a path where nothing is yet) may be replaced by a rename: renaming
/// over `/dev/null` as root would replace the system's device node, and renaming over a
/// symbolic link would replace the link instead of writing where it points. So links are
/// followed to their target, character devices and FIFOs are opened and written as they are
/// (a pipe to another process, a terminal, `/dev/null`), standard output by any of its names
/// is written on the descriptor itself, and every other kind is refused.
public enum OutputTarget: Sendable, Hashable {
    /// An open descriptor named by path: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
    /// `/proc/self/fd/N`. Written where it already points, from its current offset.
    case descriptor(Int32)
    /// A character device or FIFO, opened for writing (never created, never truncated).
    case writeThrough(String)
    /// A regular file, or none yet: written beside it and renamed over it. The path is the
    /// final target, with every symbolic link on the way resolved.
    case replace(String)

    /// Linux's own limit on links followed in one lookup.
    static let maximumLinks = 40

    public static func resolve(_ path: String) throws(ReportError) -> OutputTarget {
        guard !path.isEmpty else { throw ReportError(file: path, message: "cannot write to an empty path") }
        var current = path
        for _ in 0...maximumLinks {
            if let fd = descriptorAlias(current) { return .descriptor(fd) }
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                // Nothing there yet, or a parent that is not a directory: the atomic write
                // creates the file or names the problem with the directory.
                if code == ENOENT || code == ENOTDIR { return .replace(current) }
                throw ReportError(file: path, message: "cannot write: \(String(cString: strerror(code)))")
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                return .replace(current)
            case S_IFLNK:
                current = try linkTarget(of: current, reportedAs: path)
            case S_IFCHR, S_IFIFO:
                return .writeThrough(current)
            case S_IFDIR:
                throw ReportError(file: path, message: "cannot write: is a directory")
            case S_IFBLK:
                throw refused(path, "a block device")
            case S_IFSOCK:
                throw refused(path, "a socket")
            default:
                throw refused(path, "not a regular file")
            }
        }
        throw ReportError(file: path, message: "cannot write: too many levels of symbolic links")
    }

    static func refused(_ path: String, _ kind: String) -> ReportError {
        ReportError(file: path, message: "cannot write: is \(kind); ladder writes regular files, character devices and FIFOs only")
    }

    /// The descriptor a path names without being a file of its own.
    static func descriptorAlias(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let n = Int32(path.dropFirst(prefix.count)), n >= 0 { return n }
            }
            return nil
        }
    }

    /// Where a link points, relative targets resolved against the link's directory.
    static func linkTarget(of link: String, reportedAs path: String) throws(ReportError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else {
            throw ReportError(file: path, message: "cannot follow the link \(link): \(String(cString: strerror(errno)))")
        }
        let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        let directory = (link as NSString).deletingLastPathComponent
        return directory.isEmpty ? target : directory + "/" + target
    }
}

/// Writes `text` to `path` by what `path` is (`OutputTarget`): a regular file atomically,
/// a device, FIFO or standard output through. Every failure, including a short or failed
/// write to a device, is a `ReportError` naming `path`.
public func writeOutput(_ text: String, to path: String) throws(ReportError) {
    switch try OutputTarget.resolve(path) {
    case .replace(let file):
        try replaceAtomically(Array(text.utf8), at: file, reportedAs: path)
    case .descriptor(let fd):
        if let code = writeAll(Array(text.utf8), to: fd) {
            throw ReportError(file: path, message: "cannot write: \(String(cString: strerror(code)))")
        }
    case .writeThrough(let device):
        let fd = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw ReportError(file: path, message: "cannot open for writing: \(String(cString: strerror(errno)))") }
        let failed = writeAll(Array(text.utf8), to: fd)
        let closed = close(fd) == 0 ? nil : errno
        if let code = failed ?? closed {
            throw ReportError(file: path, message: "cannot write: \(String(cString: strerror(code)))")
        }
    }
}

/// Writes every byte to `fd`, through partial writes and interruptions. Returns the errno of
/// the failure, or nil when all were written.
public func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
    var written = 0
    return bytes.withUnsafeBytes { buffer -> Int32? in
        while written < buffer.count {
            let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            // A device that takes nothing and reports no error would loop for ever.
            if n == 0 { return EIO }
            written += n
        }
        return nil
    }
}
