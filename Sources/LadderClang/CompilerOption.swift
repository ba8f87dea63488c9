/// One option as a compiler driver reads it: a flag, with its value when that is the next
/// argument (`-include x.h`, `--param n=v`), or one positional input. Options are judged
/// and dropped whole, so a value never loses its flag or becomes an input of its own.
struct CompilerOption: Hashable, Sendable {
    var tokens: [String]

    /// The option as the command line spells it, tokens joined by a space.
    var spelling: String { tokens.joined(separator: " ") }

    var isPositional: Bool { !tokens[0].hasPrefix("-") || tokens[0] == "-" }

    /// Flags gcc and clang both read with the value in the next argument. A flag missing
    /// here whose value is separate splits in two; the value is then positional and goes
    /// with the other stray inputs, and the flag is judged (and dropped) alone.
    static let separateValue: Set<String> = [
        "-o", "-MF", "-MT", "-MQ", "-MJ", "-x", "-I", "-D", "-U", "-include", "-imacros", "-isystem",
        "-iquote", "-idirafter", "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot",
        "-imultilib", "-include-pch", "-ivfsoverlay", "--sysroot", "-target", "--target", "-Xclang",
        "-Xassembler", "-Xlinker", "-Xpreprocessor", "-mllvm", "--param", "-arch", "-L", "-l", "-T",
        "-u", "-z", "-G", "-B", "-A", "-aux-info", "-working-directory", "-resource-dir",
    ]

    static func split(_ arguments: [String]) -> [CompilerOption] {
        var options: [CompilerOption] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let flag = arguments[index]
            if separateValue.contains(flag), index + 1 < arguments.endIndex {
                options.append(CompilerOption(tokens: [flag, arguments[index + 1]]))
                index += 2
            } else {
                options.append(CompilerOption(tokens: [flag]))
                index += 1
            }
        }
        return options
    }

    /// Macro and include-path options: both compilers read them alike, and their values
    /// differ from file to file (`-DKBUILD_MODNAME="…"`), so they are passed as given and
    /// never probed. A missing `-include` file then fails its own files, as it should.
    var isPreprocessorPath: Bool {
        let flag = tokens[0]
        if flag.hasPrefix("-D") || flag.hasPrefix("-U") || flag.hasPrefix("-I") { return true }
        return ["-include", "-imacros", "-isystem", "-iquote", "-idirafter"].contains { flag.hasPrefix($0) }
    }

    var isTarget: Bool { CompilerTarget.isTargetFlag(tokens[0]) }

    /// The value this option gives flag `name`, separate (`-include x.h`) or joined to it
    /// (`-includex.h`); nil when it is another flag (`-include-pch`, a longer flag that
    /// merely starts with `name`).
    func value(of name: String) -> String? {
        let flag = tokens[0]
        if tokens.count == 2 && flag == name { return tokens[1] }
        if tokens.count == 1 && flag.hasPrefix(name) && flag != name && !Self.separateValue.contains(flag) {
            return String(flag.dropFirst(name.count))
        }
        return nil
    }
}
