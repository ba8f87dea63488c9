/// Decides which of a build's options libclang takes by asking it, not from a list of gcc
/// options (which is always one gcc release behind): the distinct options of a whole
/// database are put to one probe; libclang's diagnostics name most of the bad ones, and
/// when they do not, the set is halved until the culprits are found. Each verdict is made
/// once per option and build context, so the cost is a few probes per database.
///
/// What it cannot see: an option accepted by the driver but misread (a gcc `-march=` value
/// clang spells differently is rejected, but one it reads another way is kept), and
/// anything that only code generation would trip on, which a parse never reaches.
struct OptionSifter<Probe: OptionAsking> {
    let probe: Probe
    private(set) var verdicts: [CompilerOption: OptionVerdict] = [:]
    private var context = OptionContext(directory: nil, target: [])
    /// Whether the last sift judged parts of its options apart.
    private var bisected = false

    init(probe: Probe) { self.probe = probe }

    enum Result {
        case judged([CompilerOption: OptionVerdict])
        /// libclang fails even with no option in this context (a target it does not know),
        /// so nothing can be judged in it; libclang's words.
        case contextFails(String)
    }

    mutating func sift(_ options: [CompilerOption], in context: OptionContext) -> Result {
        self.context = context
        verdicts = [:]
        bisected = false
        let bare = probe.run(context.target, directory: context.directory)
        if bare.failed { return .contextFails(bare.firstError ?? "the parse fails") }
        var kept = resolve(options)
        // Bisection judged parts apart; two options fine apart may not be together.
        if bisected && kept.count > 1 && ask(kept).failed {
            kept = keepCompatible(kept)
        }
        for option in kept { verdicts[option] = .kept }
        return .judged(verdicts)
    }

    /// The options of `pending` a parse accepts together; the others get their verdicts.
    private mutating func resolve(_ options: [CompilerOption]) -> [CompilerOption] {
        var pending = options
        while !pending.isEmpty {
            let outcome = ask(pending)
            var namedError = false
            for diagnostic in outcome.diagnostics
            where diagnostic.isError || OptionProbe.ignoredOptionWarnings.contains(diagnostic.flag) {
                guard let culprit = Self.culprit(of: diagnostic.text, among: pending) else { continue }
                verdicts[culprit] = .dropped(diagnostic.isError ? .rejected : .ignored, diagnostic: diagnostic.text)
                pending.removeAll { $0 == culprit }
                namedError = namedError || diagnostic.isError
            }
            if !outcome.failed { return pending }
            // Another look without the options named: the rest may pass, or now speak up
            // (clang's frontend says nothing while its driver has errors).
            if namedError { continue }
            if pending.count == 1 {
                verdicts[pending[0]] = .dropped(.rejected, diagnostic: outcome.firstError ?? "the parse fails")
                return []
            }
            bisected = true
            let middle = pending.count / 2
            return resolve(Array(pending[..<middle])) + resolve(Array(pending[middle...]))
        }
        return []
    }

    /// Options judged fine in different halves but failing together, with a diagnostic that
    /// names neither: they are taken in command order while the parse still starts. One
    /// probe per option, but only once bisection has met such a conflict.
    private mutating func keepCompatible(_ options: [CompilerOption]) -> [CompilerOption] {
        var kept: [CompilerOption] = []
        for option in options {
            let outcome = ask(kept + [option])
            if outcome.failed {
                verdicts[option] = .dropped(.rejected, diagnostic: "conflicts with options before it: " + (outcome.firstError ?? "the parse fails"))
            } else {
                kept.append(option)
            }
        }
        return kept
    }

    private func ask(_ options: [CompilerOption]) -> OptionProbe.Outcome {
        probe.run(context.target + options.flatMap(\.tokens), directory: context.directory)
    }

    /// The one option a diagnostic is about, from what it quotes first: the option itself
    /// ("unknown argument: '-fno-ipa-cp-clone'"), a value and its flag ("unsupported argument
    /// 'medany' to option '-mcmodel='"), or a bare value ("unknown target CPU 'rv64imac'").
    /// Nil unless exactly one option fits, so a guess never drops a good option; the
    /// bisection then finds it.
    static func culprit(of text: String, among options: [CompilerOption]) -> CompilerOption? {
        let quoted = text.split(separator: "'", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        guard let first = quoted.first, !first.isEmpty else { return nil }
        let whole = quoted.count > 1 && quoted[1].hasSuffix("=") ? quoted[1] + first : nil
        let rules: [(String) -> Bool] = [
            { $0 == first },
            { whole != nil && $0 == whole },
            { $0.hasPrefix("-") && $0.hasSuffix("=" + first) },
        ]
        for rule in rules {
            let matches = options.filter { $0.tokens.contains(where: rule) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 { return nil }
        }
        return nil
    }
}

/// What every option of a group is judged with: the build directory (for options naming
/// files) and the target (`-mcmodel=medany` is right for riscv64 and wrong for x86).
struct OptionContext: Hashable {
    var directory: String?
    var target: [String]
}

enum OptionVerdict: Hashable {
    case kept
    case dropped(DroppedOption.Kind, diagnostic: String)
}
