import Foundation
import LadderLSP
import Testing

@Suite struct FramingTests {
    static func frame(_ body: String, extraHeader: String = "") -> [UInt8] {
        Array("Content-Length: \(body.utf8.count)\r\n\(extraHeader)\r\n\(body)".utf8)
    }

    @Test("frames split across reads, with a Content-Type header and a non-ASCII body, come out whole", arguments: [1, 3, 4096])
    func splitFrames(chunk: Int) throws {
        let first = #"{"jsonrpc":"2.0","method":"initialized","params":{}}"#
        let second = #"{"jsonrpc":"2.0","id":1,"method":"x","params":{"t":"héllo"}}"#
        var reader = MessageReader(bytes: Self.frame(first) + Self.frame(second, extraHeader: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"),
                                   chunkSize: chunk)
        #expect(try reader.next() == Data(first.utf8))
        let message = try JSON.parse(try #require(try reader.next()))
        #expect(message["params"]?["t"]?.string == "héllo")
        #expect(try reader.next() == nil)
    }

    @Test("a header without Content-Length is an error, not a guess")
    func missingLength() {
        var reader = MessageReader(bytes: Array("Content-Type: x\r\n\r\n{}".utf8))
        #expect(throws: FramingError.self) { try reader.next() }
    }

    @Test("a stream that ends inside a body is reported as truncated")
    func truncated() {
        var reader = MessageReader(bytes: Array("Content-Length: 10\r\n\r\n{}".utf8))
        #expect(throws: FramingError.truncated(expected: 10, got: 2)) { try reader.next() }
    }

    @Test("the writer frames with the body's byte count")
    func writer() throws {
        let sink = Sink()
        MessageWriter(sink: sink.append).send(["m": "é"])
        let text = String(decoding: sink.data, as: UTF8.self)
        #expect(text == "Content-Length: 10\r\n\r\n{\"m\":\"é\"}")
    }
}

final class Sink: Sendable {
    private let storage = Mutex2<Data>(Data())
    var data: Data { storage.get() }
    @Sendable func append(_ d: Data) { storage.mutate { $0.append(d) } }
}

import Synchronization

final class Mutex2<Value: Sendable>: Sendable {
    private let m: Mutex<Value>
    init(_ v: Value) { m = Mutex(v) }
    func get() -> Value { m.withLock { $0 } }
    func mutate(_ f: (inout Value) -> Void) { m.withLock { f(&$0) } }
}
