import Foundation
import LadderCore
@testable import LadderDriver
import Testing

/// `BinaryCoding` encodes any `Codable` value: the rare annotations of a function's IR
/// (`IRBinary`'s extras) go through it.
@Suite struct BinaryCodingTests {
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
}
