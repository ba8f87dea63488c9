import Testing
import Sv39

/// §4.3.2 step 7: a leaf with A = 0, or a store to a leaf with D = 0, either faults
/// (Svade) or has the bits set by the hardware (Svadu).
@Suite("Sv39 A and D bits")
struct AccessedDirtyTests {
    let machine = TestMachine()
    let va = VirtualAddress(0x4000)

    @Test("§4.3.2 step 7, Svade: A = 0 faults for every access", arguments: AccessType.allCases)
    func svadeAccessedClearFaults(access: AccessType) throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: [.readable, .writable, .executable, .dirty])
        let fault = try #require(machine.mmu(.svade).fault(va, access, .supervisor(root)))
        #expect(fault.reason == .accessedBitClear(level: 0))
        #expect(fault.cause == TrapCause.pageFault(for: access))
    }

    @Test("§4.3.2 step 7, Svade: a store with D = 0 faults; a load does not")
    func svadeDirtyClearFaultsOnStore() throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: [.readable, .writable, .accessed])
        let mmu = machine.mmu(.svade)
        #expect(mmu.fault(va, .store, .supervisor(root))?.reason == .dirtyBitClear(level: 0))
        #expect(mmu.fault(va, .load, .supervisor(root)) == nil)
    }

    @Test("§4.3.2 step 7, Svadu: the walk sets A on any access and D on a store, in the PTE in memory")
    func svaduSetsBits() throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: [.readable, .writable])
        let leafSlot = machine.slot(root: root, va: va, level: 0)
        let mmu = machine.mmu(.svadu)

        let load = try mmu.translate(va, for: .load, in: .supervisor(root))
        #expect(load.leaf.flags.contains(.accessed))
        #expect(!load.leaf.flags.contains(.dirty))
        #expect(machine.entry(at: leafSlot) == load.leaf)

        let store = try mmu.translate(va, for: .store, in: .supervisor(root))
        #expect(store.leaf.flags.isSuperset(of: [.accessed, .dirty]))
        #expect(machine.entry(at: leafSlot).flags.isSuperset(of: [.accessed, .dirty]))
    }

    @Test("§4.3.2 step 7: a faulting walk leaves A and D alone")
    func faultLeavesBitsAlone() throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: [.readable])
        let leafSlot = machine.slot(root: root, va: va, level: 0)
        #expect(machine.mmu(.svadu).fault(va, .store, .supervisor(root))?.reason
            == .permissionDenied(level: 0, flags: [.valid, .readable]))
        #expect(machine.entry(at: leafSlot).flags == [.valid, .readable])
    }
}
