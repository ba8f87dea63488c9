import Foundation
import Synchronization

/// Why the message stream could not be read. The stream is the client's standard output:
/// a malformed header cannot be skipped past, so each of these ends the session.
public enum FramingError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingContentLength(header: String)
    case badContentLength(String)
    case truncated(expected: Int, got: Int)
    case readFailed(errno: Int32)

    public var description: String {
        switch self {
        case .missingContentLength(let header): "LSP message header without Content-Length: \(header.debugDescription)"
        case .badContentLength(let value): "LSP Content-Length is not a byte count: \(value.debugDescription)"
        case .truncated(let expected, let got): "the client closed the stream inside a message (\(got) of \(expected) bytes)"
        case .readFailed(let code): "reading the client's messages failed: \(String(cString: strerror(code)))"
        }
    }
}

/// Reads `Content-Length: N\r\n…\r\n\r\n` + N bytes frames, as the base protocol defines.
/// Other headers (`Content-Type`) are accepted and ignored.
public struct MessageReader {
    private let read: (inout [UInt8]) -> Int
    private var buffer: [UInt8] = []
    private var start = 0

    /// Frames from a file descriptor (the server's standard input).
    public init(fileDescriptor fd: Int32) {
        read = { chunk in
            while true {
                let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                return n < 0 ? -Int(errno) - 1 : n
            }
        }
    }

    /// Frames from bytes in memory, delivered in chunks of `chunkSize` (tests: a frame
    /// split across reads).
    public init(bytes: [UInt8], chunkSize: Int = 4096) {
        var offset = 0
        read = { chunk in
            let n = min(chunkSize, chunk.count, bytes.count - offset)
            for i in 0..<n { chunk[i] = bytes[offset + i] }
            offset += n
            return n
        }
    }

    /// The next message body; nil when the stream ends between messages.
    public mutating func next() throws(FramingError) -> Data? {
        var headerEnd: Int?
        while true {
            headerEnd = Self.find([13, 10, 13, 10], in: buffer, from: start)
            if headerEnd != nil { break }
            guard try fill() else {
                if start == buffer.count || buffer[start...].allSatisfy({ $0 == 13 || $0 == 10 }) { return nil }
                throw .missingContentLength(header: String(decoding: buffer[start...], as: UTF8.self))
            }
        }
        let header = String(decoding: buffer[start..<headerEnd!], as: UTF8.self)
        var length: Int?
        for line in header.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            guard let n = Int(value), n >= 0 else { throw .badContentLength(value) }
            length = n
        }
        guard let length else { throw .missingContentLength(header: header) }
        let bodyStart = headerEnd! + 4
        while buffer.count - bodyStart < length {
            guard try fill() else { throw .truncated(expected: length, got: buffer.count - bodyStart) }
        }
        let body = Data(buffer[bodyStart..<(bodyStart + length)])
        start = bodyStart + length
        // Drop what has been consumed once it outweighs what is left.
        if start > 65536 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return body
    }

    private mutating func fill() throws(FramingError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = read(&chunk)
        if n < 0 { throw .readFailed(errno: Int32(-(n + 1))) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// Writes frames. The reader thread answers requests while analyses publish diagnostics
/// from theirs, so each frame is written whole under a lock: two frames never interleave.
public final class MessageWriter: Sendable {
    private let sink: @Sendable (Data) -> Void
    private let lock = Mutex(())

    public init(fileDescriptor fd: Int32) {
        sink = { data in
            data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        // The client has gone; nothing can be said to it any more.
                        return
                    }
                    offset += n
                }
            }
        }
    }

    /// Frames to a closure (tests).
    public init(sink: @escaping @Sendable (Data) -> Void) {
        self.sink = sink
    }

    public func send(_ message: JSON) {
        let body = message.encoded()
        var frame = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
        frame.append(body)
        lock.withLock { _ in sink(frame) }
    }
}
