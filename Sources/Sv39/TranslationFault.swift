/// A translation that did not produce a physical address: the exception the hardware raises
/// (with its `scause` code) and the rule that raised it. `stval` would hold `address`.
public struct TranslationFault: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var cause: TrapCause
    public var reason: FaultReason
    public var address: VirtualAddress

    public init(cause: TrapCause, reason: FaultReason, address: VirtualAddress) {
        self.cause = cause
        self.reason = reason
        self.address = address
    }

    static func page(_ reason: FaultReason, _ access: AccessType, _ address: VirtualAddress) -> TranslationFault {
        TranslationFault(cause: .pageFault(for: access), reason: reason, address: address)
    }

    static func access(_ reason: FaultReason, _ access: AccessType, _ address: VirtualAddress) -> TranslationFault {
        TranslationFault(cause: .accessFault(for: access), reason: reason, address: address)
    }

    public var description: String { "\(cause) at \(address): \(reason) [\(reason.specRule)]" }
}
