/// Loads and stores through the MMU: each page the range touches is translated for the
/// access, then the bytes move to or from physical memory. A page that translates to an
/// address outside memory raises the access fault the hardware would.
extension MMU {
    /// Reads `count` bytes at `address`, as a sequence of loads (or fetches) would.
    public func read(_ address: VirtualAddress, count: Int, access: AccessType = .load,
                     in context: TranslationContext) throws(TranslationFault) -> [UInt8]
    {
        precondition(access != .store, "a read is a load or a fetch")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        try forEachPiece(of: address, count: count, access: access, in: context) {
            (physical, virtualStart, pieceRange) throws(TranslationFault) in
            guard let piece = try? memory.read(at: physical, count: pieceRange.count) else {
                throw .access(.noMemoryAt(physical), access, virtualStart)
            }
            bytes += piece
        }
        return bytes
    }

    /// Writes `bytes` at `address`, as a sequence of stores would.
    public func write(_ bytes: [UInt8], to address: VirtualAddress, in context: TranslationContext)
        throws(TranslationFault)
    {
        try forEachPiece(of: address, count: bytes.count, access: .store, in: context) {
            (physical, virtualStart, pieceRange) throws(TranslationFault) in
            guard (try? memory.write(Array(bytes[pieceRange]), at: physical)) != nil else {
                throw .access(.noMemoryAt(physical), .store, virtualStart)
            }
        }
    }

    /// Splits `[address, address + count)` at page boundaries and translates each piece;
    /// `body` gets the piece's physical start, virtual start and its range in the buffer.
    private func forEachPiece(
        of address: VirtualAddress, count: Int, access: AccessType, in context: TranslationContext,
        _ body: (PhysicalAddress, VirtualAddress, Range<Int>) throws(TranslationFault) -> Void
    ) throws(TranslationFault) {
        var done = 0
        while done < count {
            let current = VirtualAddress(address.rawValue &+ UInt64(done))
            let roomInPage = Int(Sv39.pageSize - current.pageOffset)
            let length = min(roomInPage, count - done)
            let translation = try translate(current, for: access, in: context)
            try body(translation.physicalAddress, current, done..<(done + length))
            done += length
        }
    }
}
