/// The Sv39 page-table walker: the "Virtual Address Translation Process" of §4.3.2 with
/// LEVELS = 3 and PTESIZE = 8 (§4.4.1), reading every PTE from physical memory.
///
/// The model implements neither Svnapot nor Svpbmt, so PTE bits 63–54 are all reserved, and
/// it has no PMP: the only PMA is "there is memory here".
public struct MMU {
    public let memory: PhysicalMemory
    public var accessedDirtyPolicy: AccessedDirtyPolicy

    public init(memory: PhysicalMemory, accessedDirtyPolicy: AccessedDirtyPolicy = .svadu) {
        self.memory = memory
        self.accessedDirtyPolicy = accessedDirtyPolicy
    }

    /// Translates `address` for `access` in `context`, or throws the fault the hardware
    /// raises. Under Svadu a successful walk writes the A (and D) bit back to the leaf.
    public func translate(_ address: VirtualAddress, for access: AccessType, in context: TranslationContext)
        throws(TranslationFault) -> Translation
    {
        // §4.4.1: bits 63–39 must equal bit 38, "or else a page-fault exception will occur".
        guard address.isCanonical else { throw .page(.nonCanonicalAddress, access, address) }

        // Step 1: a = satp.ppn × PAGESIZE, i = LEVELS − 1.
        var table = context.satp.root
        var level = Sv39.levels - 1
        while true {
            // Step 2: pte = the PTE at a + va.vpn[i] × PTESIZE; a failed PMA check on that
            // read is an access fault.
            let entryAddress = table.advanced(by: address.vpn(level) * Sv39.pteSize)
            guard let entry = try? memory.loadPTE(at: entryAddress) else {
                throw .access(.noMemoryForEntry(entryAddress), access, address)
            }

            // Step 3: V = 0, or R = 0 with W = 1, or a reserved bit set, is a page fault.
            guard entry.isValid else { throw .page(.invalidEntry(level: level), access, address) }
            if entry.flags.contains(.writable) && !entry.flags.contains(.readable) {
                throw .page(.writableWithoutReadable(level: level), access, address)
            }
            if entry.upperBits != 0 {
                throw .page(.reservedUpperBits(level: level, bits: entry.upperBits), access, address)
            }

            // Step 4: R or X set means a leaf; otherwise descend.
            if entry.isLeaf {
                return try completeLeaf(entry, at: entryAddress, level: level, address: address,
                                        access: access, context: context)
            }
            // D, A and U are reserved in a non-leaf PTE (§4.3.1), so step 3 rejects them.
            let reserved = entry.flags.intersection(.reservedInNonLeaf)
            guard reserved.isEmpty else {
                throw .page(.reservedFlagsInNonLeaf(level: level, flags: reserved), access, address)
            }
            level -= 1
            guard level >= 0 else { throw .page(.pointerAtLevelZero, access, address) }
            table = entry.physicalAddress
        }
    }

    /// Steps 5–8, once a leaf has been found at `level`.
    private func completeLeaf(
        _ entry: PageTableEntry, at entryAddress: PhysicalAddress, level: Int,
        address: VirtualAddress, access: AccessType, context: TranslationContext
    ) throws(TranslationFault) -> Translation {
        // Step 5: the R/W/X/U bits, the mode, SUM and MXR decide.
        guard LeafPermission.allows(entry.flags, access: access, context: context) else {
            throw .page(.permissionDenied(level: level, flags: entry.flags), access, address)
        }

        // Step 6: a superpage's lower PPN fields must be zero.
        if (0..<level).contains(where: { entry.ppn($0) != 0 }) {
            throw .page(.misalignedSuperpage(level: level), access, address)
        }

        // Step 7: A = 0, or a store with D = 0: fault (Svade) or set the bits (Svadu).
        var leaf = entry
        let needsAccessed = !leaf.flags.contains(.accessed)
        let needsDirty = access == .store && !leaf.flags.contains(.dirty)
        if needsAccessed || needsDirty {
            switch accessedDirtyPolicy {
            case .svade:
                let reason: FaultReason = needsAccessed ? .accessedBitClear(level: level) : .dirtyBitClear(level: level)
                throw .page(reason, access, address)
            case .svadu:
                leaf.flags.insert(.accessed)
                if access == .store { leaf.flags.insert(.dirty) }
                // Single hart, so the compare-and-swap of step 7 always succeeds.
                guard (try? memory.storePTE(leaf, at: entryAddress)) != nil else {
                    throw .access(.noMemoryForEntry(entryAddress), access, address)
                }
            }
        }

        // Step 8: pa.pgoff = va.pgoff; below the leaf's level the VPN fields pass through
        // (a superpage); from its level up the PTE's PPN fields are used.
        let passThroughBits = Sv39.vpnBits * UInt64(level)
        let passThroughMask: UInt64 = (1 << passThroughBits) - 1
        let virtualPageNumber = address.rawValue >> Sv39.pageShift
        let ppn = (leaf.ppn & ~passThroughMask) | (virtualPageNumber & passThroughMask)
        return Translation(
            physicalAddress: PhysicalAddress(ppn: ppn, offset: address.pageOffset),
            level: level, leaf: leaf, leafAddress: entryAddress)
    }
}
