import Testing
import Sv39

/// The translation algorithm, §4.3.2 "Virtual Address Translation Process" (with LEVELS = 3
/// and PTESIZE = 8 for Sv39, §4.4.1), one test per step or rule.
@Suite("Sv39 walk")
struct WalkRuleTests {
    let machine = TestMachine()
    let va = VirtualAddress((2 << 30) | (3 << 21) | (4 << 12) | 0x5A8)

    @Test("§4.3.2 steps 1–2: the root is satp.PPN × PAGESIZE and level i's PTE is at a + VPN[i] × 8")
    func pteAddresses() throws {
        let root = machine.frame()
        let frame = machine.map(root: root, va: va, flags: PTEFlags([.readable]).union(accessedDirty))
        let level2 = root.advanced(by: va.vpn(2) * 8)
        let level1Table = machine.entry(at: level2).physicalAddress
        let level1 = level1Table.advanced(by: va.vpn(1) * 8)
        let level0 = machine.entry(at: level1).physicalAddress.advanced(by: va.vpn(0) * 8)
        let translation = try machine.mmu().translate(va, for: .load, in: .supervisor(root))
        #expect(translation.leafAddress == level0)
        #expect(translation.level == 0)
        #expect(translation.physicalAddress == frame.advanced(by: va.pageOffset))
    }

    @Test("§4.3.2 step 2: a PTE outside physical memory fails its PMA check: access fault 1/5/7",
          arguments: AccessType.allCases)
    func pteOutsideMemoryIsAccessFault(access: AccessType) throws {
        let outside = machine.memory.end
        let fromSatp = try #require(machine.mmu().fault(va, access, .supervisor(outside)))
        #expect(fromSatp.cause == TrapCause.accessFault(for: access))
        #expect(fromSatp.reason == .noMemoryForEntry(outside.advanced(by: va.vpn(2) * 8)))

        let root = machine.frame()
        machine.install(PageTableEntry(ppn: outside.ppn, flags: .valid), root: root, va: va, level: 2)
        let fromPointer = try #require(machine.mmu().fault(va, access, .supervisor(root)))
        #expect(fromPointer.cause == TrapCause.accessFault(for: access))
    }

