/// One translation unit to parse: the file as the user named it, where to resolve relative
/// paths from, and the compiler flags that apply.
public struct CompileCommand: Sendable, Hashable {
    /// The path as given on the command line or in `compile_commands.json`.
    public var file: String
    /// The build directory the flags are relative to (nil: the current directory).
    public var directory: String?
    public var arguments: [String]

    public init(file: String, directory: String? = nil, arguments: [String] = []) {
        self.file = file
        self.directory = directory
        self.arguments = arguments
    }
}

/// Turns a real build's compiler command line into one libclang accepts for a syntax-only
/// parse: output, dependency-file and warning-as-error flags go, and so do gcc-only flags
/// that clang rejects.
public enum FlagCleaner {
    static let dropAlone: Set<String> = [
        "-c", "-S", "-E", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-pipe", "-save-temps",
        "-Werror", "-pedantic-errors", "-fno-var-tracking-assignments", "-fconserve-stack",
        "-mno-fp-ret-in-387", "-mskip-rax-setup", "-fno-allow-store-data-races", "-mrecord-mcount",
        "-fno-ipa-sra", "-fno-stack-clash-protection", "-fmerge-constants",
    ]
    static let dropWithValue: Set<String> = ["-o", "-MF", "-MT", "-MQ", "-Xassembler", "--param"]
    static let dropPrefixes = [
        "-Werror=", "-Wp,", "-fno-tree-", "-ftree-", "-mindirect-branch", "-mfunction-return",
        "-fmin-function-alignment", "-fconserve-", "-mpreferred-stack-boundary", "-falign-jumps",
        "-fno-partial-inlining", "-fstack-usage", "-fplugin", "-fdump-",
        "-Wa,", "--param=", "-fsanitize-coverage", "-fzero-call-used-regs", "-mharden-sls",
        "-fpatchable-function-entry", "-Wimplicit-fallthrough=",
    ]

    /// `arguments` excludes the compiler itself; `file` is removed wherever it appears.
    public static func clean(_ arguments: [String], file: String?) -> [String] {
        var result: [String] = []
        var skipNext = false
        for arg in arguments {
            if skipNext { skipNext = false; continue }
            if dropWithValue.contains(arg) { skipNext = true; continue }
            if arg.hasPrefix("-o") && arg.count > 2 && !arg.hasPrefix("-objc") { continue }
            if dropAlone.contains(arg) { continue }
            if dropPrefixes.contains(where: { arg.hasPrefix($0) }) { continue }
            // The source itself, however the entry spells it (absolute `file`, relative
            // argument, or the other way round): libclang takes it separately, and a
            // second input makes the whole parse fail.
            if let file, arg == file || arg.hasSuffix("/" + file) || file.hasSuffix("/" + arg) { continue }
            result.append(arg)
        }
        return result
    }
}
