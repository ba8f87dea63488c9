import Foundation

/// Any `Codable` value as length-prefixed bytes: the rare annotations of a function's IR
/// (`IRBinary`'s extras).
///
/// It was the whole IR's encoding before `IRBinary`: JSON had been a quarter of a cold lint
/// of real xv6-riscv (`JSONEncoder` in the file workers, 50 ms each, and `JSONDecoder` in
/// the driver, 126 ms, more than the path walks). Here a value is
///
///     value   := length:UInt32 payload | 0xFFFF_FFFF          (nil)
///     keyed   := (keyLength:UInt8 key:UTF-8 value)*           payload of a struct or enum
///     unkeyed := value*                                        payload of an array
///     single  := Bool: 1 byte | integer, Double: 8 bytes | Float: 4 bytes | String: UTF-8
///
/// little-endian, so a container's entries are found by skipping, never by parsing what
/// they hold, and nothing is built but the values themselves. Damaged bytes are a thrown
/// `DecodingError`, never a crash: the store reads them as a cache miss.
enum BinaryCoding {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let sink = ByteSink()
        try sink.value(value, depth: 0)
        sink.close(above: -1)
        // No length inside can exceed the whole, and the largest is the nil marker.
        if let failure = sink.failure ?? (sink.bytes.count >= 0xFFFF_FFFF ? "a value of 4 GiB or more" : nil) {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: failure))
        }
        return sink.bytes
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let source = ByteSource(bytes)
        guard let payload = try source.value(at: 0, in: 0..<bytes.count, path: []), payload.upperBound == bytes.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not one encoded value"))
        }
        return try T(from: BinaryDecoder(source: source, payload: payload, codingPath: []))
    }
}

// MARK: - Encoding

/// The key `superEncoder()` writes under, whatever the container's own keys are.
private struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { guard stringValue == "super" else { return nil } }
    init?(intValue: Int) { nil }
}

/// The bytes written so far, and the lengths still to be filled in: a nested container's
/// end is known only when its parent writes again or finishes, so each open one is closed
/// then (`close(above:)`).
private final class ByteSink {
    var bytes: [UInt8] = []
    private var open: [(mark: Int, depth: Int)] = []
    /// The values whose single-value container was given nil (by the mark of their length).
    var nilValues: Set<Int> = []
    /// What cannot be encoded, found where nothing can throw (a container being made).
    var failure: String?

    init() { bytes.reserveCapacity(4096) }

    func reserve() -> Int {
        let mark = bytes.count
        bytes.append(contentsOf: [0, 0, 0, 0])
        return mark
    }

    func patch(_ mark: Int) {
        let length = UInt32(bytes.count - mark - 4)
        bytes[mark] = UInt8(truncatingIfNeeded: length)
        bytes[mark + 1] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[mark + 2] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[mark + 3] = UInt8(truncatingIfNeeded: length >> 24)
    }

    /// A value whose end is known only later (a nested container, a super encoder): its
    /// mark, for a nil its single-value container may be given.
    @discardableResult
    func open(depth: Int) -> Int {
        let mark = reserve()
        open.append((mark, depth))
        return mark
    }

    func close(above depth: Int) {
        while let last = open.last, last.depth > depth {
            finish(last.mark)
            open.removeLast()
        }
    }

    /// The value whose length lies at `mark` is complete: its length is filled in, or, if
    /// its single-value container was given nil, it becomes the nil marker.
    private func finish(_ mark: Int) {
        if nilValues.remove(mark) != nil {
            bytes.removeSubrange(mark...)
            null()
        } else {
            patch(mark)
        }
    }

    func key(_ key: some CodingKey, depth: Int) {
        close(above: depth)
        let text = Array(key.stringValue.utf8)
        guard text.count <= 255 else {
            failure = failure ?? "a key of more than 255 bytes"
            return
        }
        bytes.append(UInt8(text.count))
        bytes.append(contentsOf: text)
    }

