import KernelModel
import Sv39
import Testing

@Suite("allocproc, freeproc, fork")
struct ProcessTests {
    @Test("allocproc returns a USED slot with its lock held, a trapframe, and its proc_pagetable")
    func allocprocBuildsAProcess() throws {
        let kernel = try bootKernel()
        let locked = try kernel.allocproc()
        let slot = locked.proc.slot.index
        #expect(slot == 0 && locked.proc.pid == 1)
        #expect(kernel.processState(ofSlot: 0) == .used && kernel.isLocked(slot: 0))
        let frame = try kernel.supervisorTranslation(XV6Layout.trapframe, .load, root: locked.proc.root)
        #expect(frame.physicalAddress == locked.proc.trapframe.address)
        kernel.freeproc(locked)
        #expect(kernel.processState(ofSlot: 0) == .unused && !kernel.isLocked(slot: 0) && kernel.pid(ofSlot: 0) == 0)
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
    }

    @Test("freeproc releases memory, table, trapframe, slot, then the lock: the reverse of acquisition")
    func freeprocOrder() throws {
        let kernel = try bootKernel()
        var process = kernel.release(try kernel.allocproc())
        try kernel.uvmalloc(&process.memory, to: 0x1000, extraPermissions: .writable)
        let start = kernel.trace.events.count
        kernel.freeproc(try kernel.acquire(process))
        let released = kernel.trace.events[start...].compactMap { $0.step?.resource.description }
        #expect(released == [
            "spinlock proc[0].lock", "mapping 0x0", "page mem@0x0", "mapping TRAPFRAME", "mapping TRAMPOLINE", "pagetable pagetable",
            "page proc[0].trapframe", "proc proc[0]", "spinlock proc[0].lock",
        ])
        #expect(ReleaseDiscipline.violations(in: kernel.trace.events, stretch: start..<kernel.trace.events.count,
                                             failed: false).isEmpty)
    }

    @Test("allocproc on a full table fails with every lock it took released")
    func allocprocFullTable() throws {
        let kernel = try bootKernel(KernelConfiguration(memorySize: 1 << 20, processCount: 2))
        let first = kernel.release(try kernel.allocproc())
        let second = kernel.release(try kernel.allocproc())
        let start = kernel.trace.events.count
        #expect(throws: KernelError.noFreeProcess) { _ = try kernel.allocproc() }
        let scan = kernel.trace.events[start...].map(\.description)
        #expect(scan.count == 4)
        #expect(!kernel.isLocked(slot: 0) && !kernel.isLocked(slot: 1))
        kernel.freeproc(try kernel.acquire(second))
        kernel.freeproc(try kernel.acquire(first))
        #expect(kernel.allocator.liveFrameCount == framesAtBoot && kernel.trace.heldResources.isEmpty)
    }

    @Test("fork gives the child a copy of the parent's memory in its own frames, and both free completely")
    func forkCopies() throws {
        let kernel = try bootKernel()
        var parent = kernel.release(try kernel.allocproc())
        try kernel.uvmalloc(&parent.memory, to: 0x2800, extraPermissions: .writable)
        let bytes = (0..<0x2800).map { UInt8(truncatingIfNeeded: $0 &* 3 &+ 1) }
        try kernel.copyout(root: parent.root, to: 0, bytes)

        let child = try kernel.fork(parent)
        #expect(child.size == parent.size)
        #expect(child.pid != parent.pid && child.slot.index == 1)
        #expect(!kernel.isLocked(slot: 1))
        #expect(try kernel.copyin(root: child.root, from: 0, count: 0x2800) == bytes)
        let parentFrame = try kernel.userTranslation(0x1000, .load, root: parent.root).physicalAddress
        let childFrame = try kernel.userTranslation(0x1000, .load, root: child.root).physicalAddress
        #expect(parentFrame != childFrame)

        kernel.freeproc(try kernel.acquire(child))
        kernel.freeproc(try kernel.acquire(parent))
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
        #expect(kernel.panics.isEmpty && kernel.trace.anomalies.isEmpty)
    }
}
