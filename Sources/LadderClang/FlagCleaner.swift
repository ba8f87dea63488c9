/// What of a real build's command line never reaches a syntax-only parse, whether libclang
/// accepts it or not: output and dependency files (`-Wp,-MMD,…` would write a `.d` into the
/// tree), warnings made errors (ladder reads code, it does not judge warnings), gcc plugins
/// (clang would load their `.so` into this process), and the inputs, the source among
/// them. Whether libclang knows an option is not decided here but by asking it
/// (`OptionSifter`).
public enum FlagCleaner {
    static let buildOnly: Set<String> = ["-c", "-S", "-E", "-o", "-Werror", "-pedantic-errors", "-save-temps"]
    static let buildOnlyPrefixes = ["-Werror=", "-fplugin=", "-fplugin-arg-", "-fpass-plugin=", "-save-temps="]

    /// `arguments` excludes the compiler itself.
    public static func clean(_ arguments: [String]) -> [String] {
        keep(CompilerOption.split(arguments)).flatMap(\.tokens)
    }

    static func keep(_ options: [CompilerOption]) -> [CompilerOption] {
        options.filter { !isBuildOnly($0) }
    }

    static func isBuildOnly(_ option: CompilerOption) -> Bool {
        // The source, however the entry spells it, and any other input: libclang takes the
        // source separately, and a second input makes the whole parse fail.
        if option.isPositional { return true }
        let flag = option.tokens[0]
        if buildOnly.contains(flag) || buildOnlyPrefixes.contains(where: { flag.hasPrefix($0) }) { return true }
        // `-oFILE`; every `-M…` is a dependency-file option in both compilers.
        if (flag.hasPrefix("-o") && !flag.hasPrefix("-objc")) || flag.hasPrefix("-M") { return true }
        // `-Wp,-MMD,dep.d` and the like; other `-Wp,` options (`-D_FORTIFY_SOURCE`) are kept.
        if flag.hasPrefix("-Wp,") && flag.split(separator: ",").dropFirst().contains(where: { $0.hasPrefix("-M") }) {
            return true
        }
        return false
    }
}
