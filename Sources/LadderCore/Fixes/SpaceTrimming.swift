import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` for C text, without Foundation's trip through
    /// `NSString`: fixes trim every call they place and every line of a file they measure,
    /// and that trip was a fifth of building a fix. Spaces and tabs are trimmed byte by byte;
    /// an edge that is not ASCII (a no-break space, never in C code) falls back to Foundation.
    var trimmingSpaces: String {
        let text = Substring(self)
        let bytes = text.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        while start < end, isSpace(bytes[start]) { start = bytes.index(after: start) }
        while start < end, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        if start < end, bytes[start] >= 0x80 || bytes[bytes.index(before: end)] >= 0x80 {
            return trimmingCharacters(in: .whitespaces)
        }
        return String(text[start..<end])
    }
}
