import CLibClang
import Foundation
import LadderCore

/// The result of loading one file: its functions, or why it could not be used.
public struct LoadedUnit: Sendable {
    public var unit: TranslationUnit
    public var parseSeconds: Double
    public var lowerSeconds: Double
}

/// Parses translation units in-process, one at a time, and lowers each before disposing
/// it, so memory stays flat however many files a run covers. Not thread-safe: give each
/// worker its own.
public final class Frontend {
    private let index: CXIndex

    public init() {
        index = clang_createIndex(0, 0)
    }

    deinit { clang_disposeIndex(index) }

    /// Flags every parse gets: the resource directory of the libclang in use (bare-metal
    /// targets need it for `stdarg.h`), and silence about flags clang does not know.
    static let baseArguments: [String] = {
        var args = ["-Wno-unknown-warning-option", "-Wno-unused-command-line-argument",
                    "-Wno-ignored-optimization-argument", "-ferror-limit=0"]
        if let dir = ClangEnvironment.resourceDirectory { args += ["-resource-dir", dir] }
        return args
    }()

    /// `lowering: false` parses and checks diagnostics only (for benchmarks of the parse alone).
    public func load(_ command: CompileCommand, lowering: Bool = true) -> Result<LoadedUnit, ProcessingError> {
        if let problem = SourceFileCheck.problem(with: command.file, directory: command.directory) {
            return .failure(ProcessingError(file: command.file, message: problem))
        }
        let start = DispatchTime.now()
        var arguments = Frontend.baseArguments
        if let dir = command.directory { arguments += ["-working-directory", dir] }
        arguments += command.arguments
        var tu: CXTranslationUnit?
        let options = CXTranslationUnit_KeepGoing.rawValue
        let code = withCStrings(arguments) { argv in
            clang_parseTranslationUnit2(index, command.file, argv, Int32(arguments.count), nil, 0, options, &tu)
        }
        guard code == CXError_Success, let tu else {
            return .failure(ProcessingError(file: command.file, message: Frontend.describe(code)))
        }
        defer { clang_disposeTranslationUnit(tu) }
        if let error = Frontend.firstError(in: tu, file: command.file) {
            return .failure(error)
        }
        let parsed = DispatchTime.now()
        let functions = lowering ? Lowering(tu: tu, mainFile: command.file).lowerAll() : []
        let lowered = DispatchTime.now()
        return .success(LoadedUnit(
            unit: TranslationUnit(file: command.file, functions: functions),
            parseSeconds: seconds(start, parsed), lowerSeconds: seconds(parsed, lowered)))
    }

    /// libclang says little when a parse cannot even start; say what usually causes it.
    static func describe(_ code: CXErrorCode) -> String {
        switch code {
        case CXError_Crashed: "libclang crashed while parsing this file"
        case CXError_InvalidArguments: "libclang rejected the call (invalid arguments)"
        default: "libclang could not start the parse: check the compiler flags for this file (an unknown flag, or a second input file) with `ladder dump-cfg FILE -- FLAGS`"
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

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    let constPointers = pointers.map { UnsafePointer<CChar>($0) }
    return constPointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Rejects what libclang would choke on or silently misread: missing, unreadable, binary
/// and non-UTF-8 files.
enum SourceFileCheck {
    static func problem(with file: String, directory: String?) -> String? {
        let path = file.hasPrefix("/") || directory == nil ? file : directory! + "/" + file
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "no such file"
        }
        if isDirectory.boolValue { return "is a directory, not a C file" }
        guard let data = FileManager.default.contents(atPath: path) else { return "cannot be read (permission denied?)" }
        if data.contains(0) { return "is a binary file, not C source" }
        if String(data: data, encoding: .utf8) == nil { return "is not UTF-8 text" }
        return nil
    }
}
