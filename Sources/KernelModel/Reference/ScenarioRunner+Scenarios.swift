import Sv39

/// The set-up, call and tear-down of each scenario. In each, the call's result is a local
/// of the `do` block, so a success is torn down at the end of that block and a failure has
/// nothing to tear down; the setup's guards outlive both.
extension ScenarioRunner {
    func runUVMCreate(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan) -> PathOutcome {
        window.open(plan)
        do {
            let table = try kernel.uvmcreate()
            window.close()
            _ = consume table
            return .succeeded
        } catch {
            window.close()
            return .failed(error)
        }
    }

    func runMappages(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan, va: UInt64, pages: Int)
        throws(ScenarioError) -> PathOutcome
    {
        guard pages > 0, va % Sv39.pageSize == 0, va + UInt64(pages) * Sv39.pageSize <= XV6Layout.trapframe else {
            throw .invalid("mappages needs a page-aligned range below TRAPFRAME")
        }
        let table = try setup { () throws(KernelError) in try kernel.uvmcreate() }
        window.open(plan)
        do {
            let range = try kernel.mappages(table, va: va, size: UInt64(pages) * Sv39.pageSize,
                                            physical: kernel.memory.base, permissions: [.readable, .writable])
            window.close()
            _ = consume range
        } catch {
            window.close()
            return .failed(error)
        }
        _ = consume table
        return .succeeded
    }

    func runUVMAlloc(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan, from oldSize: UInt64,
                     to newSize: UInt64) throws(ScenarioError) -> PathOutcome
    {
        let table = try setup { () throws(KernelError) in try kernel.uvmcreate() }
        var memory = kernel.emptyUserMemory(in: table)
        do { try kernel.uvmalloc(&memory, to: oldSize, extraPermissions: .writable) } catch { throw .setup(error) }
        window.open(plan)
        let outcome: PathOutcome
        do {
            try kernel.uvmalloc(&memory, to: newSize, extraPermissions: .writable)
            outcome = .succeeded
        } catch {
            outcome = .failed(error)
        }
        window.close()
        kernel.uvmfree(table, memory)
        return outcome
    }

    func runUVMCopy(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan, size: UInt64)
        throws(ScenarioError) -> PathOutcome
    {
        let parentTable = try setup { () throws(KernelError) in try kernel.uvmcreate() }
        var parentMemory = kernel.emptyUserMemory(in: parentTable)
        do {
            try kernel.uvmalloc(&parentMemory, to: size, extraPermissions: .writable)
            try fillWithPattern(kernel, root: parentMemory.root, size: size)
        } catch {
            throw .setup(error)
        }
        let childTable = try setup { () throws(KernelError) in try kernel.uvmcreate() }
        window.open(plan)
        let outcome: PathOutcome
        do {
            let copy = try kernel.uvmcopy(from: parentMemory, into: childTable)
            window.close()
            _ = consume copy
            outcome = .succeeded
        } catch {
            window.close()
            outcome = .failed(error)
        }
        _ = consume childTable
        kernel.uvmfree(parentTable, parentMemory)
        return outcome
    }

    func runProcPagetable(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan)
        throws(ScenarioError) -> PathOutcome
    {
        let trapframe = try setup { () throws(KernelError) in try kernel.kalloc(name: "p->trapframe") }
        window.open(plan)
        let outcome: PathOutcome
        do {
            let pagetable = try kernel.proc_pagetable(slot: 0, trapframe: trapframe.address)
            window.close()
            _ = consume pagetable
            outcome = .succeeded
        } catch {
            window.close()
            outcome = .failed(error)
        }
        _ = consume trapframe
        return outcome
    }

    func runAllocproc(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan, busySlots: Int)
        throws(ScenarioError) -> PathOutcome
    {
        guard (0...kernel.processSlotCount).contains(busySlots) else {
            throw .invalid("\(busySlots) busy slots in a table of \(kernel.processSlotCount)")
        }
        // Slots in use by processes outside the scenario: only their state matters here.
        for slot in 0..<busySlots { kernel.processTable.slots[slot].state = .used }
        defer { for slot in 0..<busySlots { kernel.processTable.slots[slot].state = .unused } }
        window.open(plan)
        do {
            let process = try kernel.allocproc()
            window.close()
            kernel.freeproc(process)
            return .succeeded
        } catch {
            window.close()
            return .failed(error)
        }
    }

    func runFork(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan, parentSize: UInt64)
        throws(ScenarioError) -> PathOutcome
    {
        let parent = try setUpProcess(kernel, size: parentSize)
        do { try fillWithPattern(kernel, root: parent.root, size: parentSize) } catch { throw .setup(error) }
        window.open(plan)
        var child: Proc?
        let outcome: PathOutcome
        do {
            child = try kernel.fork(parent)
            outcome = .succeeded
        } catch {
            outcome = .failed(error)
        }
        window.close()
        if let forked = child.take() { try tearDown(kernel, forked) }
        try tearDown(kernel, parent)
        return outcome
    }

    func runExec(_ kernel: Kernel, _ window: inout CallWindow, _ plan: FaultPlan, program: ProgramImage,
                 arguments: [String], oldSize: UInt64) throws(ScenarioError) -> PathOutcome
    {
        var process = try setUpProcess(kernel, size: oldSize)
        window.open(plan)
        let outcome: PathOutcome
        do {
            _ = try kernel.exec(&process, program, arguments: arguments)
            outcome = .succeeded
        } catch {
            outcome = .failed(error)
        }
        window.close()
        try tearDown(kernel, process)
        return outcome
    }

    // MARK: Helpers

    /// Runs a setup step, reporting its failure as a scenario error.
    func setup<T: ~Copyable>(_ body: () throws(KernelError) -> T) throws(ScenarioError) -> T {
        do {
            return try body()
        } catch {
            throw .setup(error)
        }
    }

    /// An unlocked process with `size` bytes of user memory.
    func setUpProcess(_ kernel: Kernel, size: UInt64) throws(ScenarioError) -> Proc {
        do {
            var process = kernel.release(try kernel.allocproc())
            try kernel.uvmalloc(&process.memory, to: size, extraPermissions: .writable)
            return process
        } catch {
            throw .setup(error)
        }
    }

    /// `acquire(&p->lock); freeproc(p); release(&p->lock)`, as `wait()` reaps a child.
    func tearDown(_ kernel: Kernel, _ process: consuming Proc) throws(ScenarioError) {
        do {
            kernel.freeproc(try kernel.acquire(process))
        } catch {
            throw .setup(error)
        }
    }

    /// A different byte in each page of the first `size` bytes, so copies can be told apart.
    func fillWithPattern(_ kernel: Kernel, root: PhysicalAddress, size: UInt64) throws(KernelError) {
        var va: UInt64 = 0
        while va < size {
            let count = Int(min(Sv39.pageSize, size - va))
            try kernel.copyout(root: root, to: va, Array(repeating: UInt8(truncatingIfNeeded: (va >> 12) &+ 1), count: count))
            va += Sv39.pageSize
        }
    }
}
