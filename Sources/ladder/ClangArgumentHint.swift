/// Forgetting `--` before clang's arguments (`ladder lint kernel -Ikernel`) makes the
/// argument parser reject `-Ikernel` as an unknown option of ladder's, which says nothing
/// about the fix. When the rejected option is one clang takes, this says so and shows the
/// command with the clang arguments moved after `--`.
enum ClangArgumentHint {
    /// Option prefixes only clang takes (none is a ladder option).
    static let prefixes = ["-I", "-D", "-U", "-W", "-f", "-m", "-O", "-g", "-std", "-target", "--target=", "-isystem",
                           "-iquote", "-idirafter", "-include", "-imacros", "-nostdinc", "-nostdlib", "-x", "--sysroot"]
    /// Those whose value is the next argument.
    static let takingValue: Set<String> = ["-target", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-x"]

    /// A line for standard error, or nil when the error is not an unknown clang option.
    /// `arguments` are those before `--`, `after` those after it.
    static func hint(message: String, arguments: [String], after: [String]) -> String? {
        guard let start = message.range(of: "Unknown option '") else { return nil }
        let option = message[start.upperBound...].prefix { $0 != "'" }
        guard looksLikeClang(String(option)) else { return nil }
        var ours: [String] = []
        var clang: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if looksLikeClang(argument) {
                clang.append(argument)
                if takingValue.contains(argument), index + 1 < arguments.count {
                    clang.append(arguments[index + 1])
                    index += 1
                }
            } else {
                ours.append(argument)
            }
            index += 1
        }
        let command = (["ladder"] + ours + ["--"] + clang + after).joined(separator: " ")
        return "ladder: hint: '\(option)' is a clang argument; clang arguments go after --: \(command)"
    }

    static func looksLikeClang(_ argument: String) -> Bool {
        prefixes.contains { argument.hasPrefix($0) }
    }
}
