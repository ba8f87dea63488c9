import Sv39

extension Kernel {
    /// xv6's `uvmdealloc(pagetable, oldsz, newsz)`: shrinks `memory` to `newSize` bytes,
    /// unmapping and freeing the whole pages above `PGROUNDUP(newSize)`, top page first.
    /// Growing is a no-op. Returns the new size.
    @discardableResult
    public func uvmdealloc(_ memory: inout UserMemory, to newSize: UInt64) -> UInt64 {
        enter("uvmdealloc")
        defer { leave() }
        guard newSize < memory.size else { return memory.size }
        memory.pages.shrink(to: Sv39.pageRoundUp(newSize))
        memory.size = newSize
        return newSize
    }
}
