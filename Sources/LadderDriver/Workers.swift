import Dispatch
import LadderClang
import Synchronization

/// Work spread over threads with large stacks. Each worker makes its state once (a libclang index) and takes
/// the next unclaimed index until none is left, so one slow file does not hold up the
/// files dealt to the same worker, as a fixed split would.
public enum Workers {
    /// `body` for each of `0..<count`, on up to `workers` threads. Results are in index
    /// order; an index is nil when `cancellation` stopped the run before it was started.
    public static func map<State, T: Sendable>(
        count: Int, workers: Int, cancellation: Cancellation = .never,
        makeState: @Sendable () -> State, _ body: @Sendable (inout State, Int) -> T
    ) -> [T?] {
        let results = Mutex([T?](repeating: nil, count: count))
        let next = Atomic<Int>(0)
        let threads = min(max(1, workers), max(1, count))
        // Threads of our own rather than Dispatch's (512 KB stacks): lowering and analysis
        // recurse with the code's nesting (see `LargeStack`).
        LargeStack.runAll(threads) { _ in
            var state = makeState()
            while !cancellation.isCancelled {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let result = body(&state, index)
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0 }
    }
}
