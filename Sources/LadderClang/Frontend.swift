import CLibClang
import Foundation
import LadderCore

/// The result of loading one file: its functions, or why it could not be used.
public struct LoadedUnit: Sendable, Codable {
    public var unit: TranslationUnit
    public var parseSeconds: Double
    public var lowerSeconds: Double
    /// Functions the file defines that could not be lowered (nested past
    /// `FunctionLowering.maximumDepth`): absent from `unit`, so analysed by nothing.
    public var errors: [ProcessingError]
    /// Every file libclang read for the unit, the main file included: absolute, normalised,
    /// sorted, each once. Empty unless the frontend was asked to record them
    /// (`ParseOptions.recordInclusions`); what a cache checks to know the unit is unchanged.
    public var inclusions: [String]

    public init(unit: TranslationUnit, parseSeconds: Double = 0, lowerSeconds: Double = 0, errors: [ProcessingError] = [],
                inclusions: [String] = []) {
        self.unit = unit
        self.parseSeconds = parseSeconds
        self.lowerSeconds = lowerSeconds
        self.errors = errors
        self.inclusions = inclusions
    }
}

/// How libclang is asked to parse. ladder lowers only the main file's function bodies, so
/// the bodies of the functions in the headers it includes are work for nothing.
public struct ParseOptions: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Parse the `#include` block at the top of the file (the preamble) once, skipping every
    /// function body in it, then the rest of the file in full, when the file's headers are
    /// large enough to pay for building the preamble (`HeaderVolume`, kept in memory): a
    /// loss on small headers, a gain on kernel ones (docs/performance.md). It also hides
    /// errors inside skipped bodies and the driver's complaints about unknown flags, which a
    /// plain parse reports as parse errors; compile databases' flags are sifted by
    /// `OptionSifter` beforehand, on an index of its own that parses plainly.
    public static let skipHeaderBodies = ParseOptions(rawValue: 1 << 0)
    /// Do not keep warnings and notes from headers (ladder reads only errors).
    public static let ignoreHeaderWarnings = ParseOptions(rawValue: 1 << 1)
    /// Fill `LoadedUnit.inclusions` (cheap on a plain parse, about 0.2 s per kernel unit
    /// with a preamble, which libclang walks lazily).
    public static let recordInclusions = ParseOptions(rawValue: 1 << 2)

    /// With `skipHeaderBodies`: build the preamble whatever the headers' size (the tests
    /// that hold both ways of parsing to the same results, and benchmarks).
    public static let evenForSmallHeaders = ParseOptions(rawValue: 1 << 3)

    public static let standard: ParseOptions = [.skipHeaderBodies, .ignoreHeaderWarnings, .recordInclusions]

    func translationUnitFlags(preamble: Bool) -> UInt32 {
        var flags = CXTranslationUnit_KeepGoing.rawValue
        if preamble {
            flags |= CXTranslationUnit_SkipFunctionBodies.rawValue | CXTranslationUnit_LimitSkipFunctionBodiesToPreamble.rawValue
                | CXTranslationUnit_PrecompiledPreamble.rawValue | CXTranslationUnit_CreatePreambleOnFirstParse.rawValue
        }
        if contains(.ignoreHeaderWarnings) { flags |= CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles.rawValue }
        return flags
    }
}

/// Parses translation units in-process, one at a time, and lowers each before disposing
/// it, so memory stays flat however many files a run covers. Not thread-safe: give each
/// worker its own.
public final class Frontend {
    /// nil when libclang cannot be loaded: every file is then an error saying why.
    private let index: CXIndex?
    private let unloadable: String?
    public let options: ParseOptions
    private let headers = HeaderVolume()

    public init(options: ParseOptions = .standard) {
        _ = Frontend.parseOnCallersThread
        self.options = options
        if let problem = ClangEnvironment.loadProblem {
            index = nil
            unloadable = "not checked: cannot load libclang (\(ClangEnvironment.libraryPath)): \(problem)"
            return
        }
        unloadable = nil
        var indexOptions = CXIndexOptions()
        indexOptions.Size = UInt32(MemoryLayout<CXIndexOptions>.size)
        // A preamble lives as long as its unit: memory, not a file in /tmp per parse.
        indexOptions.StorePreamblesInMemory = 1
        index = clang_createIndexWithOptions(&indexOptions)
    }

    /// libclang parses on a thread of its own with an 8 MB stack, where clang's recursive
    /// passes overflow on a long flat chain (`a && b && …`, 20,000 terms) and the crash
    /// takes the process with it: crash recovery cannot run on an exhausted stack. Told
    /// not to, it parses on the caller's thread, which `load` makes a `LargeStack` one.
    /// Set once, before the first index exists; libclang reads it at every parse.
    static let parseOnCallersThread: Void = {
        setenv("LIBCLANG_NOTHREADS", "1", 1)
    }()

