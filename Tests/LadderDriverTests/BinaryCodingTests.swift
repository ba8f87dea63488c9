import Foundation
import LadderClang
import LadderCore
@testable import LadderDriver
import Testing

/// The cache keeps each function's IR in `BinaryCoding`: phase 2 reads back exactly what
/// phase 1 lowered, equal functions are equal bytes (their digest names them), and damaged
/// bytes are an error, never a crash.
@Suite struct BinaryCodingTests {
    /// Every function the bundled kernel and the check fixtures lower to, annotated as phase 1
    /// stores them: every kind of statement, expression and annotation the IR has.
    static let functions: [Function] = {
        let frontend = Frontend()
        let pack = try! RulePackCache().merged(["xv6", "linux"])
        return ["fixtures/xv6", "fixtures/checks"].flatMap { tree in
            SourceSet.cFiles(under: Repository.path(tree)).flatMap { file in
                (try? frontend.load(CompileCommand(file: file)).get().unit.annotated(for: pack).functions) ?? []
            }
        }
    }()

    @Test("every lowered function comes back equal, and encodes to the same bytes twice")
    func roundTrip() throws {
        #expect(Self.functions.count > 500)
        for function in Self.functions {
            let bytes = UnitStore.encodeIR(function)
            #expect(!bytes.isEmpty)
            #expect(try BinaryCoding.decode(Function.self, from: bytes) == function, "\(function.name)")
            #expect(UnitStore.encodeIR(function) == bytes)
        }
    }

    /// An optional encoded through a single-value container of its own.
    struct Wrapped: Codable, Equatable {
        var inner: Int?
        init(_ inner: Int?) { self.inner = inner }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(inner)
        }
        init(from decoder: any Decoder) throws {
            inner = try decoder.singleValueContainer().decode(Int?.self)
        }
    }

    struct Mixed: Codable, Equatable {
        var wrapped: [Wrapped]
        var wrappedNil: Wrapped
        var wrappedSome: Wrapped
        var after: String
        enum Shape: Codable, Equatable { case point, circle(radius: Double), named(String, sides: Int?) }
        var optionals: [Int?]
        var shapes: [Shape]
        var nested: [[String]]
        var missing: String?
        var flags: [Bool]
        var small: [UInt8]
        var text: String
    }

    @Test("optionals in arrays and in wrappers, enums with and without payloads, nesting, empty strings")
    func mixed() throws {
        let value = Mixed(wrapped: [Wrapped(nil), Wrapped(7)], wrappedNil: Wrapped(nil), wrappedSome: Wrapped(-1), after: "kept",
                          optionals: [1, nil, -3, nil], shapes: [.point, .circle(radius: 2.5), .named("", sides: nil), .named("hex", sides: 6)],
                          nested: [[], ["a", "ü"], [""]], missing: nil, flags: [true, false], small: [0, 255], text: "")
        #expect(try BinaryCoding.decode(Mixed.self, from: BinaryCoding.encode(value)) == value)
    }

    @Test("truncated or altered bytes throw; none crashes")
    func damaged() throws {
        let function = try #require(Self.functions.max { $0.blocks.count < $1.blocks.count })
        let bytes = UnitStore.encodeIR(function)
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
            #expect(throws: (any Error).self) { try BinaryCoding.decode(Function.self, from: Array(bytes[..<cut])) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var altered = bytes
            for _ in 0..<3 { altered[Int.random(in: 0..<altered.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            // Either it throws or it decodes to something; what matters is that it returns.
            _ = try? BinaryCoding.decode(Function.self, from: altered)
        }
    }

    /// Encoded through `superEncoder()`, under a key of its own whatever the type's keys are.
    struct Derived: Codable, Equatable {
        var base: Wrapped
        var own: String
        enum CodingKeys: String, CodingKey { case own }
        init(base: Wrapped, own: String) { self.base = base; self.own = own }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            own = try container.decode(String.self, forKey: .own)
            base = try Wrapped(from: container.superDecoder())
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(own, forKey: .own)
            try base.encode(to: container.superEncoder())
        }
    }

    @Test("a value encoded through superEncoder() comes back")
    func superEncoded() throws {
        for value in [Derived(base: Wrapped(3), own: "x"), Derived(base: Wrapped(nil), own: "")] {
            #expect(try BinaryCoding.decode(Derived.self, from: BinaryCoding.encode(value)) == value)
        }
    }

    /// A key longer than the one length byte can say.
    struct LongKey: Encodable {
        struct Key: CodingKey {
            var stringValue: String { String(repeating: "k", count: 300) }
            var intValue: Int? { nil }
            init() {}
            init?(stringValue: String) { nil }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: Key())
        }
    }

    @Test("a key of more than 255 bytes is refused, not cut short")
    func longKeyThrows() {
        #expect(throws: EncodingError.self) { try BinaryCoding.encode(LongKey()) }
    }

    @Test("IR read back from the store must match its record's digest, not only decode")
    func storedIRCheckedAgainstDigest() throws {
        let scratch = try Scratch()
        let store = UnitStore(root: scratch.path("store"), persistent: false, maxBytes: .max)
        let function = try #require(Self.functions.first)
        let bytes = UnitStore.encodeIR(function)
        let key = Digest.of("unit"), blob = Digest.of("blob")
        try FileManager.default.createDirectory(atPath: store.directory(key), withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: store.directory(key) + "/ir-\(blob.hex).bin"))
        var record = FunctionRecord(name: function.name, location: function.location, isStatic: function.isStatic,
                                    ir: Digest.of(bytes), offset: 0, length: bytes.count, callees: [],
                                    noCallerInView: false, local: .unchecked)
        #expect(store.function(record, key: key, ir: blob) == function)
        // The same bytes under a record that names other IR: decodable, but not this function's.
        record.ir = Digest.of(bytes + [0])
        #expect(store.function(record, key: key, ir: blob) == nil)
    }
}
