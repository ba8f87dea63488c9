import Testing
import Sv39

/// Loads and stores through the MMU, page by page.
@Suite("MMU data access")
struct DataAccessTests {
    @Test("a write and read spanning two pages land in each page's own frame")
    func spanningPages() throws {
        let machine = TestMachine()
        let root = machine.frame()
        let flags = PTEFlags([.readable, .writable, .user])
        let low = machine.map(root: root, va: VirtualAddress(0x1000), flags: flags)
        let high = machine.map(root: root, va: VirtualAddress(0x2000), flags: flags)
        let bytes: [UInt8] = Array(1...8)
        try machine.mmu().write(bytes, to: VirtualAddress(0x1FFC), in: .user(root))
        #expect(try machine.memory.read(at: low.advanced(by: 0xFFC), count: 4) == [1, 2, 3, 4])
        #expect(try machine.memory.read(at: high, count: 4) == [5, 6, 7, 8])
        #expect(try machine.mmu().read(VirtualAddress(0x1FFC), count: 8, in: .user(root)) == bytes)
    }

    @Test("§4.3.2: a store that runs into an unmapped page raises a store page fault (15) at that page")
    func faultOnSecondPage() throws {
        let machine = TestMachine()
        let root = machine.frame()
        machine.map(root: root, va: VirtualAddress(0x1000), flags: [.readable, .writable, .user])
        #expect(throws: TranslationFault(cause: .storePageFault, reason: .invalidEntry(level: 0),
                                         address: VirtualAddress(0x2000))) {
            try machine.mmu().write([0, 0], to: VirtualAddress(0x1FFF), in: .user(root))
        }
    }

    @Test("§3.6: a translation to an address with no memory raises an access fault (5) on the load")
    func accessFaultOnData() throws {
        let machine = TestMachine()
        let root = machine.frame()
        machine.install(PageTableEntry(ppn: machine.memory.end.ppn, flags: [.valid, .readable, .user]),
                        root: root, va: VirtualAddress(0x3000))
        let fault = TranslationFault(cause: .loadAccessFault, reason: .noMemoryAt(machine.memory.end),
                                     address: VirtualAddress(0x3000))
        #expect(throws: fault) { try machine.mmu().read(VirtualAddress(0x3000), count: 1, in: .user(root)) }
    }
}
