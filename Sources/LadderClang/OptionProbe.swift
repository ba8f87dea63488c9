import CLibClang
import Foundation

/// Whatever answers "does a parse start with these options?": libclang (`OptionProbe`), or
/// a stand-in whose answers a test knows.
protocol OptionAsking: AnyObject {
    func run(_ arguments: [String], directory: String?) -> OptionProbe.Outcome
    /// Questions asked so far, and the time they took.
    var probes: Int { get }
    var seconds: Double { get }
}

/// One question to libclang: does a parse with these options start, and what does it say
/// about them? The parse is of a one-line file held in memory, so it costs milliseconds
/// however large the real files are. Not thread-safe: it owns a libclang index.
final class OptionProbe: OptionAsking {
    /// What libclang said, as it said it.
    struct Diagnostic: Sendable {
        var isError: Bool
        var text: String
        /// The warning flag that controls it (`-Wunknown-warning-option`), or "".
        var flag: String
    }

    struct Outcome: Sendable {
        /// Whether a real file parsed with these options would fail whatever its text.
        var failed: Bool
        var diagnostics: [Diagnostic]
        var firstError: String? { diagnostics.first(where: \.isError)?.text }
    }

    /// The warning that says clang's driver ignores an option (`-falign-jumps=1`).
    /// `Frontend` silences it; the probe turns it back on (the last of `-W`/`-Wno-` wins) to
    /// learn which options it names. Unknown warning options (`-Wno-maybe-uninitialized`)
    /// are not asked about: libclang prints that warning on stderr whatever the index is
    /// told, and they are harmless, since `Frontend` silences them. Unused-argument warnings
    /// stay off too: a linker or assembler option is valid, just idle in a parse.
    static let ignoredOptionWarnings = ["-Wignored-optimization-argument"]

    /// nil when libclang cannot be loaded: every question then fails, saying why, and the
    /// database's options go unchecked (the files' own parses report the missing libclang).
    private let index: CXIndex?
    private(set) var probes = 0
    private(set) var seconds = 0.0

    init() { index = ClangEnvironment.loadProblem == nil ? clang_createIndex(0, 0) : nil }

    deinit { if let index { clang_disposeIndex(index) } }

    func run(_ arguments: [String], directory: String?) -> Outcome {
        let start = DispatchTime.now()
        defer {
            probes += 1
            seconds += LadderClang.seconds(start, DispatchTime.now())
        }
        guard let index else {
            let text = "cannot load libclang (\(ClangEnvironment.libraryPath)): \(ClangEnvironment.loadProblem ?? "")"
            return Outcome(failed: true, diagnostics: [Diagnostic(isError: true, text: text, flag: "")])
        }
        var all = Frontend.baseArguments + Self.ignoredOptionWarnings
        if let directory { all += ["-working-directory", directory] }
        all += arguments
        // A name no build has, under `/` so that `-working-directory` cannot move it.
        let name = "/ladder-option-probe.c"
        let text = "int ladder_option_probe;\n"
        var tu: CXTranslationUnit?
        let code = name.withCString { namePointer in
            text.withCString { textPointer in
                var unsaved = CXUnsavedFile(Filename: namePointer, Contents: textPointer, Length: UInt(text.utf8.count))
                return withCStrings(all) { argv in
                    clang_parseTranslationUnit2(index, namePointer, argv, Int32(all.count), &unsaved, 1, 0, &tu)
                }
            }
        }
        guard code == CXError_Success, let tu else {
            let text = "libclang cannot start a parse with it (error \(code.rawValue))"
            return Outcome(failed: true, diagnostics: [Diagnostic(isError: true, text: text, flag: "")])
        }
        defer { clang_disposeTranslationUnit(tu) }
        var diagnostics: [Diagnostic] = []
        for i in 0..<clang_getNumDiagnostics(tu) {
            let diagnostic = clang_getDiagnostic(tu, i)
            defer { clang_disposeDiagnostic(diagnostic) }
            let severity = clang_getDiagnosticSeverity(diagnostic)
            let isError = severity == CXDiagnostic_Error || severity == CXDiagnostic_Fatal
            guard isError || severity == CXDiagnostic_Warning else { continue }
            diagnostics.append(Diagnostic(isError: isError, text: clang_getDiagnosticSpelling(diagnostic).consume(),
                                          flag: clang_getDiagnosticOption(diagnostic, nil).consume()))
        }
        return Outcome(failed: diagnostics.contains(where: \.isError), diagnostics: diagnostics)
    }
}
