import Sv39

/// One booted machine: physical memory, its frame allocator and MMU, the process table, the
/// trampoline page, and the records a run is judged by (the resource trace and the panics).
///
/// The modelled xv6 functions are methods on it (in the VM, Proc and Exec folders). It is a
/// class because guards must reach it from `deinit` to give their resource back; it is used
/// from one thread at a time, like a single-hart kernel.
public final class Kernel {
    public let configuration: KernelConfiguration
    public let memory: PhysicalMemory
    public let allocator: FrameAllocator
    public let mmu: MMU
    /// The trampoline's frame: kernel text in xv6, so every process maps it and none frees it.
    public let trampoline: PhysicalAddress

    public internal(set) var trace = ResourceTrace()
    public private(set) var panics: [KernelPanic] = []
    var processTable: ProcessTable
    /// Modelled functions currently running, outermost first; names the site of each event.
    private(set) var callStack: [String] = []

    public init(configuration: KernelConfiguration = KernelConfiguration()) throws(KernelBootError) {
        let memory: PhysicalMemory
        do {
            memory = try PhysicalMemory(size: configuration.memorySize)
        } catch {
            throw .memory(error)
        }
        let allocator = FrameAllocator(memory: memory)
        guard let trampoline = allocator.kalloc(site: "trampoline") else { throw .noFrameForTrampoline }
        self.configuration = configuration
        self.memory = memory
        self.allocator = allocator
        self.mmu = MMU(memory: memory, accessedDirtyPolicy: configuration.accessedDirtyPolicy)
        self.trampoline = trampoline
        self.processTable = ProcessTable(count: configuration.processCount)
    }

    // MARK: Call sites

    /// Marks entry into a modelled function; pair with `leave()` in a `defer`, which runs
    /// after the function's guards have been destroyed, so their releases are attributed
    /// to it.
    func enter(_ function: String) { callStack.append(function) }
    func leave() { callStack.removeLast() }

    /// The innermost modelled function that is not `call` itself: where `call` was made.
    func caller(of call: String) -> String {
        callStack.last { $0 != call } ?? "(top level)"
    }

    // MARK: Allocation and injection

    /// `kalloc()` that throws instead of returning 0, logging an injected failure.
    func kalloc(site: String) throws(KernelError) -> PhysicalAddress {
        let firedBefore = allocator.injector.fired.count
        guard let frame = allocator.kalloc(site: site) else {
            if allocator.injector.fired.count > firedBefore, let point = allocator.injector.fired.last {
                trace.record(InjectedFailure(point: point, call: "kalloc", callStack: callStack))
            }
            throw .outOfMemory(site: site)
        }
        return frame
    }

    /// `kfree()` for a frame the model owns; a refusal is a panic in xv6 and is recorded.
    func kfree(_ frame: PhysicalAddress, site: String) {
        do {
            try allocator.kfree(frame, site: site)
        } catch {
            record(KernelPanic(error.panicMessage, detail: error.description))
        }
    }

    /// Counts a call of `operation` and throws if the fault plan fails it.
    func checkInjection(_ operation: String) throws(KernelError) {
        if allocator.shouldFail(operation: operation), let point = allocator.injector.fired.last {
            trace.record(InjectedFailure(point: point, call: operation, callStack: callStack))
            throw .injected(operation: operation)
        }
    }

    // MARK: Panics

    func record(_ panic: KernelPanic) { panics.append(panic) }

    /// Records the panic and returns it as an error to throw.
    func panic(_ message: String, _ detail: String = "") -> KernelError {
        let panic = KernelPanic(message, detail: detail)
        record(panic)
        return .panic(panic)
    }

    // MARK: PTEs

    /// Reads a PTE the kernel itself placed (inside a table frame it allocated).
    func entry(at address: PhysicalAddress) -> PageTableEntry {
        do {
            return try memory.loadPTE(at: address)
        } catch {
            preconditionFailure("kernel read a PTE outside memory: \(error)")
        }
    }

    func setEntry(_ entry: PageTableEntry, at address: PhysicalAddress) {
        do {
            try memory.storePTE(entry, at: address)
        } catch {
            preconditionFailure("kernel wrote a PTE outside memory: \(error)")
        }
    }

    func zero(_ frame: PhysicalAddress) {
        do {
            try memory.fill(frame, count: Int(Sv39.pageSize), with: 0)
        } catch {
            preconditionFailure("kernel zeroed a frame outside memory: \(error)")
        }
    }

    // MARK: Tracing

    /// Records an acquisition; `function` defaults to the modelled function that made `call`.
    func traceAcquire(_ key: ResourceKey, _ resource: ResourceID, call: String, statement: String,
                      function: String? = nil)
    {
        let site = function ?? caller(of: call)
        trace.acquire(key, ResourceStep(resource: resource, call: call, statement: statement, function: site))
    }

    func traceRelease(_ key: ResourceKey, _ resource: ResourceID, call: String, statement: String) {
        trace.release(key, ResourceStep(resource: resource, call: call, statement: statement, function: caller(of: call)))
    }
}
