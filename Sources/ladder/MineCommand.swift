import ArgumentParser
import LadderCore
import LadderDriver
import LadderReport

/// `ladder rules --mine`: candidate pairs learned from a tree's error ladders, printed as
/// pack YAML for review. Never a pack to load as it stands: support is evidence, not proof.
struct MineRequest {
    var paths: [String]
    var compileDatabase: String?
    var rulePacks: [String]
    var minSupport: Int
    var jobs: Int

    func run() throws {
        guard minSupport >= 1 else {
            printError("ladder: error: --min-support must be at least 1")
            throw ExitCode(ExitStatus.usage)
        }
        // Pairs any built-in pack knows are not news, unless --rules names the packs.
        let packs = rulePacks.isEmpty ? BuiltinPacks.names : rulePacks
        let options = LintOptions(paths: paths, compileDatabase: compileDatabase.map(CompileDatabaseChoice.at) ?? .discover,
                                  rulePacks: packs, jobs: jobs)
        let outcome: PairMining.Outcome
        do { outcome = try PairMining().run(options, minSupport: minSupport) } catch {
            printError(error.description)
            throw ExitCode(ExitStatus.untrusted)
        }
        for error in outcome.errors { printError(error.description) }
        let yaml = CandidateYAML.render(outcome.candidates, functions: outcome.functions, files: outcome.files,
                                        minSupport: minSupport)
        try StandardStreams.out(yaml, what: "the mined pairs")
    }
}