    func null() { bytes.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF]) }

    func fixed(_ value: UInt64, count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    func string(_ value: String) {
        var value = value
        value.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A length-prefixed value, as an entry of a container at `depth`.
    func value<T: Encodable>(_ value: T, depth: Int) throws {
        close(above: depth)
        let mark = reserve()
        if let text = value as? String {
            string(text)
        } else {
            try value.encode(to: BinaryEncoder(sink: self, depth: depth + 1, mark: mark))
            close(above: depth)
        }
        finish(mark)
    }

    /// Writes a string or number as its payload; false (nothing written) for anything else.
    func primitive(_ value: some Encodable) -> Bool {
        switch value {
        case let v as Bool: bytes.append(v ? 1 : 0)
        case let v as String: string(v)
        case let v as Double: fixed(v.bitPattern, count: 8)
        case let v as Float: fixed(UInt64(v.bitPattern), count: 4)
        case let v as Int: fixed(UInt64(bitPattern: Int64(v)), count: 8)
        case let v as Int8: fixed(UInt64(bitPattern: Int64(v)), count: 8)
        case let v as Int16: fixed(UInt64(bitPattern: Int64(v)), count: 8)
        case let v as Int32: fixed(UInt64(bitPattern: Int64(v)), count: 8)
        case let v as Int64: fixed(UInt64(bitPattern: v), count: 8)
        case let v as UInt: fixed(UInt64(v), count: 8)
        case let v as UInt8: fixed(UInt64(v), count: 8)
        case let v as UInt16: fixed(UInt64(v), count: 8)
        case let v as UInt32: fixed(UInt64(v), count: 8)
        case let v as UInt64: fixed(v, count: 8)
        default: return false
        }
        return true
    }
}

/// `mark`: where the length of the value being encoded lies, when it has one of its own (a
/// nil given to its single-value container turns it into the nil marker).
private struct BinaryEncoder: Encoder {
    let sink: ByteSink
    let depth: Int
    var mark: Int? = nil
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedSink<Key>(sink: sink, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedSink(sink: sink, depth: depth) }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleSink(sink: sink, depth: depth, mark: mark) }
}

