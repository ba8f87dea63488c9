/// Applies edits to a file's bytes: all of them, or none when two overlap or one lies outside.
public enum EditApplication {
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8]? {
        // Identical edits from two findings' fixes are one edit.
        var unique: [TextEdit] = []
        for e in edits where !unique.contains(e) { unique.append(e) }
        let ordered = unique.sorted { ($0.start.offset, $0.end.offset) < ($1.start.offset, $1.end.offset) }
        for (a, b) in zip(ordered, ordered.dropFirst()) where a.conflicts(with: b) || a.end.offset > b.start.offset { return nil }
        guard ordered.allSatisfy({ $0.end.offset <= bytes.count }) else { return nil }
        var result = bytes
        for e in ordered.reversed() {
            result.replaceSubrange(e.start.offset..<e.end.offset, with: Array(e.replacement.utf8))
        }
        return result
    }
}
