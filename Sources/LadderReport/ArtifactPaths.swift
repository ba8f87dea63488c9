/// Maps the report's file paths to SARIF artifact locations relative to `--root`.
///
/// GitHub code scanning matches results to files by URIs relative to the repository root,
/// via the `ROOT` entry of `originalUriBaseIds`; a path given as `../linux/drivers/x.c` or
/// `/abs/tree/kernel/proc.c` must therefore be resolved first and then made relative.
/// Resolution is lexical (no symlinks followed, no file system access), so the output
/// depends only on the strings given.
struct ArtifactPaths {
    static let baseID = "ROOT"

    /// Absolute and normalised, never ending in `/` (except `/` itself).
    let root: String
    let workingDirectory: String

    init(root: String, workingDirectory: String) {
        let cwd = Self.normalise(workingDirectory.hasPrefix("/") ? workingDirectory : "/" + workingDirectory)
        self.workingDirectory = cwd
        self.root = Self.absolute(root, in: cwd)
    }

    /// `file:///src/xv6/`: base URIs must end in a slash for relative URIs to resolve under them.
    var rootURI: String {
        "file://" + Self.percentEncoded(root == "/" ? "/" : root + "/")
    }

    /// Relative to the root when the file is under it, otherwise an absolute `file://` URI.
    func relativeToRoot(_ file: String) -> (uri: String, baseID: String?) {
        let path = Self.absolute(file, in: workingDirectory)
        let prefix = root == "/" ? "/" : root + "/"
        if path.hasPrefix(prefix) {
            return (Self.percentEncoded(String(path.dropFirst(prefix.count))), Self.baseID)
        }
        return ("file://" + Self.percentEncoded(path), nil)
    }

    static func absolute(_ path: String, in directory: String) -> String {
        normalise(path.hasPrefix("/") ? path : directory + "/" + path)
    }

    /// Removes empty and `.` components and resolves `..` textually.
    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// RFC 3986: everything but unreserved characters and `/` is percent-encoded, byte by
    /// byte in UTF-8, so spaces and non-ASCII names survive.
    static func percentEncoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
