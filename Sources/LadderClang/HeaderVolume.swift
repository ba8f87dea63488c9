import Foundation

/// Whether a file reads enough header text for a preamble to pay for itself, told without
/// parsing: the `#include` lines of the file and of the files its command names with
/// `-include`, followed through every header they reach along the command's include
/// directories, each header counted once by its size.
///
/// A preamble (`ParseOptions.skipHeaderBodies`) lets libclang skip the function bodies in
/// the headers, at the price of building and reading back a serialised AST of them. On
/// small headers that price is the larger (docs/performance.md): real xv6-riscv reads about
/// 20 KB of headers a file and parses 88% slower with one; a userland file on glibc (about
/// 0.5 MB) 40% slower; a Linux driver (about 5.6 MB) saves 37%. `worthPreamble` sits
/// between those.
///
/// The estimate is rough on purpose, and errs towards more text: conditionals are ignored
/// (both arms' includes count), as is `#include_next`, and a header found on no directory
/// the command names (a system header) counts nothing. It is a function of the files' bytes
/// and the command alone, so one file is always parsed the same way. Not thread-safe: each
/// `Frontend` keeps its own, which remembers what each header includes across its files.
final class HeaderVolume {
    /// Bytes of header text from which a preamble is built.
    static let worthPreamble = 1_500_000

    private struct Scan {
        /// What the file was when read: a header edited since (an editor's long-lived
        /// worker) is read again.
        var stamp: Stamp
        /// `(angled, name)` of each `#include`, in order.
        var includes: [(angled: Bool, name: String)]
    }

    private struct Stamp: Equatable {
        var size: Int
        var modified: timespec

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.size == b.size && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }
    }

    private var scans: [String: Scan] = [:]

    /// Whether the headers `command`'s file reaches hold at least `limit` bytes. Stops
    /// reading as soon as they do. An editor's buffer (`unsavedFiles`, by absolute path, or
    /// by the command's spelling for the file itself) is read instead of the disk.
    func reaches(_ limit: Int, command: CompileCommand, unsavedFiles: [String: String]) -> Bool {
        let base = command.directory ?? FileManager.default.currentDirectoryPath
        let search = SearchPath(command.arguments, base: base)
        let main = SourceMap.normalise(absolute(command.file, base: base))
        var stamps: [String: Stamp?] = [:]
        func stamp(_ path: String) -> Stamp? {
            if let known = stamps[path] { return known }
            var status = stat()
            let regular = stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
            #if canImport(Darwin)
            let modified = status.st_mtimespec
            #else
            let modified = status.st_mtim
            #endif
            let found = regular ? Stamp(size: Int(status.st_size), modified: modified) : nil
            stamps[path] = found
            return found
        }
        // A forced include also named by an `#include` is read once, as the compiler reads it.
        var seen = Set([main] + search.forced)
        var total = 0
        // Forced includes are read before the file; their own includes follow them.
        var pending: [String] = [main] + search.forced.reversed()
        while let path = pending.popLast() {
            let includes: [(angled: Bool, name: String)]
            if let buffer = unsavedFiles[path] ?? (path == main ? unsavedFiles[command.file] : nil) {
                let text = Array(buffer.utf8)
                includes = Self.includes(in: text)
                if path != main { total += text.count }
            } else if let stamp = stamp(path) {
                includes = scan(path, stamp: stamp)
                if path != main { total += stamp.size }
            } else {
                continue
            }
            if total >= limit { return true }
            let directory = Self.directory(of: path)
            for include in includes.reversed() {
                guard let found = search.find(include.name, angled: include.angled, from: directory,
                                              exists: { unsavedFiles[$0] != nil || stamp($0) != nil }),
                      seen.insert(found).inserted else { continue }
                pending.append(found)
            }
        }
        return false
    }

    /// Everything before the last "/" (`path` is absolute and normalised).
    static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    private func scan(_ path: String, stamp: Stamp) -> [(angled: Bool, name: String)] {
        if let known = scans[path], known.stamp == stamp { return known.includes }
        let includes = FileManager.default.contents(atPath: path).map { Self.includes(in: [UInt8]($0)) } ?? []
        scans[path] = Scan(stamp: stamp, includes: includes)
        return includes
    }

    /// The `#include` lines of a file's text: `#`, blanks, `include`, blanks, then a name in
    /// `<>` or `""`. A line continued with a backslash, or a macro as the name, is not read.
    static func includes(in text: [UInt8]) -> [(angled: Bool, name: String)] {
        var found: [(angled: Bool, name: String)] = []
        let include = Array("include".utf8)
        var i = 0
        let n = text.count
        func skipBlanks() { while i < n, text[i] == 0x20 || text[i] == 0x09 { i += 1 } }
        while i < n {
            skipBlanks()
            if i < n, text[i] == UInt8(ascii: "#") {
                i += 1
                skipBlanks()
                if i + include.count <= n, text[i..<i + include.count].elementsEqual(include) {
                    i += include.count
                    skipBlanks()
                    if i < n, text[i] == UInt8(ascii: "<") || text[i] == UInt8(ascii: "\"") {
                        let angled = text[i] == UInt8(ascii: "<")
                        let close = angled ? UInt8(ascii: ">") : UInt8(ascii: "\"")
                        let start = i + 1
                        var end = start
                        while end < n, text[end] != close, text[end] != 0x0A { end += 1 }
                        if end < n, text[end] == close, end > start {
                            found.append((angled, String(decoding: text[start..<end], as: UTF8.self)))
                        }
                        i = end
                    }
                }
            }
            while i < n, text[i] != 0x0A { i += 1 }
            i += 1
        }
        return found
    }
}

/// The directories a command searches for headers, in gcc's order: a quoted name in the
/// including file's directory, then `-iquote`; both kinds then in `-I`, `-isystem` and
/// `-idirafter`.
private struct SearchPath {
    var quoted: [String] = []
    var angled: [String] = []
    var forced: [String] = []

    /// Options as the compiler driver groups them (`CompilerOption.split`): a flag's separate
    /// value stays with it, so `-include-pch x.pch` or `-Xclang -include` is not read as a
    /// forced include. A flag takes its value from the next argument or joined to it.
    init(_ arguments: [String], base: String) {
        var system: [String] = [], after: [String] = []
        for option in CompilerOption.split(arguments) {
            for name in ["-iquote", "-isystem", "-idirafter", "-include", "-I"] {
                guard let value = option.value(of: name) else { continue }
                let path = SourceMap.normalise(absolute(value, base: base))
                switch name {
                case "-iquote": quoted.append(path)
                case "-isystem": system.append(path)
                case "-idirafter": after.append(path)
                case "-include": forced.append(path)
                default: angled.append(path)
                }
                break
            }
        }
        angled += system + after
    }

    func find(_ name: String, angled isAngled: Bool, from directory: String, exists: (String) -> Bool) -> String? {
        if name.hasPrefix("/") { return exists(name) ? SourceMap.normalise(name) : nil }
        let directories = isAngled ? angled : [directory] + quoted + angled
        for directory in directories {
            let candidate = SourceMap.normalise(directory + "/" + name)
            if exists(candidate) { return candidate }
        }
        return nil
    }
}

private func absolute(_ path: String, base: String) -> String {
    path.hasPrefix("/") ? path : base + "/" + path
}
