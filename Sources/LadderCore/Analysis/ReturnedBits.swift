/// Flag bits an allocating function leaves known in the object it returns, read by its
/// callers together with the acquisition (`FunctionSummary.returnsBits`).
///
/// `ice_find_dummy_packet()` returns either an entry of a static table or a copy that
/// `ice_dummy_packet_add_vlan()` allocated and marked `profile->match |= ICE_PKT_KMALLOC`;
/// the caller's shared exit frees the profile exactly when that bit is set. The summary says
/// the function acquires what it returns (it cannot tell the table entry from the copy), so
/// without the bit every path through the exit's "not marked" arm held the copy and leaked
/// it. With it, a caller holding what the call acquired knows the bit set, and the arm that
/// skips the free is no path for it; the table entry, which the caller does not hold, needs no
/// free on either arm.
///
/// Read off the walked paths: the bit's fact at every success exit that returns the
/// acquisition, the same at all of them (a bit set on one such exit and not another is no
/// summary). The fact is given to the caller at the call, with the acquisition: on the
/// failure arm (`IS_ERR(profile)`) the pointer is an error code whose flags nothing reads.
public struct ReturnedBits: Sendable, Hashable, Codable {
    /// The word, from the result (`{ret}->match`).
    public var word: PathTemplate
    public var mask: Int64
    /// `word & mask` at those exits.
    public var value: Int64

    public init(word: PathTemplate, mask: Int64, value: Int64) {
        self.word = word
        self.mask = mask
        self.value = value
    }

    /// What the exits returning the acquisition agree on, from each exit's known bits of the
    /// returned object.
    static func derive(_ exits: [FunctionAnalysis.ExitRecord], returned key: AccessPath) -> [ReturnedBits] {
        var common: Set<ReturnedBits>?
        for exit in exits {
            var here: Set<ReturnedBits> = []
            for (bitKey, value) in exit.returnedBits {
                guard let (word, mask) = BitFlags.split(bitKey), word.rootPath == key else { continue }
                here.insert(ReturnedBits(word: PathTemplate(handle: word, returned: key), mask: mask, value: value))
            }
            common = common.map { $0.intersection(here) } ?? here
        }
        return (common ?? []).sorted { ($0.mask, "\($0.word)") < ($1.mask, "\($1.word)") }
    }
}

extension Transfer {
    /// The exit's known bits of the object it returns (`returnedKeys`), checked facts only.
    func returnedBits(_ value: Expr?, in state: PathState) -> [AccessPath: Int64] {
        guard let value, !bits.returned.isEmpty else { return [:] }
        var known: [AccessPath: Int64] = [:]
        for key in bits.returned {
            guard let (word, _) = BitFlags.split(key), word.rootPath == value.path,
                  let fact = state.facts[key], !fact.assumed, let exact = fact.exact else { continue }
            known[key] = exact
        }
        return known
    }

    /// `profile = find_profile(…)`, acquired by its summary: the bits the summary says the
    /// returned object has, under the masks the function tests of the word too.
    func takeReturnedBits(_ callee: String, call: Call, in state: inout PathState) {
        guard call.result != nil, let returned = calls.summaries[callee]?.returnsBits, !returned.isEmpty else { return }
        for bits in returned {
            guard let word = bits.word.path(result: call.result, arguments: call.arguments) else { continue }
            state.facts[BitFlags.key(word, bits.mask)] = .constant(bits.value)
            for tested in self.bits.masks[word] ?? [] where tested != bits.mask && tested & ~bits.mask == 0 {
                state.facts[BitFlags.key(word, tested)] = .constant(bits.value & tested)
            }
        }
    }
}
