import KernelModel
import Sv39
import Testing

@Suite("User memory: uvmalloc, uvmdealloc, uvmcopy")
struct UserMemoryTests {
    @Test("uvmalloc maps zeroed, distinct frames R|U|xperm for every page, and uvmfree returns them all")
    func uvmallocMapsEveryPage() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        var memory = kernel.emptyUserMemory(in: table)
        #expect(try kernel.uvmalloc(&memory, to: 0x1800, extraPermissions: .writable) == 0x1800)
        #expect(try kernel.uvmalloc(&memory, to: 0x4321, extraPermissions: .writable) == 0x4321)
        #expect(memory.size == 0x4321 && memory.pages.end == 0x5000)

        var frames: Set<PhysicalAddress> = []
        for va in stride(from: UInt64(0), to: 0x5000, by: Int(pageSize)) {
            let store = try kernel.userTranslation(va, .store, root: table.root)
            frames.insert(store.physicalAddress)
            #expect(store.leaf.flags.intersection([.readable, .writable, .executable, .user]) == [.readable, .writable, .user])
            #expect(try kernel.memory.read(at: store.physicalAddress, count: Int(pageSize)).allSatisfy { $0 == 0 })
            #expect(kernel.userFault(va, .fetch, root: table.root)?.cause == .instructionPageFault)
        }
        #expect(frames.count == 5)
        #expect(kernel.userFault(0x5000, .load, root: table.root)?.reason == .invalidEntry(level: 0))

        kernel.uvmfree(table, memory)
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
        #expect(kernel.panics.isEmpty && kernel.trace.heldResources.isEmpty)
    }

    @Test("uvmalloc to a smaller size changes nothing and returns the old size")
    func uvmallocShrinkIsNoOp() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        var memory = kernel.emptyUserMemory(in: table)
        try kernel.uvmalloc(&memory, to: 0x2000, extraPermissions: [])
        let events = kernel.trace.events.count
        #expect(try kernel.uvmalloc(&memory, to: 0x1000, extraPermissions: []) == 0x2000)
        #expect(kernel.trace.events.count == events)
        kernel.uvmfree(table, memory)
    }

    @Test("uvmdealloc unmaps and frees the pages above the new size, top page first")
    func uvmdeallocShrinks() throws {
        let kernel = try bootKernel()
        let table = try kernel.uvmcreate()
        var memory = kernel.emptyUserMemory(in: table)
        try kernel.uvmalloc(&memory, to: 0x4000, extraPermissions: .writable)
        let live = kernel.allocator.liveFrameCount
        let before = kernel.trace.events.count
        #expect(kernel.uvmdealloc(&memory, to: 0x1001) == 0x1001)
        #expect(kernel.allocator.liveFrameCount == live - 2)
        let released = kernel.trace.events[before...].compactMap { $0.step?.resource.name }
        #expect(released == ["0x3000", "mem@0x3000", "0x2000", "mem@0x2000"])
        #expect(kernel.userFault(0x2000, .load, root: table.root)?.cause == .loadPageFault)
        #expect(kernel.userFault(0x1000, .load, root: table.root) == nil)
        kernel.uvmfree(table, memory)
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
    }

    @Test("uvmcopy gives the new table its own frames with the same bytes and permissions")
    func uvmcopyCopies() throws {
        let kernel = try bootKernel()
        let parentTable = try kernel.uvmcreate()
        var parent = kernel.emptyUserMemory(in: parentTable)
        try kernel.uvmalloc(&parent, to: 0x2000, extraPermissions: .executable)
        let bytes = (0..<0x2000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        // Executable, not writable: fill the frames directly.
        for page in 0..<2 {
            let frame = try kernel.userTranslation(UInt64(page) * pageSize, .load, root: parentTable.root)
            try kernel.memory.write(Array(bytes[page * 0x1000..<(page + 1) * 0x1000]), at: frame.physicalAddress)
        }
        let childTable = try kernel.uvmcreate()
        let child = try kernel.uvmcopy(from: parent, into: childTable)
        #expect(child.size == 0x2000)
        #expect(try kernel.copyin(root: childTable.root, from: 0, count: 0x2000) == bytes)
        for va in [UInt64(0), 0x1000] {
            let original = try kernel.userTranslation(va, .fetch, root: parentTable.root)
            let copy = try kernel.userTranslation(va, .fetch, root: childTable.root)
            #expect(original.physicalAddress != copy.physicalAddress)
            #expect(original.leaf.flags.intersection([.readable, .writable, .executable, .user])
                == copy.leaf.flags.intersection([.readable, .writable, .executable, .user]))
        }
        kernel.uvmfree(childTable, child)
        kernel.uvmfree(parentTable, parent)
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
        #expect(kernel.panics.isEmpty)
    }
}
