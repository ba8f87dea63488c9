import LadderClang
import LadderCore

/// `ladder rules --mine`: the front end of a lint run (the same sources, database and
/// loaders), then `ErrorLadderMiner` on every lowered function instead of the checks.
public struct PairMining: Sendable {
    public let packs: RulePackCache
    public let loaders: any UnitLoaderFactory

    public init(packs: RulePackCache = RulePackCache(), loaders: any UnitLoaderFactory = InProcessFrontends()) {
        self.packs = packs
        self.loaders = loaders
    }

    public struct Outcome: Sendable {
        public var candidates: [PairCandidate]
        /// Functions that showed at least one pair, and files parsed.
        public var functions: Int
        public var files: Int
        public var errors: [ProcessingError]
    }

    /// Reads `options.paths`, `compileDatabase`, `clangArguments`, `excludes`, `rulePacks`
    /// (the pairs they know are left out) and `jobs`; nothing else of a lint run applies.
    public func run(_ options: LintOptions, minSupport: Int, cancellation: Cancellation = .never) throws(LintError) -> Outcome {
        let pack: RulePack
        do { pack = try packs.merged(options.rulePacks) } catch { throw .rulePack(error) }
        let sources = Exclusion.apply(try SourceStage.resolve(options), excluding: options.excludes)
        let commands = sources.commands
        let miner = ErrorLadderMiner(pack: pack)
        let unsaved = options.unsavedFiles
        let results = Workers.map(count: commands.count, workers: options.jobs, cancellation: cancellation,
                                  makeState: loaders.makeLoader) { loader, index -> Result<[MinedFunction], ProcessingError> in
            loader.load(commands[index], lowering: true, unsavedFiles: unsaved).map { loaded in
                loaded.unit.functions.map { miner.mine($0, file: loaded.unit.file) }
            }
        }
        var mined: [MinedFunction] = []
        var errors = sources.errors
        var files = 0
        for result in results.compactMap({ $0 }) {
            switch result {
            case .success(let functions):
                files += 1
                mined += functions.filter { !$0.pairs.isEmpty }
            case .failure(let error):
                errors.append(error)
            }
        }
        return Outcome(candidates: PairCandidates.rank(mined, pack: pack, minSupport: minSupport),
                       functions: mined.count, files: files, errors: errors)
    }
}