    deinit { if let index { clang_disposeIndex(index) } }

    /// Flags every parse gets: the resource directory of the libclang in use (bare-metal
    /// targets need it for `stdarg.h`), and silence about flags clang does not know.
    static let baseArguments: [String] = {
        var args = ["-Wno-unknown-warning-option", "-Wno-unused-command-line-argument",
                    "-Wno-ignored-optimization-argument", "-ferror-limit=0"]
        if let dir = ClangEnvironment.resourceDirectory { args += ["-resource-dir", dir] }
        return args
    }()

    /// `lowering: false` parses and checks diagnostics only (for benchmarks of the parse alone).
    ///
    /// `unsavedFiles` maps paths to an editor's buffers: libclang reads those contents
    /// instead of the disk's, for the file itself and for any header it includes. Each file
    /// must still exist on disk (libclang's contract for `CXUnsavedFile`).
    public func load(_ command: CompileCommand, lowering: Bool = true,
                     unsavedFiles: [String: String] = [:]) -> Result<LoadedUnit, ProcessingError> {
        // Parsing and lowering both recurse with the syntax tree: on a thread whose stack is
        // sized for it, whatever thread the caller runs on.
        LargeStack.run { loadHere(command, lowering: lowering, unsavedFiles: unsavedFiles) }
    }

    private func loadHere(_ command: CompileCommand, lowering: Bool,
                          unsavedFiles: [String: String]) -> Result<LoadedUnit, ProcessingError> {
        guard let index else { return .failure(ProcessingError(file: command.file, message: unloadable ?? "")) }
        let buffer = Frontend.unsavedContents(of: command.file, directory: command.directory, in: unsavedFiles)
        if let problem = SourceFileCheck.problem(with: command.file, directory: command.directory, unsaved: buffer) {
            return .failure(ProcessingError(file: command.file, message: problem))
        }
        if let problem = SourceFileCheck.forcedInputProblem(in: command.arguments, directory: command.directory) {
            return .failure(ProcessingError(file: command.file, message: problem))
        }
        let start = DispatchTime.now()
        // No warnings: ladder reads only errors (`firstError`, `missesAFile`), so a warning is
        // work thrown away (about 2.4% of the parse). A database's `-Werror` was stripped
        // already (`FlagCleaner`); one given after `--` now has no warning to make an error of,
        // so a file with only warnings is checked rather than refused. clang keeps its
        // errors-by-default (an undeclared function in C99) errors under `-w`. `OptionProbe`
        // needs warnings and does not pass it.
        var arguments = Frontend.baseArguments + ["-w"]
        if let dir = command.directory { arguments += ["-working-directory", dir] }
        arguments += command.arguments
        var buffers = unsavedFiles
        // The buffer may be keyed by another spelling of the path than the command's
        // (absolute against relative); libclang matches the main file by the name it is given.
        if let buffer { buffers[command.file] = buffer }
        var tu: CXTranslationUnit?
        let flags = options.translationUnitFlags(preamble: usesPreamble(command, unsavedFiles: buffers))
        let code = withCStrings(arguments) { argv in
            withUnsavedFiles(buffers) { unsaved, count in
                clang_parseTranslationUnit2(index, command.file, argv, Int32(arguments.count), unsaved, count, flags, &tu)
            }
        }
        guard code == CXError_Success, let tu else {
            return .failure(ProcessingError(file: command.file, message: Frontend.describe(code)))
        }
        defer { clang_disposeTranslationUnit(tu) }
        if var error = Frontend.firstError(in: tu, file: command.file) {
            // A file that is not there ("'config.h' file not found") is in no list of files
            // read, so a cache could never see it appear: such a failure is not kept.
            if options.contains(.recordInclusions) && !Frontend.missesAFile(tu) {
                error.readFiles = Frontend.inclusions(of: tu, directory: command.directory)
            }
            return .failure(error)
        }
        let parsed = DispatchTime.now()
        let (functions, errors) = lowering ? Lowering(tu: tu, mainFile: command.file).lowerAll() : ([], [])
        let addressTaken = lowering ? FunctionReferences(tu: tu).addressTaken() : nil
        var unit = TranslationUnit(file: command.file, functions: functions, addressTaken: addressTaken)
        if lowering {
            let map = SourceMap(tu: tu, mainFile: command.file)
            let initializers = FileScopeInitializers(tu: tu, map: map, mainFile: command.file)
            unit.callbackTables = CallbackTableReader(initializers: initializers, map: map).tables()
            unit.staticInitializers = StaticInitializerReader(initializers: initializers).read()
        }
        let lowered = DispatchTime.now()
        return .success(LoadedUnit(
            unit: unit,
            parseSeconds: seconds(start, parsed), lowerSeconds: seconds(parsed, lowered), errors: errors,
            inclusions: options.contains(.recordInclusions) ? Frontend.inclusions(of: tu, directory: command.directory) : []))
    }

