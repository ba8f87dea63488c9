/// What ladder changed in a compilation database's commands so that libclang parses them,
/// said once for the whole database: the options it dropped, the targets it inferred, and
/// what finding that out cost.
public struct OptionAdjustments: Sendable, Hashable {
    public var dropped: [DroppedOption]
    public var targets: [InferredTarget]
    public var probing: ProbeCost
    /// Why options were passed unchecked, in words for the note: libclang failed on an empty
    /// file with none of them (so it could not be asked about any), or could not be loaded.
    public var unchecked: String?

    public init(dropped: [DroppedOption] = [], targets: [InferredTarget] = [], probing: ProbeCost = ProbeCost(),
                unchecked: String? = nil) {
        self.dropped = dropped
        self.targets = targets
        self.probing = probing
        self.unchecked = unchecked
    }

    /// One line per kind of change, for the report's notes; none when nothing changed.
    public var notes: [String] {
        var notes = targets.map {
            "target \($0.triple) inferred from the compiler '\($0.compiler)' (\(Self.count($0.entries, "entry", "entries")))"
        }
        for kind in DroppedOption.Kind.allCases {
            let options = dropped.filter { $0.kind == kind }
            guard !options.isEmpty else { continue }
            let what = switch kind {
            case .rejected: "libclang rejects (unknown, or not for this target)"
            case .ignored: "libclang ignores (optimisations it does not have)"
            }
            notes.append("dropped \(Self.count(options.count, "option", "options")) \(what): "
                         + options.map(\.option).joined(separator: " "))
        }
        if let unchecked {
            notes.append("compile options passed unchecked: \(unchecked)")
        }
        return notes
    }

    static func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
}

/// An option taken out of every command that had it.
public struct DroppedOption: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A parse with it fails: unknown to clang, or not for the target.
        case rejected
        /// Clang warns and does nothing with it (`-falign-jumps=1`).
        case ignored
    }

    /// As the command line spells it; an option with a separate value is both, space-joined.
    public var option: String
    public var kind: Kind
    /// libclang's own words about it.
    public var diagnostic: String
    /// How many commands had it.
    public var entries: Int

    public init(option: String, kind: Kind, diagnostic: String, entries: Int) {
        self.option = option
        self.kind = kind
        self.diagnostic = diagnostic
        self.entries = entries
    }
}

/// A `--target` added to commands because their compiler's name gives one.
public struct InferredTarget: Sendable, Hashable {
    /// As the database spells it.
    public var compiler: String
    public var triple: String
    public var entries: Int

    public init(compiler: String, triple: String, entries: Int) {
        self.compiler = compiler
        self.triple = triple
        self.entries = entries
    }
}

/// The parses spent deciding which options libclang takes: a few per database, not per file.
public struct ProbeCost: Sendable, Hashable {
    public var probes: Int
    public var seconds: Double

    public init(probes: Int = 0, seconds: Double = 0) {
        self.probes = probes
        self.seconds = seconds
    }
}
