import KernelModel
import Sv39
import Testing

/// copyout/copyin go through the MMU in user mode, so xv6's checks (PTE_V, PTE_U, PTE_W,
/// MAXVA) become the hardware's faults.
@Suite("copyout and copyin")
struct UserCopyTests {
    @Test("copyout into the stack guard page fails with a store page fault (15)")
    func copyoutToGuardPage() throws {
        let kernel = try bootKernel()
        var p = kernel.release(try kernel.allocproc())
        _ = try kernel.exec(&p, .standardExample, arguments: [])
        #expect {
            try kernel.copyout(root: p.root, to: 0x2FF0, [1])
        } throws: { error in
            guard case .badUserAddress(let fault) = error as? KernelError else { return false }
            return fault.cause == .storePageFault
        }
        kernel.freeproc(try kernel.acquire(p))
    }

    @Test("copyout at MAXVA faults: the address is not canonical for Sv39")
    func copyoutAboveMaxVA() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        #expect(throws: KernelError.badUserAddress(TranslationFault(
            cause: .storePageFault, reason: .nonCanonicalAddress, address: VirtualAddress(XV6Layout.maxVA)))) {
            try kernel.copyout(root: table.root, to: XV6Layout.maxVA, [0])
        }
    }

    @Test("copyin cannot read the trapframe (no PTE_U): load page fault (13)")
    func copyinFromTrapframe() throws {
        let kernel = try bootKernel()
        let locked = try kernel.allocproc()
        #expect {
            _ = try kernel.copyin(root: locked.proc.root, from: XV6Layout.trapframe, count: 8)
        } throws: { error in
            guard case .badUserAddress(let fault) = error as? KernelError else { return false }
            return fault.cause == .loadPageFault
        }
        kernel.freeproc(locked)
    }

    @Test("copyout and copyin round-trip across a page boundary")
    func roundTrip() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        var memory = kernel.emptyUserMemory(in: table)
        try kernel.uvmalloc(&memory, to: 0x2000, extraPermissions: .writable)
        let bytes: [UInt8] = Array(0..<64)
        try kernel.copyout(root: table.root, to: 0xFE0, bytes)
        #expect(try kernel.copyin(root: table.root, from: 0xFE0, count: 64) == bytes)
        kernel.uvmfree(table, memory)
    }
}