    /// Whether `command`'s file is parsed through a preamble (`ParseOptions.skipHeaderBodies`).
    func usesPreamble(_ command: CompileCommand, unsavedFiles: [String: String] = [:]) -> Bool {
        guard options.contains(.skipHeaderBodies) else { return false }
        return options.contains(.evenForSmallHeaders)
            || headers.reaches(HeaderVolume.worthPreamble, command: command, unsavedFiles: unsavedFiles)
    }

    /// libclang names a file as it was found: relative to the working directory when the
    /// include path was (`./include/linux/io.h`), absolute when it came through a preamble.
    static func inclusions(of tu: CXTranslationUnit, directory: String?) -> [String] {
        final class Names { var all: Set<String> = [] }
        let names = Names()
        clang_getInclusions(tu, { file, _, _, context in
            guard let file, let context else { return }
            Unmanaged<Names>.fromOpaque(context).takeUnretainedValue().all.insert(clang_getFileName(file).consume())
        }, Unmanaged.passUnretained(names).toOpaque())
        let base = directory ?? FileManager.default.currentDirectoryPath
        return Set(names.all.map { SourceMap.normalise($0.hasPrefix("/") ? $0 : base + "/" + $0) }).sorted()
    }

    /// The unsaved buffer for `file`, keyed by the path as given or by its absolute form
    /// (resolved against the command's directory, else the current one). Used by the
    /// front end and by whatever later reads the file's text (suppressions), so both see
    /// the same contents.
    public static func unsavedContents(of file: String, directory: String?, in buffers: [String: String]) -> String? {
        guard !buffers.isEmpty else { return nil }
        if let exact = buffers[file] { return exact }
        let base = directory ?? FileManager.default.currentDirectoryPath
        let absolute = file.hasPrefix("/") ? file : base + "/" + file
        let standard = URL(fileURLWithPath: absolute).standardizedFileURL.path
        return buffers[absolute] ?? buffers[standard]
    }

    /// What a parse that libclang's crash recovery caught reports. The process survives, but
    /// what the crashed parse held is not freed: a parse worker restarts after one.
    public static let crashed = "libclang crashed while parsing this file"

    /// libclang says little when a parse cannot even start; say what usually causes it.
    static func describe(_ code: CXErrorCode) -> String {
        switch code {
        case CXError_Crashed: crashed
        case CXError_InvalidArguments: "libclang rejected the call (invalid arguments)"
        default: "libclang could not start the parse: check the compiler flags for this file (an unknown flag, or a second input file) with `ladder dump-cfg FILE -- FLAGS`"
        }
    }

    /// A fatal error (with `KeepGoing` libclang reports even a missing include as an
    /// error, so its words are checked too) or an include that was not found.
    static func missesAFile(_ tu: CXTranslationUnit) -> Bool {
        (0..<clang_getNumDiagnostics(tu)).contains { i in
            let diagnostic = clang_getDiagnostic(tu, i)
            defer { clang_disposeDiagnostic(diagnostic) }
            let severity = clang_getDiagnosticSeverity(diagnostic)
            guard severity == CXDiagnostic_Error || severity == CXDiagnostic_Fatal else { return false }
            return severity == CXDiagnostic_Fatal || clang_getDiagnosticSpelling(diagnostic).consume().contains("file not found")
        }
    }

    /// The first error-or-worse diagnostic, as one line naming the file and the problem.
    static func firstError(in tu: CXTranslationUnit, file: String) -> ProcessingError? {
        let count = clang_getNumDiagnostics(tu)
        var errors = 0
        var first: (String, Int, String)?
        for i in 0..<count {
            let diagnostic = clang_getDiagnostic(tu, i)
            defer { clang_disposeDiagnostic(diagnostic) }
            let severity = clang_getDiagnosticSeverity(diagnostic)
            guard severity == CXDiagnostic_Error || severity == CXDiagnostic_Fatal else { continue }
            errors += 1
            if first == nil {
                let location = SourceMap.fileLocation(clang_getDiagnosticLocation(diagnostic))
                let where_ = location?.file ?? file
                first = (where_, location?.line ?? 0, clang_getDiagnosticSpelling(diagnostic).consume())
            }
        }
        guard let first else { return nil }
        let more = errors > 1 ? " (and \(errors - 1) more error\(errors == 2 ? "" : "s"))" : ""
        let origin = first.0 == file ? "" : " in \(first.0):\(first.1)"
        return ProcessingError(file: file, line: first.0 == file ? first.1 : nil,
                               message: "parse error\(origin): \(first.2)\(more)")
    }
}

