import Testing
import Sv39

/// xv6's kalloc.c behaviour, plus the oracle's additions: ledger, refusals, fault plans,
/// trace.
@Suite("Frame allocator")
struct FrameAllocatorTests {
    let memory = try! PhysicalMemory(size: 16 * Sv39.pageSize)
    var allocator: FrameAllocator { FrameAllocator(memory: memory) }

    func bytes(_ frame: PhysicalAddress, from offset: Int = 0) throws -> Set<UInt8> {
        Set(try memory.read(at: frame.advanced(by: UInt64(offset)), count: Int(Sv39.pageSize) - offset))
    }

    @Test("kalloc fills a frame with 5; kfree fills it with 1 (after the free-list link)")
    func junkFill() throws {
        let allocator = self.allocator
        let frame = try #require(allocator.kalloc(site: "test"))
        #expect(try bytes(frame) == [5])
        try allocator.kfree(frame, site: "test")
        #expect(try bytes(frame, from: 8) == [1])
    }

    @Test("frames start free in ascending order, so kalloc returns the highest first; the list is LIFO")
    func freeListOrder() throws {
        let allocator = self.allocator
        let first = try #require(allocator.kalloc(site: "test"))
        let second = try #require(allocator.kalloc(site: "test"))
        #expect(first == PhysicalAddress(memory.end.rawValue - Sv39.pageSize))
        #expect(second.rawValue == first.rawValue - Sv39.pageSize)
        try allocator.kfree(first, site: "test")
        #expect(allocator.kalloc(site: "test") == first)
    }

    @Test("kalloc returns nil once every frame is live, and traces the exhaustion")
    func exhaustion() throws {
        let allocator = self.allocator
        for _ in 0..<memory.frameCount { #expect(allocator.kalloc(site: "fill") != nil) }
        #expect(allocator.kalloc(site: "one more") == nil)
        #expect(allocator.trace.last == AllocatorEvent(action: .exhausted, address: nil, site: "one more"))
        #expect(allocator.liveFrameCount == memory.frameCount)
        #expect(allocator.freeFrameCount == 0)
    }

    @Test("a double free is refused with xv6's panic string and changes nothing")
    func doubleFree() throws {
        let allocator = self.allocator
        let frame = try #require(allocator.kalloc(site: "a"))
        try allocator.kfree(frame, site: "b")
        let before = allocator.freeFrameCount
        #expect(throws: FrameAllocatorError.doubleFree(frame, site: "c")) { try allocator.kfree(frame, site: "c") }
        #expect(allocator.errors.map(\.panicMessage) == ["kfree"])
        #expect(allocator.freeFrameCount == before)
        // The free list is intact: the frame comes back exactly once.
        var handedOut: [PhysicalAddress] = []
        while let next = allocator.kalloc(site: "drain") { handedOut.append(next) }
        #expect(handedOut.count == memory.frameCount)
        #expect(Set(handedOut).count == handedOut.count)
    }

    @Test("invalid frees — misaligned, outside memory, never allocated — are refused with \"kfree\"")
    func invalidFrees() throws {
        let allocator = self.allocator
        let misaligned = memory.base.advanced(by: 8)
        let outside = memory.end
        let neverAllocated = memory.base
        #expect(throws: FrameAllocatorError.misaligned(misaligned, site: "t")) { try allocator.kfree(misaligned, site: "t") }
        #expect(throws: FrameAllocatorError.outsideMemory(outside, site: "t")) { try allocator.kfree(outside, site: "t") }
        #expect(throws: FrameAllocatorError.neverAllocated(neverAllocated, site: "t")) {
            try allocator.kfree(neverAllocated, site: "t")
        }
        #expect(allocator.errors.count == 3)
        #expect(allocator.errors.allSatisfy { $0.panicMessage == "kfree" })
        #expect(allocator.liveFrameCount == 0)
    }

    @Test("the ledger holds exactly the live frames with the site that took each")
    func ledger() throws {
        let allocator = self.allocator
        let a = try #require(allocator.kalloc(site: "uvmalloc"))
        let b = try #require(allocator.kalloc(site: "walk"))
        #expect(allocator.liveFrames == [a: "uvmalloc", b: "walk"])
        try allocator.kfree(a, site: "uvmunmap")
        #expect(allocator.liveFrames == [b: "walk"])
        #expect(allocator.isLive(b) && !allocator.isLive(a))
    }

    @Test("a fault plan fails exactly the k-th allocation, counting from when it is armed")
    func failKthAllocation() throws {
        let allocator = self.allocator
        _ = allocator.kalloc(site: "before arming")
        allocator.arm(.failAllocation(3))
        let results = (1...5).map { allocator.kalloc(site: "call \($0)") != nil }
        #expect(results == [true, true, false, true, true])
        #expect(allocator.injector.fired == [.allocation(3)])
        #expect(allocator.trace.contains(AllocatorEvent(action: .injectedFailure, address: nil, site: "call 3")))
        #expect(allocator.liveFrameCount == 5)
    }

    @Test("a fault plan fails exactly the n-th call of a named operation")
    func failNthOperation() {
        let allocator = self.allocator
        allocator.arm(.fail("mappages", occurrence: 2))
        let calls = (1...3).map { _ in allocator.shouldFail(operation: "mappages") }
        #expect(calls == [false, true, false])
        #expect(!allocator.shouldFail(operation: "loadseg"))
        #expect(allocator.injector.reachablePoints
            == [.operation("loadseg", occurrence: 1)] + (1...3).map { .operation("mappages", occurrence: $0) })
    }

    @Test("the trace records each call with its site label")
    func traceWithSites() throws {
        let allocator = self.allocator
        let frame = try #require(allocator.kalloc(site: "uvmcreate"))
        try allocator.kfree(frame, site: "freewalk")
        #expect(allocator.trace == [
            AllocatorEvent(action: .acquire, address: frame, site: "uvmcreate"),
            AllocatorEvent(action: .release, address: frame, site: "freewalk"),
        ])
    }
}
