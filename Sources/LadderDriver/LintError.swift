import LadderClang
import LadderCore
import LadderReport

/// Why a run could not start: each names the file at fault. Problems with single source
/// files are not errors here; they go in the report and the others are still checked.
public enum LintError: Error, Sendable, Hashable, CustomStringConvertible {
    case rulePack(RulePackError)
    case compileDatabase(ProcessingError)
    case baseline(ReportError)

    public var description: String {
        switch self {
        case .rulePack(let error): error.description
        case .compileDatabase(let error): error.description
        case .baseline(let error): error.description
        }
    }
}
