import LadderCore
import Synchronization

/// Functions decoded from the cache's IR once per run and kept for the passes after, up to a
/// byte budget of their encoding. Phase 2 walks a function again in each pass over a cycle of
/// calls whose summaries still change, and in the second round for the walks the first put
/// off; when every function was walked again in every Jacobi round, perf put 15% of a cold
/// lint of real xv6-riscv in decoding its IR again for each walk, and keeping the decoded
/// functions took 8% off that lint in-process (docs/performance.md). Past the budget a
/// function is decoded for each walk, so a kernel-sized database does not hold all of its IR
/// in memory.
final class DecodedFunctions: Sendable {
    /// A unit by its cache key (one file may be two units, compiled two ways), and a
    /// function by its place in the unit.
    struct Key: Hashable {
        var unit: Digest
        var index: Int
    }

    private let kept = Mutex<(functions: [Key: Function], bytes: Int)>(([:], 0))
    let budget: Int

    init(budget: Int = 128 << 20) {
        self.budget = budget
    }

    /// The function at `key`, decoded by `decode` unless kept from an earlier walk;
    /// `length` is its encoding's size, counted against the budget.
    func function(_ key: Key, length: Int, decode: () -> Function?) -> Function? {
        if let known = kept.withLock({ $0.functions[key] }) { return known }
        guard let function = decode() else { return nil }
        kept.withLock { kept in
            guard kept.functions[key] == nil, kept.bytes + length <= budget else { return }
            kept.functions[key] = function
            kept.bytes += length
        }
        return function
    }
}
