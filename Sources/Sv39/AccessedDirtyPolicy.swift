/// What the MMU does when a leaf's A bit is clear, or D is clear on a store (§4.3.2 step 7
/// allows both behaviours; the Svade and Svadu extensions name them).
public enum AccessedDirtyPolicy: String, CaseIterable, Hashable, Sendable, Codable {
    /// Svade: raise the page fault and let software set the bits.
    case svade
    /// Svadu: set A (and D on a store) in the PTE in memory and go on. QEMU's virt machine,
    /// on which xv6 runs, behaves this way, and xv6 never sets A or D itself.
    case svadu
}
