extension Kernel {
    /// xv6's `uvmcreate()`: an empty user page table (one zeroed root frame).
    public func uvmcreate() throws(KernelError) -> PageTable {
        try PageTable(creatingIn: self, name: .fixed("pagetable"))
    }
}
