/// What can go wrong touching physical memory. The MMU turns `outOfRange` into an access
/// fault; other callers treat it as a bug in the caller.
public enum PhysicalMemoryError: Error, Hashable, Sendable, Codable {
    /// The size is zero or not a whole number of pages.
    case invalidSize(UInt64)
    /// The host would not give us the buffer.
    case hostAllocationFailed(UInt64)
    /// Some byte of `[address, address + length)` is not in memory.
    case outOfRange(PhysicalAddress, length: UInt64)
    /// A PTE or 64-bit word read at an address that is not 8-byte aligned.
    case misaligned(PhysicalAddress)
}
