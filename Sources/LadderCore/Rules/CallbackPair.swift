/// Two fields of an ops table or driver structure whose callbacks undo each other: what the
/// `acquire` field's function takes and keeps, the `release` field's function drops later
/// (`open`/`release`, `probe`/`remove`, `resume`/`suspend`). A pack lists them as data
/// (`callbacks:`); `PairedCallbacks` matches them against the tables a file initialises.
public struct CallbackPair: Sendable, Hashable, Codable {
    /// The field of the callback that takes the resource and keeps it on success.
    public var acquire: String
    /// The field of the callback that drops it.
    public var release: String
    /// The partner runs even when the `acquire` callback fails: a failed system `resume`
    /// leaves the device bound, and `suspend` or `remove` still run, so what resume took
    /// stays theirs to drop. A failed `probe` or `open` is never followed by its partner.
    public var keptOnFailure: Bool

    public init(acquire: String, release: String, keptOnFailure: Bool = false) {
        self.acquire = acquire
        self.release = release
        self.keptOnFailure = keptOnFailure
    }
}
