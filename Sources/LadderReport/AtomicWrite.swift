import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `text` to `path`: atomically when `path` is (or will be) a regular file, through
/// when it is a device or FIFO, refused when it is anything else (see `OutputTarget`).
public func writeAtomically(_ text: String, to path: String) throws(ReportError) {
    try writeOutput(text, to: path)
}

/// Replaces the regular file `path` with `bytes`, atomically (a cache's binary files).
public func writeAtomically(_ bytes: [UInt8], to path: String) throws(ReportError) {
    try replaceAtomically(bytes, at: path, reportedAs: path)
}

/// Replaces the regular file `path` so that readers see the old file or the whole new one,
/// never a part: the bytes go to a temporary file in the same directory (same file system,
/// so the rename cannot degrade into a copy), are flushed, and the temporary is renamed over
/// `path`. On any failure the temporary is removed and `path` is left as it was. Errors name
/// `reported`, the path as the user gave it (before links were followed).
///
/// A CI step that uploads `ladder.sarif` after a killed or failed run must not upload half a
/// document. A new file gets mode 0644; an existing file keeps its mode.
func replaceAtomically(_ bytes: [UInt8], at path: String, reportedAs reported: String) throws(ReportError) {
    func failure(_ what: String, _ code: Int32) -> ReportError {
        ReportError(file: reported, message: "\(what): \(String(cString: strerror(code)))")
    }
    guard !path.isEmpty else { throw ReportError(file: reported, message: "cannot write to an empty path") }

    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var existing = stat()
    let mode: mode_t
    if stat(path, &existing) == 0 {
        if (existing.st_mode & S_IFMT) == S_IFDIR { throw ReportError(file: reported, message: "cannot write: is a directory") }
        mode = existing.st_mode & 0o7777
    } else {
        mode = 0o644
    }

    var template = Array((directory + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw failure("cannot create a file in \(directory)", errno) }
    let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var committed = false
    defer {
        if !committed { unlink(temporary) }
    }

    let writeError = writeAll(bytes, to: fd)
    if let writeError { close(fd); throw failure("cannot write", writeError) }
    if fchmod(fd, mode) != 0 || fsync(fd) != 0 { let e = errno; close(fd); throw failure("cannot write", e) }
    if close(fd) != 0 { throw failure("cannot write", errno) }
    if rename(temporary, path) != 0 { throw failure("cannot replace the file", errno) }
    committed = true
}
