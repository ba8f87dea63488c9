import ArgumentParser
import Foundation
import LadderReport

/// Every byte ladder writes to its standard streams goes through here, checked. A report
/// that cannot be delivered (standard output closed, a full disk, a reader that went away)
/// must not look like a run that printed nothing: it is exit 2 with a message.
enum StandardStreams {
    /// Runs before anything else opens a file. A standard descriptor the shell left closed
    /// (`>&-`) would otherwise be handed to the next file opened — a worker's socket, the
    /// report's temporary — and the report written into it. Each closed one is taken by
    /// `/dev/null` opened read-only, so writing to it still fails (EBADF), as it would have.
    /// SIGPIPE is ignored so that a reader going away is a write error we report, not a
    /// silent death.
    static func prepare() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let null = open("/dev/null", O_RDONLY)
            if null >= 0 && null != fd {
                dup2(null, fd)
                close(null)
            }
        }
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` to standard output, or fails the command: exit 2, saying why on
    /// standard error.
    static func out(_ text: String, what: String = "the report") throws {
        if let code = writeAll(Array(text.utf8), to: STDOUT_FILENO) {
            printError("ladder: error: cannot write \(what) to standard output: \(String(cString: strerror(code)))")
            throw ExitCode(ExitStatus.untrusted)
        }
    }

    /// `print`, checked: a line of text ending in one newline.
    static func outLine(_ text: String, what: String = "the report") throws {
        try out(text.hasSuffix("\n") ? text : text + "\n", what: what)
    }
}

/// A message on standard error. When even that cannot be written there is nobody left to
/// tell; the exit status still says it.
func printError(_ message: String) {
    _ = writeAll(Array((message + "\n").utf8), to: STDERR_FILENO)
}
