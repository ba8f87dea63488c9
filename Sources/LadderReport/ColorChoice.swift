/// `--color always|never|auto`.
public enum ColorChoice: String, CaseIterable, Sendable {
    case always, never, auto

    /// Whether the text report gets ANSI colour.
    ///
    /// An explicit `always` or `never` wins over everything: the user asked. `auto` colours
    /// only a terminal (`isTerminal`: isatty of the stream the report goes to, so `-o FILE`
    /// and pipes stay plain), and not when `NO_COLOR` is set to anything non-empty
    /// (no-color.org) or `TERM=dumb` (Emacs' shell, some CI logs).
    public static func resolve(flag: ColorChoice, isTerminal: Bool, environment: [String: String]) -> Bool {
        switch flag {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isTerminal
        }
    }
}
