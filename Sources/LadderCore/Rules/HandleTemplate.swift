/// A text with holes filled from a call: `{ret}` is where the result went, `{N}` is
/// argument N, `{N/PGSIZE}` divides a constant argument by a named constant (written with
/// its value in the pack as `{N/4096:PGSIZE}`). The release calls a fix inserts
/// (`uvmunmap({0}, {1}, {2/4096:PGSIZE}, 0)`); handles are `PathTemplate`s.
public struct HandleTemplate: Sendable, Hashable, Codable, CustomStringConvertible {
    public var text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }

    /// The argument index or `ret` of the hole, when the template is exactly one hole.
    public var single: Hole? {
        guard text.hasPrefix("{"), text.hasSuffix("}"), text.dropFirst().dropLast().allSatisfy({ $0 != "{" && $0 != "}" }) else { return nil }
        return Hole(String(text.dropFirst().dropLast()))
    }

    public enum Hole: Sendable, Hashable {
        case result
        case argument(Int, divisor: Int64?, divisorName: String?)

        /// Nil for anything else, `{}`, `{-1}`, `{1/}` and `{1/0}` included: a pack's
        /// template is checked against what this accepts (`RulePackLoader.template`).
        init?(_ inner: String) {
            if inner == "ret" { self = .result; return }
            let parts = inner.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first, let index = Int(first), index >= 0 else { return nil }
            if parts.count == 2 {
                let divisor = parts[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                // A positive divisor only: `Int64.min / -1` traps, and `/0` divides nothing.
                guard let value = Int64(divisor[0]), value > 0 else { return nil }
                let name = divisor.count == 2 ? String(divisor[1]) : nil
                guard name?.isEmpty != true else { return nil }
                self = .argument(index, divisor: value, divisorName: name)
            } else {
                self = .argument(index, divisor: nil, divisorName: nil)
            }
        }
    }

    /// Every argument index the template mentions.
    public var holes: [Hole] {
        var result: [Hole] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        while let open = utf8[start...].firstIndex(of: Self.open), let close = utf8[open...].firstIndex(of: Self.close) {
            if let hole = Hole(String(text[utf8.index(after: open)..<close])) { result.append(hole) }
            start = utf8.index(after: close)
        }
        return result
    }

    /// The braces are ASCII, so the holes are found byte by byte: walking the text as
    /// characters (grapheme clusters) was most of filling it, once per acquisition walked.
    private static let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")

    /// Fills the holes; `render` turns an expression into the text wanted (its key for
    /// matching, its source text for fixes). Nil when a hole has nothing to fill it.
    public func fill(result: Expr?, arguments: [Expr], render: (Expr) -> String) -> String? {
        var out = ""
        let utf8 = text.utf8
        var start = utf8.startIndex
        while let open = utf8[start...].firstIndex(of: Self.open) {
            out += text[start..<open]
            guard let close = utf8[open...].firstIndex(of: Self.close),
                  let hole = Hole(String(text[utf8.index(after: open)..<close])) else { return nil }
            switch hole {
            case .result:
                guard let result else { return nil }
                out += render(result)
            case .argument(let i, let divisor, let name):
                guard i < arguments.count else { return nil }
                let arg = arguments[i]
                if let divisor {
                    if let v = arg.constantValue, divisor != 0 { out += String(v / divisor) }
                    else { out += render(arg) + "/" + (name ?? String(divisor)) }
                } else {
                    out += render(arg)
                }
            }
            start = utf8.index(after: close)
        }
        return out + text[start...]
    }

    /// `*&x` folded to `x` anywhere in a filled text (`release_firmware(*{0})` with `&fw`).
    public static func foldingAddressOfDeref(_ text: String) -> String {
        // Byte by byte over ASCII text: every acquisition asks, almost always of text without
        // `*&`, and Foundation's substring search was a hundredth of the walk. Removing one
        // `*&` can make another (`**&&`); cancelling each `&` against a `*` just before it,
        // as a stack, removes what removing them one at a time does.
        let folded: String?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let star = UInt8(ascii: "*"), amp = UInt8(ascii: "&")
            guard bytes.indices.dropFirst().contains(where: { bytes[$0 - 1] == star && bytes[$0] == amp }) else { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            for byte in bytes {
                if byte == amp, out.last == star { out.removeLast() } else { out.append(byte) }
            }
            return String(decoding: out, as: UTF8.self)
        }
        if let folded = folded ?? nil { return folded }
        var out = text
        while let range = out.range(of: "*&") { out.removeSubrange(range) }
        return out
    }
}