func seconds(_ a: DispatchTime, _ b: DispatchTime) -> Double {
    Double(b.uptimeNanoseconds - a.uptimeNanoseconds) / 1e9
}

/// `buffers` as `CXUnsavedFile`s, valid for the duration of `body` (libclang copies them
/// during the parse).
func withUnsavedFiles<R>(_ buffers: [String: String], _ body: (UnsafeMutablePointer<CXUnsavedFile>?, UInt32) -> R) -> R {
    guard !buffers.isEmpty else { return body(nil, 0) }
    let entries = buffers.sorted { $0.key < $1.key }.map { (name: strdup($0.key), contents: strdup($0.value), length: $0.value.utf8.count) }
    defer { entries.forEach { free($0.name); free($0.contents) } }
    var files = entries.map { CXUnsavedFile(Filename: $0.name, Contents: $0.contents, Length: UInt($0.length)) }
    return files.withUnsafeMutableBufferPointer { body($0.baseAddress, UInt32($0.count)) }
}

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    let constPointers = pointers.map { UnsafePointer<CChar>($0) }
    return constPointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Rejects what libclang would choke on or silently misread, by what the path is before
/// reading a byte of it: a FIFO would block the read, a device would never end. Missing
/// files, link loops, directories, unreadable and binary files each get their own reason.
/// Encoding is not judged: clang reads any bytes in comments and literals, and so does
/// everything else that reads sources (as bytes, decoded leniently only for messages).
/// With an unsaved buffer, the contents judged are the buffer's.
public enum SourceFileCheck {
    static func problem(with file: String, directory: String?, unsaved: String? = nil) -> String? {
        let path = file.hasPrefix("/") || directory == nil ? file : directory! + "/" + file
        var info = stat()
        guard stat(path, &info) == 0 else { return missing(path, errno) }
        if info.st_mode & S_IFMT == S_IFDIR { return "is a directory, not a C file" }
        if let kind = specialKind(info) { return notRegular(kind) }
        if let unsaved {
            return unsaved.utf8.contains(0) ? "is a binary file, not C source (unsaved buffer)" : nil
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return unreadable(errno) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard let data = try? handle.readToEnd() ?? Data() else { return "cannot be read: input/output error" }
        if data.contains(0) { return "is a binary file, not C source" }
        return nil
    }

    static func notRegular(_ kind: String) -> String {
        "is \(kind), not a regular file; ladder reads C sources from regular files only"
    }

    /// What a file that is neither a regular file nor a directory is (nil for those two,
    /// which each caller judges its own way).
    static func specialKind(_ info: stat) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: nil
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// The first file a command forces into the parse (`-include`, `-imacros`) that is no
    /// regular file: clang would block on a FIFO and read a device for ever, before any
    /// timeout of ladder's own in the commands that parse in process (`dump-cfg`, the
    /// language server, `lint --in-process`). Only the place clang looks first (the
    /// command's directory, or the path itself) is judged; a name found further down the
    /// include path, or not at all, is clang's to report.
    static func forcedInputProblem(in arguments: [String], directory: String?) -> String? {
        for option in CompilerOption.split(arguments) {
            for name in ["-include", "-imacros"] {
                guard let value = option.value(of: name) else { continue }
                let path = value.hasPrefix("/") || directory == nil ? value : directory! + "/" + value
                var info = stat()
                // A directory there is no match to clang, which looks further down the
                // include path; `/dev/null` reads as empty (`-include /dev/null` is in use).
                guard stat(path, &info) == 0, path != "/dev/null", let kind = specialKind(info) else { continue }
                return "\(name) \(value): is \(kind), not a regular file; ladder passes clang regular files only"
            }
        }
        return nil
    }

    /// Why `path` cannot be followed when it is a symbolic link that loops or dangles; nil
    /// when it can be, or is no link.
    public static func brokenLink(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) != 0 else { return nil }
        return linkProblem(path, errno)
    }

    static func linkProblem(_ path: String, _ code: Int32) -> String? {
        if code == ELOOP { return "is a symbolic link that loops (too many levels of symbolic links)" }
        var link = stat()
        if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK { return "is a symbolic link to a missing file" }
        return nil
    }

    /// Why `stat` failed, telling a link that loops or dangles from a missing file.
    static func missing(_ path: String, _ code: Int32) -> String {
        if code == ELOOP || code == ENOENT, let problem = linkProblem(path, code) { return problem }
        switch code {
        case ENOENT:
            return "no such file"
        case ENOTDIR:
            return "no such file (a component of the path is not a directory)"
        default:
            return unreadable(code)
        }
    }

    static func unreadable(_ code: Int32) -> String {
        code == EACCES ? "cannot be read: permission denied" : "cannot be read: \(String(cString: strerror(code)))"
    }
}
