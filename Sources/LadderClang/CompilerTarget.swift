import Foundation

/// The target a compile command builds for, when only the compiler's name says it: a gcc
/// cross compiler is installed as `<triple>-gcc` (`riscv64-linux-gnu-gcc`,
/// `aarch64-linux-gnu-gcc-12`), and parsed for the host instead, the kernel's arch headers
/// stop at their first `#error`.
public enum CompilerTarget {
    /// The names a compiler driver is installed under, after its triple.
    static let driverNames: Set<String> = ["gcc", "cc", "clang", "g++", "c++", "clang++"]

    /// The triple in a cross compiler's name; nil for a native one (`gcc`, `cc`, `clang-19`).
    /// A triple of one word (`avr-gcc`) is not recognised: a one-word prefix is as often a
    /// wrapper's name as an architecture.
    public static func triple(fromCompiler compiler: String) -> String? {
        var parts = (compiler as NSString).lastPathComponent.split(separator: "-").map(String.init)
        // A version suffix (`-12`, `-12.2`) follows the driver's name.
        if let last = parts.last, !last.isEmpty, last.allSatisfy({ $0.isNumber || $0 == "." }) {
            parts.removeLast()
        }
        guard parts.count >= 3, let driver = parts.last, driverNames.contains(driver) else { return nil }
        return parts.dropLast().joined(separator: "-")
    }

    /// Whether `arguments` already choose a target (`--target=T`, `-target T`, `--target T`).
    public static func isExplicit(in arguments: [String]) -> Bool {
        arguments.contains { isTargetFlag($0) }
    }

    static func isTargetFlag(_ argument: String) -> Bool {
        argument == "-target" || argument == "--target" || argument.hasPrefix("--target=")
    }
}
