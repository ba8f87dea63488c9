import CLibClang
import CLibClangLoader
import Foundation

/// Facts about the libclang this binary runs against.
public enum ClangEnvironment {
    /// e.g. "Debian clang version 19.1.7 (...)". Loads libclang (CLibClangLoader).
    public static var version: String { clang_getClangVersion().consume() }

    /// Which libclang would parse, without loading it: its path, size and modification
    /// time, which change with any upgrade of the package that the version string would
    /// show. A library that is not at its path (found by name on the loader's path) is
    /// loaded and known by its version; one that cannot be loaded, by the path tried.
    public static let libraryIdentity: String = {
        var status = stat()
        if stat(libraryPath, &status) == 0 {
            return "\(libraryPath) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        }
        return loadProblem == nil ? version : libraryPath
    }()

    /// Loads libclang if it is not yet loaded; nil once it is, else the loader's words for
    /// why it cannot be (`LADDER_LIBCLANG` names a file that is not there, say).
    public static var loadProblem: String? {
        ladder_libclang_load().map { String(cString: $0) }
    }

    /// The library loaded, or to be loaded.
    public static var libraryPath: String { String(cString: ladder_libclang_path()) }

    /// Starts loading libclang on a thread of its own, for a process that will parse but has
    /// other work first (a file worker reads its setup and the rule packs): the first call
    /// into libclang waits for the load instead of doing it.
    public static func loadInBackground() {
        Thread { _ = ladder_libclang_load() }.start()
    }

    /// `-resource-dir` for the libclang in use, so bare-metal targets find `stdarg.h`.
    /// libclang does not report it, so it is derived from the version and the usual
    /// Debian layout (`/usr/lib/llvm-NN/lib/clang/NN`), or from `LIBCLANG_PREFIX`.
    public static let resourceDirectory: String? = {
        let fm = FileManager.default
        var prefixes: [String] = []
        if let env = ProcessInfo.processInfo.environment["LIBCLANG_PREFIX"], !env.isEmpty { prefixes.append(env) }
        if let major = majorVersion { prefixes.append("/usr/lib/llvm-\(major)") }
        for prefix in prefixes {
            let base = prefix + "/lib/clang"
            guard let entries = try? fm.contentsOfDirectory(atPath: base) else { continue }
            let candidates = entries.sorted().reversed().map { base + "/" + $0 }
            if let dir = candidates.first(where: { fm.fileExists(atPath: $0 + "/include/stddef.h") }) {
                return dir
            }
        }
        return nil
    }()

    static var majorVersion: Int? {
        let words = version.split(whereSeparator: { $0 == " " || $0 == "-" })
        guard let index = words.firstIndex(of: "version"), index + 1 < words.count else { return nil }
        return Int(words[index + 1].split(separator: ".").first ?? "")
    }
}
