import PropertyBased
import Testing
import Sv39

/// Properties over random inputs: any 4 KiB mapping translates to its frame, and any leaf
/// PTE value is judged as the rules, restated independently here, say.
@Suite("Sv39 properties")
struct TranslationPropertyTests {
    @Test("§4.3.2: random canonical pages map to their own frames, offsets preserved")
    func randomMappingsTranslate() async {
        let pageNumber = Gen<UInt64>.uint64(in: 0...((1 << 27) - 1))
        await propertyCheck(count: 50, input: pageNumber.array(of: 1...12), Gen<UInt64>.uint64(in: 0...0xFFF)) {
            pages, offset in
            let machine = TestMachine(size: 256 * Sv39.pageSize)
            let root = machine.frame()
            var frames: [UInt64: PhysicalAddress] = [:]
            for page in Set(pages) {
                // Sign-extend bit 38 so upper-half pages are canonical too.
                let raw = UInt64(bitPattern: (Int64(bitPattern: page << 37) >> 25))
                frames[raw] = machine.map(root: root, va: VirtualAddress(raw), flags: [.readable, .user, .accessed])
            }
            for (raw, frame) in frames {
                let va = VirtualAddress(raw | offset)
                #expect(va.isCanonical)
                let translation = try? machine.mmu().translate(va, for: .load, in: .user(root))
                #expect(translation?.physicalAddress == frame.advanced(by: offset))
            }
        }
    }

    @Test("§4.3.2 steps 3–7: every flag byte ± a reserved bit, in every access, mode, SUM and MXR, is judged by the rules")
    func everyLeafIsJudgedByTheRules() throws {
        let machine = TestMachine(size: 8 * Sv39.pageSize)
        let root = machine.frame()
        let va = VirtualAddress(0x5000)
        let ppn = machine.frame().ppn
        let mmu = machine.mmu(.svade)
        for flags in UInt8.min...UInt8.max {
            for reserved in [0, UInt64(1) << 60] {
                let entry = PageTableEntry(rawValue: (ppn << 10) | reserved | UInt64(flags))
                for access in AccessType.allCases {
                    for privilege in PrivilegeMode.allCases {
                        for (sum, mxr) in [(false, false), (true, false), (false, true), (true, true)] {
                            machine.install(entry, root: root, va: va)
                            let context = TranslationContext(satp: Satp(root: root), privilege: privilege,
                                                             permitSupervisorUserAccess: sum, makeExecutableReadable: mxr)
                            let fault = mmu.fault(va, access, context)
                            let expected = Self.allowed(entry, access, privilege, sum: sum, mxr: mxr)
                            #expect((fault == nil) == expected, "\(entry) \(access) \(privilege) SUM=\(sum) MXR=\(mxr)")
                            if let fault { #expect(fault.cause == TrapCause.pageFault(for: access)) }
                        }
                    }
                }
            }
        }
    }

    /// The rules in one expression, written apart from the MMU: valid, not W-without-R, no
    /// reserved upper bits, a leaf (a pointer at level 0 faults), mode allows, the bit for
    /// the access is set (or X for a load under MXR), and (Svade) A is set, and D for a store.
    static func allowed(_ entry: PageTableEntry, _ access: AccessType, _ privilege: PrivilegeMode,
                        sum: Bool, mxr: Bool) -> Bool
    {
        let f = entry.flags
        let r = f.contains(.readable), w = f.contains(.writable), x = f.contains(.executable), u = f.contains(.user)
        guard f.contains(.valid), !(w && !r), entry.upperBits == 0, r || x else { return false }
        let modeAllows = privilege == .user ? u : (!u || (sum && access != .fetch))
        let bitAllows = access == .fetch ? x : access == .load ? (r || (mxr && x)) : w
        let accessedDirty = f.contains(.accessed) && (access != .store || f.contains(.dirty))
        return modeAllows && bitAllows && accessedDirty
    }
}

@Suite("Frame allocator properties")
struct FrameAllocatorPropertyTests {
    @Test("random kalloc/kfree sequences keep the ledger, free count and free list consistent")
    func randomSequences() async {
        await propertyCheck(count: 100, input: Gen<Bool>.bool.array(of: 1...200)) { script in
            let memory = try! PhysicalMemory(size: 32 * Sv39.pageSize)
            let allocator = FrameAllocator(memory: memory)
            var held: [PhysicalAddress] = []
            for allocate in script {
                if allocate {
                    if let frame = allocator.kalloc(site: "p") {
                        #expect(!held.contains(frame))
                        held.append(frame)
                    } else {
                        #expect(held.count == memory.frameCount)
                    }
                } else if let frame = held.popLast() {
                    #expect(throws: Never.self) { try allocator.kfree(frame, site: "p") }
                }
                #expect(allocator.liveFrameCount == held.count)
                #expect(Set(allocator.liveFrames.keys) == Set(held))
            }
            #expect(allocator.errors.isEmpty)
        }
    }
}
