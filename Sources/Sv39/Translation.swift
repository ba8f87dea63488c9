/// A successful translation: the physical address and the leaf that produced it.
public struct Translation: Hashable, Sendable, Codable {
    public var physicalAddress: PhysicalAddress
    /// The level the leaf was found at: 0 for a 4 KiB page, 1 for a 2 MiB megapage, 2 for a
    /// 1 GiB gigapage.
    public var level: Int
    /// The leaf as it stands after the walk (with A/D set under Svadu).
    public var leaf: PageTableEntry
    /// Where the leaf lives in physical memory.
    public var leafAddress: PhysicalAddress

    public init(physicalAddress: PhysicalAddress, level: Int, leaf: PageTableEntry, leafAddress: PhysicalAddress) {
        self.physicalAddress = physicalAddress
        self.level = level
        self.leaf = leaf
        self.leafAddress = leafAddress
    }

    public var pageSize: UInt64 { Sv39.regionSize(atLevel: level) }
}
