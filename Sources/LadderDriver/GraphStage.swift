import LadderClang
import LadderCore

/// What `ladder dump-cfg` shows: one file's functions as lowered, or, with rule packs, as
/// the analysis walks them (`AnalysisGraph.prepare` folds the packs' identity and pure
/// calls in). Flags come from the compile database when one is named, as for `lint`.
public struct FunctionGraphs: Sendable {
    public var file: String
    public var functions: [Function]
}

extension LintDriver {
    /// `options.paths` names the one file; `options.rulePacks`, when not empty, asks for
    /// the graphs the analysis walks.
    public func graphs(_ options: LintOptions) throws(LintError) -> Result<FunctionGraphs, ProcessingError> {
        var pack: RulePack?
        if !options.rulePacks.isEmpty {
            do { pack = try packs.merged(options.rulePacks) } catch { throw .rulePack(error) }
        }
        let sources = try SourceStage.resolve(options)
        // A malformed entry for some other file does not stop this one's graph.
        guard let command = sources.commands.first else {
            return .failure(sources.errors.first
                ?? ProcessingError(file: options.paths.first ?? "", message: "no such file in the compilation database"))
        }
        switch loaders.makeLoader().load(command, lowering: true, unsavedFiles: options.unsavedFiles) {
        case .failure(let error):
            return .failure(error)
        case .success(let loaded):
            let functions = pack.map { p in loaded.unit.functions.map { AnalysisGraph.prepare($0, pack: p) } } ?? loaded.unit.functions
            return .success(FunctionGraphs(file: command.file, functions: functions))
        }
    }
}
