import Sv39

extension Kernel {
    /// xv6's `freewalk`: frees the table rooted at `root` and every interior table below
    /// it. It first looks for a leaf anywhere in the tree; finding one is xv6's
    /// panic("freewalk: leaf"), and then nothing is freed, so the leak shows in the ledger
    /// instead of a mapping's frame being lost silently.
    func freewalk(_ root: PhysicalAddress) {
        enter("freewalk")
        defer { leave() }
        if let leaf = firstLeaf(in: root, level: Sv39.levels - 1) {
            record(KernelPanic("freewalk: leaf", detail: leaf.description))
            return
        }
        freeTables(root, level: Sv39.levels - 1)
    }

    /// A valid leaf under `table`. Level-0 tables hold only leaves, whatever their bits.
    private func firstLeaf(in table: PhysicalAddress, level: Int) -> PageTableEntry? {
        for (_, current) in validEntries(of: table) {
            if level == 0 || current.hasPermissions { return current }
            if let leaf = firstLeaf(in: current.physicalAddress, level: level - 1) { return leaf }
        }
        return nil
    }

    private func freeTables(_ table: PhysicalAddress, level: Int) {
        if level > 0 {
            for (slot, current) in validEntries(of: table) {
                freeTables(current.physicalAddress, level: level - 1)
                setEntry(.invalid, at: slot)
            }
        }
        kfree(table, site: "freewalk")
    }

    /// The valid entries of one table with their addresses, read in one pass over the
    /// frame (a table is scanned whole; doing it entry by entry dominated test time).
    private func validEntries(of table: PhysicalAddress) -> [(PhysicalAddress, PageTableEntry)] {
        guard let words = try? memory.pointer(to: table, length: Sv39.pageSize) else {
            preconditionFailure("kernel scanned a table outside memory")
        }
        var found: [(PhysicalAddress, PageTableEntry)] = []
        for index in 0..<Sv39.entriesPerTable {
            let raw = UInt64(littleEndian: words.load(fromByteOffset: index * 8, as: UInt64.self))
            if raw & 1 != 0 {
                found.append((table.advanced(by: UInt64(index) * Sv39.pteSize), PageTableEntry(rawValue: raw)))
            }
        }
        return found
    }
}
