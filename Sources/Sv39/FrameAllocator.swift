/// xv6's physical page allocator (`kalloc.c`) over a `PhysicalMemory`, with the checks and
/// records that make it a test oracle.
///
/// As in xv6, the free list lives inside the free frames themselves: the first eight bytes
/// of a free frame hold the address of the next one, `kfree` fills a frame with 1s before
/// pushing it (to catch dangling reads) and `kalloc` pops the head and fills it with 5s (to
/// catch reads of uninitialised memory). Every frame starts free, pushed in ascending order as
/// xv6's `freerange` does, so the first `kalloc` returns the highest frame.
///
/// On top of xv6 it keeps a ledger of live frames (with the site that took each), refuses
/// and records double and invalid frees instead of panicking, fails calls on a `FaultPlan`,
/// and traces every call.
///
/// A class with single-threaded, lock-free use: one instance is one machine's allocator.
/// There is no global state, so a C shim (ground truth II) can hold an instance and forward
/// its `kalloc()`/`kfree()` to it.
public final class FrameAllocator {
    /// The byte `kalloc` fills a new frame with.
    public static let allocationJunk: UInt8 = 5
    /// The byte `kfree` fills a freed frame with.
    public static let freeJunk: UInt8 = 1

    public let memory: PhysicalMemory
    /// Counts calls and decides which fail; replace it with `arm(_:)`.
    public private(set) var injector = FaultInjector()
    /// Every call, in order.
    public private(set) var trace: [AllocatorEvent] = []
    /// Every refused `kfree`, in order.
    public private(set) var errors: [FrameAllocatorError] = []

    /// Physical address of the first free frame, 0 when none (xv6's `kmem.freelist`).
    private var freeListHead: UInt64 = 0
    private var states: [FrameState]
    private var live: [PhysicalAddress: String] = [:]

    private enum FrameState: UInt8 {
        case freeSinceBoot
        case live
        case freed
    }

    public init(memory: PhysicalMemory) {
        self.memory = memory
        self.states = Array(repeating: .freeSinceBoot, count: memory.frameCount)
        for index in 0..<memory.frameCount {
            push(frameAddress(index))
        }
    }

    // MARK: kalloc / kfree

    /// xv6's `kalloc()`: a junk-filled frame, or nil (xv6's 0) when the plan fails this call
    /// or no frame is free.
    public func kalloc(site: String) -> PhysicalAddress? {
        if injector.nextAllocationFails() {
            trace.append(AllocatorEvent(action: .injectedFailure, address: nil, site: site))
            return nil
        }
        guard freeListHead != 0 else {
            trace.append(AllocatorEvent(action: .exhausted, address: nil, site: site))
            return nil
        }
        let frame = PhysicalAddress(freeListHead)
        freeListHead = mustSucceed { () throws(PhysicalMemoryError) in try memory.load64(at: frame) }
        mustSucceed { () throws(PhysicalMemoryError) in
            try memory.fill(frame, count: Int(Sv39.pageSize), with: FrameAllocator.allocationJunk)
        }
        states[frameIndex(frame)] = .live
        live[frame] = site
        trace.append(AllocatorEvent(action: .acquire, address: frame, site: site))
        return frame
    }

    /// xv6's `kfree(pa)`. Throws (and records) what xv6 would panic on, plus double frees;
    /// a refused free leaves the allocator unchanged.
    public func kfree(_ frame: PhysicalAddress, site: String) throws(FrameAllocatorError) {
        if let error = rejection(of: frame, site: site) {
            errors.append(error)
            trace.append(AllocatorEvent(action: .rejectedFree, address: frame, site: site))
            throw error
        }
        states[frameIndex(frame)] = .freed
        live[frame] = nil
        push(frame)
        trace.append(AllocatorEvent(action: .release, address: frame, site: site))
    }

    /// Counts one call of the named operation (e.g. "mappages") and says whether the plan
    /// fails it. The kernel model asks before doing the operation's work.
    public func shouldFail(operation: String) -> Bool {
        injector.nextCallFails(operation)
    }

    /// Starts counting afresh under `plan`.
    public func arm(_ plan: FaultPlan) {
        injector = FaultInjector(plan: plan)
    }

    // MARK: Ledger

    /// Frames handed out and not yet freed, with the site that took each.
    public var liveFrames: [PhysicalAddress: String] { live }
    public var liveFrameCount: Int { live.count }
    public var freeFrameCount: Int { memory.frameCount - live.count }

    public func isLive(_ frame: PhysicalAddress) -> Bool { live[frame] != nil }

    // MARK: Internals

    private func rejection(of frame: PhysicalAddress, site: String) -> FrameAllocatorError? {
        guard frame.isPageAligned else { return .misaligned(frame, site: site) }
        guard memory.contains(frame, length: Sv39.pageSize) else { return .outsideMemory(frame, site: site) }
        switch states[frameIndex(frame)] {
        case .live: return nil
        case .freed: return .doubleFree(frame, site: site)
        case .freeSinceBoot: return .neverAllocated(frame, site: site)
        }
    }

    /// Junk-fills `frame` and makes it the head of the free list.
    private func push(_ frame: PhysicalAddress) {
        mustSucceed { () throws(PhysicalMemoryError) in
            try memory.fill(frame, count: Int(Sv39.pageSize), with: FrameAllocator.freeJunk)
            try memory.store64(freeListHead, at: frame)
        }
        freeListHead = frame.rawValue
    }

    private func frameAddress(_ index: Int) -> PhysicalAddress {
        memory.base.advanced(by: UInt64(index) * Sv39.pageSize)
    }

    private func frameIndex(_ frame: PhysicalAddress) -> Int {
        Int((frame.rawValue - memory.base.rawValue) / Sv39.pageSize)
    }

    /// For memory accesses that are in range by construction (frames come from this
    /// memory): a failure would be a bug in the allocator itself.
    private func mustSucceed<T>(_ body: () throws(PhysicalMemoryError) -> T) -> T {
        do {
            return try body()
        } catch {
            preconditionFailure("frame allocator touched memory outside its frames: \(error)")
        }
    }
}
