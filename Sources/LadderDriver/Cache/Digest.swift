/// A SHA-256 digest: what the cache knows a file's contents, a unit's flags or a summary by.
/// Content, not modification times: a checkout, a `touch` or a copy between CI machines
/// changes times and leaves contents, and the other way round for an edit within one tick.
public struct Digest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let hex: String

    init(hex: String) { self.hex = hex }

    public var description: String { hex }

    public static func < (a: Digest, b: Digest) -> Bool { a.hex < b.hex }

    public static func of(_ bytes: some Sequence<UInt8>) -> Digest {
        var sha = SHA256()
        sha.update(bytes)
        return sha.finish()
    }

    public static func of(_ text: String) -> Digest { of(text.utf8) }
}

/// Builds a digest from fields: each is length-prefixed, so `["ab", "c"]` and `["a", "bc"]`
/// differ.
struct DigestBuilder {
    /// The fields' bytes, hashed in one pass by `finish`: fed to the hash one short field at a
    /// time, each went through its partial-block buffer byte by byte. The same bytes, so the
    /// same digest.
    private var bytes: [UInt8] = []

    mutating func add(_ text: String) {
        add(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    mutating func add(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ digest: Digest) { add(digest.hex) }

    mutating func add(_ texts: [String]) {
        add(UInt64(texts.count))
        for text in texts { add(text) }
    }

    func finish() -> Digest { Digest.of(bytes) }
}

/// FIPS 180-4 SHA-256. No cryptographic library ships with the Linux toolchain, and a cache
/// key wants collisions to be out of the question rather than merely rare.
struct SHA256 {
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    mutating func update(_ bytes: some Sequence<UInt8>) {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) { return done }
        for byte in bytes {
            pending.append(byte)
            if pending.count == 64 {
                compress(pending)
                pending.removeAll(keepingCapacity: true)
            }
            length &+= 1
        }
    }

    /// Whole blocks straight from the buffer: file contents are most of what is hashed.
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        if !pending.isEmpty {
            while offset < buffer.count && pending.count < 64 { pending.append(buffer[offset]); offset += 1 }
            if pending.count == 64 { compress(pending); pending.removeAll(keepingCapacity: true) }
        }
        while buffer.count - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 64]))
            offset += 64
        }
        while offset < buffer.count { pending.append(buffer[offset]); offset += 1 }
        length &+= UInt64(buffer.count)
    }

    func finish() -> Digest {
        var copy = self
        let bits = length &* 8
        var tail = pending + [0x80]
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        for start in stride(from: 0, to: tail.count, by: 64) { copy.compress(Array(tail[start..<start + 64])) }
        // As bytes, then one string: appending `Character`s one by one cost more than the hash.
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for word in copy.state {
            for shift in stride(from: 28, through: 0, by: -4) { hex.append(digits[Int((word >> UInt32(shift)) & 0xf)]) }
        }
        return Digest(hex: String(decoding: hex, as: UTF8.self))
    }

    private mutating func compress(_ block: [UInt8]) {
        block.withUnsafeBytes { compress($0) }
    }

    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { compress(block, schedule: $0) }
    }

    /// On locals and unchecked buffers: the state array and the round constants read through
    /// their accessors (a uniqueness check per write, a bounds check per read) took twice the
    /// instructions, and digests of IR, summaries and inputs are a few percent of a lint.
    private mutating func compress(_ block: UnsafeRawBufferPointer, schedule w: UnsafeMutableBufferPointer<UInt32>) {
        precondition(block.count >= 64 && w.count >= 64)
        for i in 0..<16 {
            let b = 4 &* i
            w[i] = UInt32(block[b]) &<< 24 | UInt32(block[b &+ 1]) &<< 16 | UInt32(block[b &+ 2]) &<< 8 | UInt32(block[b &+ 3])
        }
        for i in 16..<64 {
            let x = w[i &- 15], y = w[i &- 2]
            let s0 = x.rotatedRight(7) ^ x.rotatedRight(18) ^ (x &>> 3)
            let s1 = y.rotatedRight(17) ^ y.rotatedRight(19) ^ (y &>> 10)
            w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
        }
        state.withUnsafeMutableBufferPointer { state in
            Self.k.withUnsafeBufferPointer { k in
                var a = state[0], b = state[1], c = state[2], d = state[3]
                var e = state[4], f = state[5], g = state[6], h = state[7]
                for i in 0..<64 {
                    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let choice = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ choice &+ k[i] &+ w[i]
                    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ majority
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
                state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
                state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
            }
        }
    }
}

extension UInt32 {
    /// Masking shifts: the same result for 0 < n < 32, without the checks a debug build
    /// (which the test suite's binary is) spends most of a hash on.
    @inline(__always)
    fileprivate func rotatedRight(_ n: UInt32) -> UInt32 { (self &>> n) | (self &<< (32 &- n)) }
}
