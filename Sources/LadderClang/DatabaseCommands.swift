import Foundation

/// Turns compilation database entries into the commands libclang parses: the compiler, the
/// inputs and build-only options out (`FlagCleaner`), a `--target` from a cross compiler's
/// name, and the options libclang does not take dropped (`OptionSifter`), decided once for
/// the whole database and reported once.
///
/// No option is translated to a clang spelling: the candidates (`-mpreferred-stack-boundary=3`
/// to `-mstack-alignment=8`, `-mindirect-branch=thunk-extern` to `-mretpoline-external-thunk`,
/// `-fmin-function-alignment=16` to `-falign-functions=16`) change code generation only; clang
/// 19's predefined macros are the same with and without them, so a parse cannot tell.
struct DatabaseCommands {
    /// The user's options (`--extra-arg-before`, `--extra-arg`): passed as given, never probed.
    var extraBefore: [String]
    var extraAfter: [String]

    /// Programs that run the compiler named after them.
    static let launchers: Set<String> = ["ccache", "sccache", "distcc", "icecc"]

    /// One entry on its way to a command.
    private struct Prepared {
        var entry: CompileDatabase.Entry
        var compiler: String
        var options: [CompilerOption]
        var target: [String]
        var targetSource: TargetSource
    }

    private enum TargetSource {
        case none, command, user
        /// The triple from the compiler's name, when the command and the user give none.
        case compilerName(String)
    }

    func commands(for entries: [CompileDatabase.Entry]) -> (commands: [CompileCommand], adjustments: OptionAdjustments) {
        let prepared = entries.map(prepare)
        var sifter = OptionSifter(probe: OptionProbe())
        var adjustments = OptionAdjustments()
        // Per target, the verdicts and whether the target itself had to go. Options are
        // judged in the directory of the first entry with that target: a database rarely
        // has more than one, and only options naming relative files could care.
        var verdicts: [[String]: [CompilerOption: OptionVerdict]] = [:]
        var targetDropped: [[String]: String] = [:]
        // Without libclang nothing can be asked: every option goes as the build wrote it,
        // and each file's parse reports why it cannot start.
        let unloadable = ClangEnvironment.loadProblem.map { "cannot load libclang (\(ClangEnvironment.libraryPath)): \($0)" }
        if let unloadable { adjustments.unchecked = unloadable }
        for (target, group) in Self.grouped(prepared) where unloadable == nil {
            var candidates: [CompilerOption] = []
            var seen: Set<CompilerOption> = []
            for item in group {
                for option in item.options where !option.isPreprocessorPath && !option.isTarget && seen.insert(option).inserted {
                    candidates.append(option)
                }
            }
            var context = OptionContext(directory: group.first?.entry.directory, target: target)
            var result = sifter.sift(candidates, in: context)
            if case .contextFails(let diagnostic) = result, !target.isEmpty {
                targetDropped[target] = diagnostic
                context.target = []
                result = sifter.sift(candidates, in: context)
            }
            switch result {
            case .judged(let judged):
                verdicts[target] = judged
            case .contextFails(let diagnostic):
                adjustments.unchecked = "libclang fails on an empty file with none of them: \(diagnostic)"
            }
        }
        var commands: [CompileCommand] = []
        var dropped: [String: DroppedOption] = [:]
        var droppedOrder: [String] = []
        var inferred: [InferredTarget] = []
        func drop(_ spelling: String, _ kind: DroppedOption.Kind, _ diagnostic: String) {
            if dropped[spelling] == nil {
                droppedOrder.append(spelling)
                dropped[spelling] = DroppedOption(option: spelling, kind: kind, diagnostic: diagnostic, entries: 0)
            }
            dropped[spelling]!.entries += 1
        }
        for item in prepared {
            var arguments: [String] = []
            switch (item.targetSource, targetDropped[item.target]) {
            case (.command, let failure?), (.compilerName, let failure?):
                // The user's own `--target` stays whatever libclang says of it.
                drop(item.target.joined(separator: " "), .rejected, failure)
            case (.compilerName(let triple), nil):
                arguments += item.target
                if let i = inferred.firstIndex(where: { $0.compiler == item.compiler && $0.triple == triple }) {
                    inferred[i].entries += 1
                } else {
                    inferred.append(InferredTarget(compiler: item.compiler, triple: triple, entries: 1))
                }
            default:
                break
            }
            arguments += extraBefore
            for option in item.options {
                if option.isTarget {
                    if targetDropped[item.target] == nil { arguments += option.tokens }
                    continue
                }
                // Unjudged (libclang could not be asked): passed as the build had it.
                guard !option.isPreprocessorPath, let verdict = verdicts[item.target]?[option] else {
                    arguments += option.tokens
                    continue
                }
                switch verdict {
                case .kept: arguments += option.tokens
                case .dropped(let kind, let diagnostic): drop(option.spelling, kind, diagnostic)
                }
            }
            arguments += extraAfter
            commands.append(CompileCommand(file: item.entry.file, directory: item.entry.directory, arguments: arguments))
        }
        adjustments.dropped = droppedOrder.map { dropped[$0]! }
        adjustments.targets = inferred
        adjustments.probing = ProbeCost(probes: sifter.probe.probes, seconds: sifter.probe.seconds)
        return (commands, adjustments)
    }

    private func prepare(_ entry: CompileDatabase.Entry) -> Prepared {
        var arguments = entry.arguments[...]
        if arguments.count > 1, Self.launchers.contains((arguments[arguments.startIndex] as NSString).lastPathComponent) {
            arguments = arguments.dropFirst()
        }
        let compiler = arguments.first ?? ""
        let options = FlagCleaner.keep(CompilerOption.split(Array(arguments.dropFirst())))
        var item = Prepared(entry: entry, compiler: compiler, options: options, target: [], targetSource: .none)
        if let explicit = options.last(where: \.isTarget) {
            (item.target, item.targetSource) = (explicit.tokens, .command)
        } else if let extra = CompilerOption.split(extraBefore + extraAfter).last(where: \.isTarget) {
            (item.target, item.targetSource) = (extra.tokens, .user)
        } else if let triple = CompilerTarget.triple(fromCompiler: compiler) {
            (item.target, item.targetSource) = (["--target=" + triple], .compilerName(triple))
        }
        return item
    }

    /// Entries by target, targets in order of first appearance.
    private static func grouped(_ prepared: [Prepared]) -> [([String], [Prepared])] {
        var order: [[String]] = []
        var groups: [[String]: [Prepared]] = [:]
        for item in prepared {
            if groups[item.target] == nil { order.append(item.target) }
            groups[item.target, default: []].append(item)
        }
        return order.map { ($0, groups[$0]!) }
    }
}
