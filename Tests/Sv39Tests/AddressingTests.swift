import Testing
import Sv39

/// §4.4.1 "Addressing and Memory Protection" (Sv39), and satp's layout (§4.1.11).
@Suite("Sv39 addressing")
struct AddressingTests {
    @Test("§4.4.1: bits 63–39 of a virtual address must equal bit 38, else a page fault (12/13/15)",
          arguments: AccessType.allCases)
    func nonCanonicalAddressFaults(access: AccessType) throws {
        let machine = TestMachine()
        let root = machine.frame()
        // Map the page at 0x40_0000_0000's low 39 bits, so only canonicality can fail.
        let low39 = VirtualAddress(0x40_0000_0000)            // bit 38 set, bits 63–39 clear
        let canonical = VirtualAddress(0xFFFF_FFC0_0000_0000)  // the same 39 bits, sign-extended
        machine.map(root: root, va: canonical, flags: PTEFlags([.readable, .writable, .executable, .user]).union(accessedDirty))
        let mmu = machine.mmu()

        let fault = try #require(mmu.fault(low39, access, .user(root)))
        #expect(fault.reason == .nonCanonicalAddress)
        #expect(fault.cause == TrapCause.pageFault(for: access))
        #expect(fault.address == low39)
        #expect(mmu.fault(canonical, access, .user(root)) == nil)

        let highBitOnly = VirtualAddress(1 << 63)  // bit 38 clear, bit 63 set
        #expect(mmu.fault(highBitOnly, access, .user(root))?.reason == .nonCanonicalAddress)
    }

    @Test("§4.4.1: isCanonical accepts exactly the sign extensions of bit 38")
    func canonicalBoundaries() {
        #expect(VirtualAddress(0x3F_FFFF_FFFF).isCanonical)
        #expect(!VirtualAddress(0x40_0000_0000).isCanonical)
        #expect(!VirtualAddress(0xFFFF_FFBF_FFFF_FFFF).isCanonical)
        #expect(VirtualAddress(0xFFFF_FFC0_0000_0000).isCanonical)
        #expect(VirtualAddress(UInt64.max).isCanonical)
        #expect(!VirtualAddress(0x0000_8000_0000_0000).isCanonical)
    }

    @Test("§4.4.1: VPN[2], VPN[1], VPN[0] are bits 38–30, 29–21, 20–12; the offset is bits 11–0")
    func vpnFields() {
        let va = VirtualAddress((0x1AB << 30) | (0x0CD << 21) | (0x1EF << 12) | 0x123)
        #expect(va.vpn(2) == 0x1AB)
        #expect(va.vpn(1) == 0x0CD)
        #expect(va.vpn(0) == 0x1EF)
        #expect(va.pageOffset == 0x123)
    }

    @Test("§4.4.1: the walk indexes level i with VPN[i], so addresses differing in one field reach different leaves")
    func walkUsesEachVPNField() throws {
        let machine = TestMachine()
        let root = machine.frame()
        let base: UInt64 = (3 << 30) | (5 << 21) | (7 << 12)
        let variants = [base, base ^ (1 << 30), base ^ (1 << 21), base ^ (1 << 12)].map { VirtualAddress($0) }
        let frames = variants.map {
            machine.map(root: root, va: $0, flags: PTEFlags([.readable]).union(accessedDirty))
        }
        let mmu = machine.mmu()
        for (va, frame) in zip(variants, frames) {
            #expect(try mmu.translate(va, for: .load, in: .supervisor(root)).physicalAddress == frame)
        }
        #expect(Set(frames).count == 4)
    }

    @Test("§4.4.1: PTE layout — PPN[2] 53–28, PPN[1] 27–19, PPN[0] 18–10, RSW 9–8, D A G U X W R V 7–0")
    func pageTableEntryLayout() {
        let ppn: UInt64 = (0x2AB_CDEF << 18) | (0x155 << 9) | 0x0AA
        let entry = PageTableEntry(ppn: ppn, flags: [.valid, .readable, .dirty], rsw: 0b10)
        #expect(entry.rawValue == (ppn << 10) | (0b10 << 8) | 0b1000_0011)
        #expect(entry.ppn == ppn)
        #expect(entry.ppn(0) == 0x0AA)
        #expect(entry.ppn(1) == 0x155)
        #expect(entry.ppn(2) == 0x2AB_CDEF)
        #expect(entry.rsw == 0b10)
        #expect(entry.flags == [.valid, .readable, .dirty])
        #expect(entry.upperBits == 0)
        let flagBits: [(PTEFlags, UInt8)] = [
            (.valid, 0), (.readable, 1), (.writable, 2), (.executable, 3),
            (.user, 4), (.global, 5), (.accessed, 6), (.dirty, 7),
        ]
        for (flag, bit) in flagBits { #expect(flag.rawValue == 1 << bit) }
    }

    @Test("§4.4.1: a 44-bit PPN holds any host address, so physical addresses are host addresses")
    func ppnHoldsHostAddresses() throws {
        let memory = try PhysicalMemory(size: 1 << 20)
        #expect(memory.end.ppn <= Sv39.ppnMask)
        #expect(PhysicalAddress(ppn: memory.base.ppn) == memory.base)
        let host = try #require(UnsafeMutableRawPointer(bitPattern: UInt(memory.base.rawValue)))
        host.storeBytes(of: 0xA5, as: UInt8.self)
        #expect(try memory.read(at: memory.base, count: 1) == [0xA5])
    }

    @Test("§4.1.11: satp holds MODE = 8 (Sv39) in 63–60, ASID in 59–44, the root PPN in 43–0")
    func satpLayout() {
        let satp = Satp(asid: 0x1234, rootPPN: 0xABC_DEF0_1234)
        #expect(satp.rawValue == (UInt64(8) << 60) | (UInt64(0x1234) << 44) | 0xABC_DEF0_1234)
        #expect(Satp(root: PhysicalAddress(0x8765_4000)).rootPPN == 0x87654)
    }

    @Test("§4.1.8: page faults are causes 12, 13, 15 and access faults 1, 5, 7 for fetch, load, store")
    func causeCodes() {
        #expect(AccessType.allCases.map { TrapCause.pageFault(for: $0).rawValue } == [12, 13, 15])
        #expect(AccessType.allCases.map { TrapCause.accessFault(for: $0).rawValue } == [1, 5, 7])
    }
}
