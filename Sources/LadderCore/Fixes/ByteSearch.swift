/// Substring search over UTF-8 bytes, for ASCII patterns in C text. With Foundation
/// imported, `String.contains(_:)` is Foundation's, which bridges both strings to `NSString`
/// (thousands of instructions a call), and the standard library's generic
/// `Collection.contains(_:)` over `utf8` was slower still.
package enum ByteSearch {
    package static func contains(_ text: UnsafeBufferPointer<UInt8>, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = part.first else { return true }
        guard text.count >= part.count else { return false }
        var at = 0
        let last = text.count - part.count
        while at <= last {
            if text[at] == first {
                var i = 1
                while i < part.count, text[at + i] == part[i] { i += 1 }
                if i == part.count { return true }
            }
            at += 1
        }
        return false
    }

    package static func contains(_ text: UnsafeBufferPointer<UInt8>, _ part: [UInt8]) -> Bool {
        part.withUnsafeBufferPointer { contains(text, $0) }
    }

    static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        text.count >= prefix.count && prefix.indices.allSatisfy { text[$0] == prefix[$0] }
    }

    static func hasSuffix(_ text: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        text.count >= suffix.count && suffix.indices.allSatisfy { text[text.count - suffix.count + $0] == suffix[$0] }
    }
}

extension String {
    /// Whether `part` occurs in the string, compared byte by byte (`ByteSearch`): the same
    /// answer as Foundation's `contains(_:)` for the non-empty ASCII patterns ladder looks
    /// for. An empty pattern is contained (Foundation says it is not).
    public func containsBytes(_ part: String) -> Bool {
        var text = self
        var part = part
        return text.withUTF8 { text in part.withUTF8 { ByteSearch.contains(text, $0) } }
    }
}
