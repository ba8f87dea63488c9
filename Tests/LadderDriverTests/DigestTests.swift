import Foundation
import LadderCore
@testable import LadderDriver
import Testing

/// The cache's identities: SHA-256 against FIPS 180-4's examples, and the digests of values
/// that must not depend on the process (Swift's `Hasher` is seeded per process).
@Suite struct DigestTests {
    @Test("SHA-256 of the standard examples")
    func vectors() {
        #expect(Digest.of("").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Digest.of([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("bytes fed in pieces of any size give the digest of the whole")
    func pieces() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        for split in [1, 63, 64, 65, 500] {
            var sha = SHA256()
            bytes.prefix(split).withUnsafeBytes { sha.update($0) }
            sha.update(Array(bytes.dropFirst(split)))
            #expect(sha.finish() == Digest.of(bytes), "split at \(split)")
        }
    }

    @Test("a rule pack's digest is fixed by its contents, not by set or dictionary order")
    func packs() throws {
        let xv6 = try BuiltinPacks.load("xv6")
        #expect(StableDigest.of(xv6) == StableDigest.of(try BuiltinPacks.load("xv6")))
        var reordered = xv6
        reordered.noReturn = Set(xv6.noReturn.sorted().reversed())
        reordered.acquires = Dictionary(uniqueKeysWithValues: xv6.acquires.sorted { $0.key > $1.key })
        #expect(StableDigest.of(reordered) == StableDigest.of(xv6))
        var changed = xv6
        changed.noReturn.insert("my_panic")
        #expect(StableDigest.of(changed) != StableDigest.of(xv6))
        #expect(StableDigest.of(try BuiltinPacks.load("linux")) != StableDigest.of(xv6))
    }

    @Test("fields are length-prefixed: two lists with the same concatenation differ")
    func fields() {
        var a = DigestBuilder(), b = DigestBuilder()
        a.add(["ab", "c"])
        b.add(["a", "bc"])
        #expect(a.finish() != b.finish())
    }
}
