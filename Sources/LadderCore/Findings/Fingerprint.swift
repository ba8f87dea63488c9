/// Line-independent identity of a finding, so baselines survive edits above a function.
public enum Fingerprint {
    public static func make(function: String, rule: RuleID, kind: String?, acquiredBy: String?,
                            handle: String?, extra: String? = nil) -> String {
        let parts = [function, rule.rawValue, kind ?? "", acquiredBy ?? "", normalise(handle ?? ""), extra ?? ""]
        return hex(fnv1a64(parts.joined(separator: "\u{1f}")))
    }

    /// Whitespace and redundant parentheses do not change a handle's identity.
    static func normalise(_ handle: String) -> String {
        String(handle.filter { !$0.isWhitespace && $0 != "(" && $0 != ")" })
    }

    static func fnv1a64(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
