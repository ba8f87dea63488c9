import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file for the length of `body`: two runs sharing a cache (two
/// terminals, two CI jobs on one machine) parse a unit once, the second waiting and then
/// reading what the first wrote. A lock dies with its process, so a killed run leaves
/// nothing to clean up.
enum FileLock {
    /// `body` gets whether the lock is held: false when the lock file cannot be opened (a
    /// read-only cache), where going on unlocked costs at worst a duplicate parse, or, with
    /// `wait: false`, when someone else holds it.
    static func with<R>(_ path: String, wait: Bool = true, _ body: (Bool) -> R) -> R {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return body(false) }
        defer { close(fd) }
        while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            return body(false)
        }
        defer { flock(fd, LOCK_UN) }
        return body(true)
    }
}
