import Foundation

/// A frame of C code: the function and the line of the call (or of the fault).
public struct CodeSite: Hashable, Sendable, Codable, CustomStringConvertible {
    public var function: String
    public var file: String
    public var line: Int

    public var description: String { line > 0 ? "\(function):\(line)" : function }
}

/// Turns return addresses of one library into functions and lines, with llvm-symbolizer,
/// in one batch per library.
struct Symbolizer {
    let toolchain: Toolchain

    /// Sites for `offsets` (return addresses relative to the load address of `library`).
    /// A return address points after the call, so the call's line is that of offset − 1.
    func symbolize(_ offsets: Set<UInt64>, in library: String) -> [UInt64: CodeSite] {
        guard let tool = toolchain.symbolizer, !offsets.isEmpty else { return [:] }
        let ordered = offsets.sorted()
        let input = ordered.map { "0x" + String($0 > 0 ? $0 - 1 : 0, radix: 16) }.joined(separator: "\n") + "\n"
        guard let result = try? Subprocess.run(tool, ["--obj=\(library)", "--no-inlines", "--functions=short"], input: input),
              result.status == 0 else { return [:] }
        // Each address answers with "function\nfile:line:column\n" and a blank line.
        let blocks = result.stdout.components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init) }
            .filter { !$0.isEmpty }
        var sites: [UInt64: CodeSite] = [:]
        for (offset, block) in zip(ordered, blocks) where block.count >= 2 {
            // A definition the builder renamed (gt_real_mappages) is the kernel's own function.
            var function = block[0]
            if function.hasPrefix("gt_real_") { function.removeFirst("gt_real_".count) }
            let parts = block[1].split(separator: ":")
            var file = block[1]
            var line = 0
            if parts.count >= 3, let l = Int(parts[parts.count - 2]) {
                line = l
                file = parts.dropLast(2).joined(separator: ":")
            }
            sites[offset] = CodeSite(function: function, file: file, line: line)
        }
        return sites
    }
}
