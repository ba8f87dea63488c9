import Testing
import Sv39

/// §4.3.2 step 5 and the mode rules it applies: §4.3.1 (U bit), §4.1.1 (SUM and MXR in
/// sstatus).
@Suite("Sv39 permissions")
struct PermissionRuleTests {
    let machine = TestMachine()
    let va = VirtualAddress(0x1234_5000)

    /// Every XWR combination that is not reserved (R = 0 with W = 1 is; see the walk tests).
    static let leafPermissions: [PTEFlags] = [
        [.readable], [.readable, .writable], [.executable], [.readable, .executable],
        [.readable, .writable, .executable],
    ]

    func context(_ root: PhysicalAddress, _ mode: PrivilegeMode, sum: Bool = false, mxr: Bool = false)
        -> TranslationContext
    {
        TranslationContext(satp: Satp(root: root), privilege: mode, permitSupervisorUserAccess: sum,
                           makeExecutableReadable: mxr)
    }

    @Test("§4.3.2 step 5: a fetch needs X, a load needs R, a store needs W", arguments: leafPermissions)
    func accessNeedsItsBit(permissions: PTEFlags) throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: permissions.union(accessedDirty))
        let expected: [AccessType: Bool] = [
            .fetch: permissions.contains(.executable),
            .load: permissions.contains(.readable),
            .store: permissions.contains(.writable),
        ]
        for access in AccessType.allCases {
            let fault = machine.mmu().fault(va, access, context(root, .supervisor))
            #expect((fault == nil) == expected[access], "\(access) on \(permissions)")
            if let fault {
                #expect(fault.reason == .permissionDenied(level: 0, flags: permissions.union(accessedDirty).union(.valid)))
                #expect(fault.cause == TrapCause.pageFault(for: access))
            }
        }
    }

    @Test("§4.1.1 MXR: a load from an execute-only page succeeds only when MXR = 1")
    func makeExecutableReadable() throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: PTEFlags.executable.union(accessedDirty))
        #expect(machine.mmu().fault(va, .load, context(root, .supervisor))?.cause == .loadPageFault)
        #expect(machine.mmu().fault(va, .load, context(root, .supervisor, mxr: true)) == nil)
        // MXR widens loads only.
        #expect(machine.mmu().fault(va, .store, context(root, .supervisor, mxr: true))?.cause == .storePageFault)
    }

    @Test("§4.3.1: U mode may access only pages with U = 1", arguments: AccessType.allCases)
    func userModeNeedsUserPages(access: AccessType) throws {
        let root = machine.frame()
        let all: PTEFlags = [.readable, .writable, .executable]
        machine.map(root: root, va: va, flags: all.union(accessedDirty))
        let userPage = VirtualAddress(va.rawValue + Sv39.pageSize)
        machine.map(root: root, va: userPage, flags: all.union(.user).union(accessedDirty))
        let fault = try #require(machine.mmu().fault(va, access, context(root, .user)))
        #expect(fault.cause == TrapCause.pageFault(for: access))
        #expect(machine.mmu().fault(userPage, access, context(root, .user)) == nil)
    }

    @Test("§4.1.1 SUM: S-mode loads and stores to U pages fault unless SUM = 1",
          arguments: [AccessType.load, .store])
    func supervisorUserMemoryAccess(access: AccessType) throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: PTEFlags([.readable, .writable, .user]).union(accessedDirty))
        #expect(machine.mmu().fault(va, access, context(root, .supervisor))?.cause == TrapCause.pageFault(for: access))
        #expect(machine.mmu().fault(va, access, context(root, .supervisor, sum: true)) == nil)
    }

    @Test("§4.3.1: S mode never executes from a U page, even with SUM = 1")
    func supervisorNeverExecutesUserPages() throws {
        let root = machine.frame()
        machine.map(root: root, va: va, flags: PTEFlags([.readable, .executable, .user]).union(accessedDirty))
        for sum in [false, true] {
            #expect(machine.mmu().fault(va, .fetch, context(root, .supervisor, sum: sum))?.cause == .instructionPageFault)
        }
        #expect(machine.mmu().fault(va, .fetch, context(root, .user)) == nil)
    }
}