private struct KeyedSink<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: ByteSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        sink.key(key, depth: depth)
        sink.null()
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        sink.key(key, depth: depth)
        try sink.value(value, depth: depth)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        sink.key(key, depth: depth)
        sink.open(depth: depth + 1)
        return KeyedEncodingContainer(KeyedSink<NestedKey>(sink: sink, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        sink.key(key, depth: depth)
        sink.open(depth: depth + 1)
        return UnkeyedSink(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        sink.key(SuperKey(), depth: depth)
        return BinaryEncoder(sink: sink, depth: depth + 1, mark: sink.open(depth: depth + 1))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        sink.key(key, depth: depth)
        return BinaryEncoder(sink: sink, depth: depth + 1, mark: sink.open(depth: depth + 1))
    }
}

private struct UnkeyedSink: UnkeyedEncodingContainer {
    let sink: ByteSink
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count = 0

    init(sink: ByteSink, depth: Int) {
        self.sink = sink
        self.depth = depth
    }

    mutating func encodeNil() throws {
        sink.close(above: depth)
        sink.null()
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try sink.value(value, depth: depth)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        sink.close(above: depth)
        sink.open(depth: depth + 1)
        count += 1
        return KeyedEncodingContainer(KeyedSink<NestedKey>(sink: sink, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.close(above: depth)
        sink.open(depth: depth + 1)
        count += 1
        return UnkeyedSink(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        sink.close(above: depth)
        count += 1
        return BinaryEncoder(sink: sink, depth: depth + 1, mark: sink.open(depth: depth + 1))
    }
}

/// A single value's payload is the enclosing value's: its length is already reserved.
private struct SingleSink: SingleValueEncodingContainer {
    let sink: ByteSink
    let depth: Int
    let mark: Int?
    var codingPath: [any CodingKey] { [] }

    /// An optional's nil: the enclosing value's length becomes the nil marker.
    mutating func encodeNil() throws {
        guard let mark else {
            throw EncodingError.invalidValue(Optional<Int>.none as Any, .init(codingPath: [], debugDescription: "nil in a value with no length of its own"))
        }
        sink.nilValues.insert(mark)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard !sink.primitive(value) else { return }
        try value.encode(to: BinaryEncoder(sink: sink, depth: depth, mark: mark))
    }
}

// MARK: - Decoding

private final class ByteSource {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func corrupt(_ path: [any CodingKey], _ what: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: what))
    }

    func uint32(at i: Int, in range: Range<Int>, path: [any CodingKey]) throws -> UInt32 {
        guard i >= range.lowerBound, i + 4 <= range.upperBound else { throw corrupt(path, "truncated length") }
        return UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
    }

    /// The payload of the value whose length starts at `i`, nil for a nil value.
    func value(at i: Int, in range: Range<Int>, path: [any CodingKey]) throws -> Range<Int>? {
        let length = try uint32(at: i, in: range, path: path)
        if length == 0xFFFF_FFFF { return nil }
        let end = i + 4 + Int(length)
        guard end <= range.upperBound else { throw corrupt(path, "a value runs past its container") }
        return i + 4 ..< end
    }

    /// Where the value starting at `i` ends.
    func end(ofValueAt i: Int, in range: Range<Int>, path: [any CodingKey]) throws -> Int {
        try value(at: i, in: range, path: path)?.upperBound ?? i + 4
    }

    func fixed(_ range: Range<Int>, count: Int, path: [any CodingKey]) throws -> UInt64 {
        guard range.count == count else { throw corrupt(path, "expected \(count) bytes, found \(range.count)") }
        var value: UInt64 = 0
        for i in 0..<count { value |= UInt64(bytes[range.lowerBound + i]) << (8 * UInt64(i)) }
        return value
    }

    func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ range: Range<Int>, path: [any CodingKey]) throws -> T {
        let bits = try fixed(range, count: 8, path: path)
        let value: T? = T.isSigned ? T(exactly: Int64(bitPattern: bits)) : T(exactly: bits)
        guard let value else { throw corrupt(path, "\(bits) does not fit \(T.self)") }
        return value
    }
}

/// `payload` nil: the value is nil (an optional element of an array).
private struct BinaryDecoder: Decoder {
    let source: ByteSource
    let payload: Range<Int>?
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let payload else { throw source.corrupt(codingPath, "nil where a container was expected") }
        return KeyedDecodingContainer(try KeyedSource<Key>(source: source, payload: payload, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let payload else { throw source.corrupt(codingPath, "nil where a container was expected") }
        return try UnkeyedSource(source: source, payload: payload, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleSource(source: source, payload: payload, codingPath: codingPath)
    }
}

private struct KeyedSource<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let source: ByteSource
    let codingPath: [any CodingKey]
    /// Each entry's key bytes and value payload (nil: a nil value), in the order written.
    private var entries: [(key: Range<Int>, value: Range<Int>?)] = []

    init(source: ByteSource, payload: Range<Int>, codingPath: [any CodingKey]) throws {
        self.source = source
        self.codingPath = codingPath
        var i = payload.lowerBound
        while i < payload.upperBound {
            let length = Int(source.bytes[i])
            let key = i + 1 ..< i + 1 + length
            guard key.upperBound <= payload.upperBound else { throw source.corrupt(codingPath, "a key runs past its container") }
            let value = try source.value(at: key.upperBound, in: payload, path: codingPath)
            entries.append((key, value))
            i = value?.upperBound ?? key.upperBound + 4
        }
    }

    var allKeys: [Key] { entries.compactMap { Key(stringValue: source.string($0.key)) } }

    private func find(_ key: some CodingKey) -> Int? {
        var wanted = key.stringValue
        return wanted.withUTF8 { wanted in
            source.bytes.withUnsafeBufferPointer { bytes in
                entries.firstIndex { entry in
                    entry.key.count == wanted.count
                        && (wanted.isEmpty || memcmp(bytes.baseAddress! + entry.key.lowerBound, wanted.baseAddress!, wanted.count) == 0)
                }
            }
        }
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    private func payload(_ key: some CodingKey) throws -> Range<Int>? {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return entries[index].value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try payload(key) == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        // A nil value is an optional's: `T(from:)` asks its single value whether it is nil.
        guard let payload = try payload(key) else { return try T(from: BinaryDecoder(source: source, payload: nil, codingPath: codingPath)) }
        return try BinaryDecoder.value(type, source: source, payload: payload, codingPath: codingPath)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        guard let payload = try payload(key) else { throw source.corrupt(codingPath, "nil where a container was expected") }
        return KeyedDecodingContainer(try KeyedSource<NestedKey>(source: source, payload: payload, codingPath: codingPath))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        guard let payload = try payload(key) else { throw source.corrupt(codingPath, "nil where a container was expected") }
        return try UnkeyedSource(source: source, payload: payload, codingPath: codingPath)
    }

    // A nil payload is a super value whose single-value container was given nil; only its
    // single-value container can read it (a container asked of it throws).
    func superDecoder() throws -> any Decoder {
        BinaryDecoder(source: source, payload: try payload(SuperKey()), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        BinaryDecoder(source: source, payload: try payload(key), codingPath: codingPath)
    }
}

private struct UnkeyedSource: UnkeyedDecodingContainer {
    let source: ByteSource
    let payload: Range<Int>
    let codingPath: [any CodingKey]
    let count: Int?
    var currentIndex = 0
    private var position: Int

    init(source: ByteSource, payload: Range<Int>, codingPath: [any CodingKey]) throws {
        self.source = source
        self.payload = payload
        self.codingPath = codingPath
        position = payload.lowerBound
        var count = 0
        var i = payload.lowerBound
        while i < payload.upperBound {
            i = try source.end(ofValueAt: i, in: payload, path: codingPath)
            count += 1
        }
        self.count = count
    }

    var isAtEnd: Bool { position >= payload.upperBound }

    private mutating func next() throws -> Range<Int>? {
        guard !isAtEnd else { throw source.corrupt(codingPath, "read past the end of an array") }
        let value = try source.value(at: position, in: payload, path: codingPath)
        position = value?.upperBound ?? position + 4
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { throw source.corrupt(codingPath, "read past the end of an array") }
        guard try source.value(at: position, in: payload, path: codingPath) == nil else { return false }
        position += 4
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // A nil element is an optional's: `T(from:)` asks its single value whether it is nil.
        guard let value = try next() else { return try T(from: BinaryDecoder(source: source, payload: nil, codingPath: codingPath)) }
        return try BinaryDecoder.value(type, source: source, payload: value, codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        guard let value = try next() else { throw source.corrupt(codingPath, "nil where a container was expected") }
        return KeyedDecodingContainer(try KeyedSource<NestedKey>(source: source, payload: value, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let value = try next() else { throw source.corrupt(codingPath, "nil where a container was expected") }
        return try UnkeyedSource(source: source, payload: value, codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder {
        BinaryDecoder(source: source, payload: try next(), codingPath: codingPath)
    }
}

private struct SingleSource: SingleValueDecodingContainer {
    let source: ByteSource
    let payload: Range<Int>?
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { payload == nil }

    private func bytes() throws -> Range<Int> {
        guard let payload else { throw source.corrupt(codingPath, "nil where a value was expected") }
        return payload
    }

    func decode(_ type: Bool.Type) throws -> Bool { try source.fixed(try bytes(), count: 1, path: codingPath) != 0 }
    func decode(_ type: String.Type) throws -> String { source.string(try bytes()) }
    func decode(_ type: Double.Type) throws -> Double { Double(bitPattern: try source.fixed(try bytes(), count: 8, path: codingPath)) }
    func decode(_ type: Float.Type) throws -> Float { Float(bitPattern: UInt32(try source.fixed(try bytes(), count: 4, path: codingPath))) }
    func decode(_ type: Int.Type) throws -> Int { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try source.integer(type, try bytes(), path: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try source.integer(type, try bytes(), path: codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // An optional inside a wrapper that was nil: the wrapper's payload is the nil marker.
        guard let payload else { return try T(from: BinaryDecoder(source: source, payload: nil, codingPath: codingPath)) }
        return try BinaryDecoder.value(type, source: source, payload: payload, codingPath: codingPath)
    }
}

extension BinaryDecoder {
    /// A value of `type` from its payload: a string or number read directly, anything else
    /// through its own `init(from:)`.
    static func value<T: Decodable>(_ type: T.Type, source: ByteSource, payload: Range<Int>, codingPath: [any CodingKey]) throws -> T {
        if type == String.self { return source.string(payload) as! T }
        if type == Bool.self { return (try source.fixed(payload, count: 1, path: codingPath) != 0) as! T }
        if type == Int.self { return try source.integer(Int.self, payload, path: codingPath) as! T }
        if type == Int64.self { return try source.integer(Int64.self, payload, path: codingPath) as! T }
        return try T(from: BinaryDecoder(source: source, payload: payload, codingPath: codingPath))
    }
}
