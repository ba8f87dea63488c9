import LadderClang
import LadderCore
import LadderReport

/// Why a run could not start: each names the file at fault. Problems with single source
/// files are not errors here; they go in the report and the others are still checked.
public enum LintError: Error, Sendable, Hashable, CustomStringConvertible {
    case rulePack(RulePackError)
    case compileDatabase(ProcessingError)
    case baseline(ReportError)

    /// The error as an entry of a report's `errors`, so that a run stopped before its first
    /// file still gives a machine-format consumer a document saying why.
    public var processingError: ProcessingError {
        switch self {
        case .rulePack(let error):
            ProcessingError(file: error.file, line: error.line > 0 ? error.line : nil, message: error.message)
        case .compileDatabase(let error): error
        case .baseline(let error): ProcessingError(file: error.file, message: error.message)
        }
    }

    public var description: String {
        switch self {
        case .rulePack(let error): error.description
        case .compileDatabase(let error): error.description
        case .baseline(let error): error.description
        }
    }
}
