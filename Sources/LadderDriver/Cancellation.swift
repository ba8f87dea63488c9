import Synchronization

/// Asked between files: once it answers true, no worker starts another file, and the run
/// returns what it has, marked cancelled. A file already being parsed or analysed runs to
/// its end (libclang and the Analyzer have no way to stop midway), so stopping takes up to
/// the time of the slowest file in flight.
public struct Cancellation: Sendable {
    private let check: @Sendable () -> Bool

    public init(_ isCancelled: @escaping @Sendable () -> Bool) {
        check = isCancelled
    }

    public static let never = Cancellation { false }

    public var isCancelled: Bool { check() }
}

/// A cancellation an owner sets: an editor cancels when the buffer changes again.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .releasing) }

    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    public var cancellation: Cancellation { Cancellation { [self] in isCancelled } }
}
