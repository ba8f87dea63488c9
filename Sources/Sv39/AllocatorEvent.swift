/// One entry of the allocator's trace. `site` is the label the caller passed (the kernel
/// function that called `kalloc`/`kfree`), so a trace reads like a log of the C calls.
public struct AllocatorEvent: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Action: String, Hashable, Sendable, Codable {
        /// `kalloc` returned `address`.
        case acquire
        /// `kfree(address)` put the frame back.
        case release
        /// `kalloc` returned 0 because the fault plan said so.
        case injectedFailure
        /// `kalloc` returned 0 because no frame was free.
        case exhausted
        /// `kfree(address)` was refused (see the allocator's `errors`).
        case rejectedFree
    }

    public var action: Action
    public var address: PhysicalAddress?
    public var site: String

    public init(action: Action, address: PhysicalAddress?, site: String) {
        self.action = action
        self.address = address
        self.site = site
    }

    public var description: String {
        "\(action.rawValue) \(address.map(\.description) ?? "-") at \(site)"
    }
}
