import Sv39

extension Kernel {
    /// xv6's `copyout(pagetable, dstva, src, len)`, done through the MMU as user-mode stores:
    /// a page that is missing, lacks PTE_U or PTE_W, or lies at or above MAXVA fails exactly
    /// as xv6's software checks make it fail, with the fault the hardware would raise.
    public func copyout(root: PhysicalAddress, to va: UInt64, _ bytes: [UInt8]) throws(KernelError) {
        enter("copyout")
        defer { leave() }
        try checkInjection("copyout")
        do {
            try mmu.write(bytes, to: VirtualAddress(va), in: .user(root: root))
        } catch {
            throw .badUserAddress(error)
        }
    }

    /// xv6's `copyin(pagetable, dst, srcva, len)`, through the MMU as user-mode loads.
    public func copyin(root: PhysicalAddress, from va: UInt64, count: Int) throws(KernelError) -> [UInt8] {
        do {
            return try mmu.read(VirtualAddress(va), count: count, in: .user(root: root))
        } catch {
            throw .badUserAddress(error)
        }
    }
}
