import Foundation

/// The line each element of a top-level JSON array starts on, so a message about entry N
/// of a compilation database can point at it. Foundation's parser keeps no positions.
enum JSONElementLines {
    /// 1-based lines, one per element, for text already known to be a valid JSON array.
    static func lines(in data: Data) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectingElement = false
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            for byte in bytes {
                if byte == UInt8(ascii: "\n") { line += 1 }
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ":"):
                    continue
                case UInt8(ascii: ","):
                    if depth == 1 { expectingElement = true }
                    continue
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    continue
                default:
                    break
                }
                if depth == 1 && expectingElement {
                    lines.append(line)
                    expectingElement = false
                }
                switch byte {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth == 1 { expectingElement = true }
                case UInt8(ascii: "\""):
                    inString = true
                default:
                    break
                }
            }
        }
        return lines
    }
}
