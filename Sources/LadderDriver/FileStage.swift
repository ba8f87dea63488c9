import Dispatch
import LadderClang
import LadderCore

/// One file through parse → lower → analyse (the Analyzer runs the checks as it walks each
/// function's paths). A pure function of the command, the buffers, the pack and the stage:
/// what a per-file cache would key on, and what a parse worker in another process
/// would be handed.
struct FileStage: Sendable {
    var pack: RulePack
    var stopAfter: LintStage
    var pathBudget: Int?
    var unsavedFiles: [String: String]

    /// What one file contributed.
    struct Result: Sendable {
        var command: CompileCommand
        /// nil when the file did not load.
        var functions: [DefinedFunction]?
        var findings: [Finding] = []
        var errors: [ProcessingError] = []
        var parseSeconds = 0.0
        var lowerSeconds = 0.0
        var analyseSeconds = 0.0
        var costs: [FunctionCost] = []
        var pathInsensitive = 0
    }

    func process(_ command: CompileCommand, with loader: any UnitLoader) -> Result {
        var result = Result(command: command)
        switch loader.load(command, lowering: stopAfter != .parse, unsavedFiles: unsavedFiles) {
        case .failure(let error):
            result.errors.append(error)
        case .success(let loaded):
            result.functions = loaded.unit.functions.map(DefinedFunction.init)
            result.parseSeconds = loaded.parseSeconds
            result.lowerSeconds = loaded.lowerSeconds
            result.errors = loaded.errors
            guard stopAfter == .analyse else { return result }
            let start = DispatchTime.now()
            // Read once for the fixes of all the file's findings.
            let sources = FixSources(SourceText.load(loaded.unit.file).map { [$0] } ?? [])
            let analysed = analyser.analyse(loaded.unit, sources: sources)
            result.analyseSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            result.findings = analysed.findings
            result.errors += analysed.errors
            result.costs = analysed.costs
            result.pathInsensitive = analysed.pathInsensitive.count
        }
        return result
    }

    /// LadderCore's entry point, and only that: its internals change under the driver.
    var analyser: Analyzer {
        pathBudget.map { Analyzer(pack: pack, budget: $0) } ?? Analyzer(pack: pack)
    }
}
