import Sv39

/// A bare machine for MMU tests: physical memory, a frame allocator, and helpers that
/// write page tables by hand, bit by bit, so each test can build exactly the entry a rule
/// is about.
final class TestMachine {
    let memory: PhysicalMemory
    let allocator: FrameAllocator

    init(size: UInt64 = 1 << 20) {
        // 1 MiB is always available; a failure here is a broken host, not a test result.
        memory = try! PhysicalMemory(size: size)
        allocator = FrameAllocator(memory: memory)
    }

    func mmu(_ policy: AccessedDirtyPolicy = .svadu) -> MMU {
        MMU(memory: memory, accessedDirtyPolicy: policy)
    }

    /// A zeroed frame.
    func frame() -> PhysicalAddress {
        guard let frame = allocator.kalloc(site: "test") else { fatalError("test memory exhausted") }
        try! memory.fill(frame, count: Int(Sv39.pageSize), with: 0)
        return frame
    }

    /// The address of the PTE for `va` at `level`, creating pointer PTEs (XWR = 000, V = 1)
    /// above it as needed.
    func slot(root: PhysicalAddress, va: VirtualAddress, level: Int) -> PhysicalAddress {
        var table = root
        var current = Sv39.levels - 1
        while current > level {
            let address = table.advanced(by: va.vpn(current) * Sv39.pteSize)
            var entry = try! memory.loadPTE(at: address)
            if !entry.isValid {
                entry = PageTableEntry(ppn: frame().ppn, flags: .valid)
                try! memory.storePTE(entry, at: address)
            }
            table = entry.physicalAddress
            current -= 1
        }
        return table.advanced(by: va.vpn(level) * Sv39.pteSize)
    }

    /// Writes `entry` as the PTE for `va` at `level`; returns where it went.
    @discardableResult
    func install(_ entry: PageTableEntry, root: PhysicalAddress, va: VirtualAddress, level: Int = 0)
        -> PhysicalAddress
    {
        let address = slot(root: root, va: va, level: level)
        try! memory.storePTE(entry, at: address)
        return address
    }

    /// Maps the 4 KiB page at `va` to a fresh frame with `flags` (V added); returns the frame.
    @discardableResult
    func map(root: PhysicalAddress, va: VirtualAddress, flags: PTEFlags) -> PhysicalAddress {
        let target = frame()
        install(PageTableEntry(ppn: target.ppn, flags: flags.union(.valid)), root: root, va: va)
        return target
    }

    func entry(at address: PhysicalAddress) -> PageTableEntry { try! memory.loadPTE(at: address) }
}

/// Every leaf needs A (and D for stores) set, unless the test is about A/D.
let accessedDirty: PTEFlags = [.accessed, .dirty]

extension TranslationContext {
    static func user(_ root: PhysicalAddress) -> TranslationContext { .user(root: root) }
    static func supervisor(_ root: PhysicalAddress, sum: Bool = false, mxr: Bool = false) -> TranslationContext {
        TranslationContext(satp: Satp(root: root), privilege: .supervisor,
                           permitSupervisorUserAccess: sum, makeExecutableReadable: mxr)
    }
}

extension MMU {
    /// The fault a translation raised, or nil if it succeeded.
    func fault(_ va: VirtualAddress, _ access: AccessType, _ context: TranslationContext) -> TranslationFault? {
        do {
            _ = try translate(va, for: access, in: context)
            return nil
        } catch {
            return error
        }
    }
}