    @Test("§4.3.2 step 3: V = 0 at any level is a page fault", arguments: [2, 1, 0])
    func invalidEntryFaults(level: Int) throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: PTEFlags([.readable]).union(accessedDirty))
        let slot = machine.slot(root: root, va: va, level: level)
        var entry = machine.entry(at: slot)
        entry.flags.remove(.valid)
        try machine.memory.storePTE(entry, at: slot)
        let fault = try #require(machine.mmu().fault(va, .load, .supervisor(root)))
        #expect(fault == TranslationFault(cause: .loadPageFault, reason: .invalidEntry(level: level), address: va))
    }

    @Test("§4.3.2 step 3: R = 0 with W = 1 is reserved and faults, whatever X is",
          arguments: [PTEFlags.writable, [.writable, .executable]])
    func writableWithoutReadableFaults(flags: PTEFlags) throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: flags.union(accessedDirty))
        for access in AccessType.allCases {
            let fault = try #require(machine.mmu().fault(va, access, .supervisor(root)))
            #expect(fault.reason == .writableWithoutReadable(level: 0))
            #expect(fault.cause == TrapCause.pageFault(for: access))
        }
    }

    @Test("§4.4.1 + §4.3.2 step 3: without Svnapot and Svpbmt, any of bits 63–54 set faults",
          arguments: 54...63)
    func reservedUpperBitsFault(bit: Int) throws {
        let root = machine.frame()
        let leafSlot = machine.slot(root: root, va: va, level: 0)
        let good = PageTableEntry(ppn: machine.frame().ppn, flags: PTEFlags([.valid, .readable]).union(accessedDirty))
        try machine.memory.storePTE(PageTableEntry(rawValue: good.rawValue | 1 << UInt64(bit)), at: leafSlot)
        let fault = try #require(machine.mmu().fault(va, .load, .supervisor(root)))
        #expect(fault.reason == .reservedUpperBits(level: 0, bits: 1 << UInt64(bit - 54)))

        // The same bit in a pointer PTE is just as reserved.
        try machine.memory.storePTE(good, at: leafSlot)
        let pointerSlot = machine.slot(root: root, va: va, level: 1)
        let pointer = machine.entry(at: pointerSlot)
        try machine.memory.storePTE(PageTableEntry(rawValue: pointer.rawValue | 1 << UInt64(bit)), at: pointerSlot)
        #expect(machine.mmu().fault(va, .load, .supervisor(root))?.reason
            == .reservedUpperBits(level: 1, bits: 1 << UInt64(bit - 54)))
    }

    @Test("§4.3.1 + §4.3.2 step 3: D, A and U are reserved in a non-leaf PTE and fault",
          arguments: [PTEFlags.dirty, .accessed, .user])
    func nonLeafReservedFlagsFault(flag: PTEFlags) throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: PTEFlags([.readable, .user]).union(accessedDirty))
        let pointerSlot = machine.slot(root: root, va: va, level: 2)
        var pointer = machine.entry(at: pointerSlot)
        pointer.flags.insert(flag)
        try machine.memory.storePTE(pointer, at: pointerSlot)
        let fault = try #require(machine.mmu().fault(va, .load, .user(root)))
        #expect(fault.reason == .reservedFlagsInNonLeaf(level: 2, flags: flag))
    }

    @Test("§4.3.1: the RSW bits and G do not change a translation")
    func rswAndGlobalAreIgnored() throws {
        let root = machine.frame()
        let frame = machine.frame()
        machine.install(PageTableEntry(ppn: frame.ppn, flags: PTEFlags([.valid, .readable, .global]).union(accessedDirty),
                                       rsw: 0b11), root: root, va: va)
        let pointerSlot = machine.slot(root: root, va: va, level: 1)
        var pointer = machine.entry(at: pointerSlot)
        pointer.flags.insert(.global)
        try machine.memory.storePTE(PageTableEntry(rawValue: pointer.rawValue | 0b11 << 8), at: pointerSlot)
        let translation = try machine.mmu().translate(va, for: .load, in: .supervisor(root))
        #expect(translation.physicalAddress == frame.advanced(by: va.pageOffset))
    }

    @Test("§4.3.2 step 4: XWR = 000 points to the next level; a pointer at level 0 faults")
    func pointerAtLevelZeroFaults() throws {
        let root = machine.frame()
        machine.install(PageTableEntry(ppn: machine.frame().ppn, flags: .valid), root: root, va: va, level: 0)
        let fault = try #require(machine.mmu().fault(va, .fetch, .supervisor(root)))
        #expect(fault == TranslationFault(cause: .instructionPageFault, reason: .pointerAtLevelZero, address: va))
    }

    @Test("§4.3.2 step 6: a superpage leaf whose lower PPN fields are not zero is misaligned and faults",
          arguments: [(1, UInt64(1)), (2, UInt64(1)), (2, UInt64(1) << 9)])
    func misalignedSuperpageFaults(level: Int, lowPPN: UInt64) throws {
        let root = machine.frame()
        let aligned = UInt64(0x40) << (9 * UInt64(level))
        machine.install(PageTableEntry(ppn: aligned | lowPPN, flags: PTEFlags([.valid, .readable]).union(accessedDirty)),
                        root: root, va: va, level: level)
        let fault = try #require(machine.mmu().fault(va, .load, .supervisor(root)))
        #expect(fault.reason == .misalignedSuperpage(level: level))
        #expect(fault.cause == .loadPageFault)
    }

    @Test("§4.3.2 step 8: a superpage passes VPN[i−1:0] and the offset through to the physical address",
          arguments: [1, 2])
    func superpageTranslation(level: Int) throws {
        let root = machine.frame()
        let ppn = UInt64(0x40) << (9 * UInt64(level))
        machine.install(PageTableEntry(ppn: ppn, flags: PTEFlags([.valid, .readable]).union(accessedDirty)),
                        root: root, va: va, level: level)
        let translation = try machine.mmu().translate(va, for: .load, in: .supervisor(root))
        let regionMask = Sv39.regionSize(atLevel: level) - 1
        #expect(translation.level == level)
        #expect(translation.physicalAddress.rawValue == (ppn << 12) | (va.rawValue & regionMask))
    }

    @Test("§4.3.2 step 8: pa.pgoff = va.pgoff and pa.ppn = pte.ppn for a 4 KiB page")
    func pageTranslation() throws {
        let root = machine.frame()
        let frame = machine.map(root: root, va: va, flags: PTEFlags([.readable]).union(accessedDirty))
        for offset in [0, 1, 0x7FF, 0xFFF] as [UInt64] {
            let address = VirtualAddress(Sv39.pageRoundDown(va.rawValue) + offset)
            let translation = try machine.mmu().translate(address, for: .load, in: .supervisor(root))
            #expect(translation.physicalAddress == frame.advanced(by: offset))
        }
    }
}
