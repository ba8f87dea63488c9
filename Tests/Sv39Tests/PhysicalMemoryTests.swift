import Testing
import Sv39

@Suite("Physical memory")
struct PhysicalMemoryTests {
    @Test("defaults to xv6's 128 MiB, page-aligned")
    func defaultSize() throws {
        let memory = try PhysicalMemory()
        #expect(memory.size == 128 << 20)
        #expect(memory.base.isPageAligned)
        #expect(memory.frameCount == 32768)
    }

    @Test("refuses sizes that are zero or not whole pages", arguments: [0, 1, 4097] as [UInt64])
    func invalidSizes(size: UInt64) {
        #expect(throws: PhysicalMemoryError.invalidSize(size)) { try PhysicalMemory(size: size) }
    }

    @Test("a physical address is the host address of the byte")
    func physicalIsHost() throws {
        let memory = try PhysicalMemory(size: 8 * Sv39.pageSize)
        let address = memory.base.advanced(by: 3 * Sv39.pageSize + 17)
        try memory.write([1, 2, 3], at: address)
        let host = try #require(UnsafeRawPointer(bitPattern: UInt(address.rawValue)))
        #expect(host.load(as: UInt8.self) == 1)
        #expect(host.load(fromByteOffset: 2, as: UInt8.self) == 3)
    }

    @Test("words are little-endian, as on RISC-V")
    func littleEndian() throws {
        let memory = try PhysicalMemory(size: Sv39.pageSize)
        try memory.store64(0x0102_0304_0506_0708, at: memory.base)
        #expect(try memory.read(at: memory.base, count: 8) == [8, 7, 6, 5, 4, 3, 2, 1])
    }

    @Test("accesses outside [base, end) or misaligned words are refused")
    func boundsAndAlignment() throws {
        let memory = try PhysicalMemory(size: Sv39.pageSize)
        #expect(throws: PhysicalMemoryError.outOfRange(memory.end, length: 8)) { try memory.load64(at: memory.end) }
        let lastWord = memory.end.rawValue - 4
        #expect(throws: PhysicalMemoryError.misaligned(PhysicalAddress(lastWord))) {
            try memory.load64(at: PhysicalAddress(lastWord))
        }
        #expect(!memory.contains(memory.base.advanced(by: Sv39.pageSize - 1), length: 2))
        #expect(memory.contains(memory.base, length: Sv39.pageSize))
        #expect(!memory.contains(PhysicalAddress(memory.base.rawValue - 1)))
    }
}
