/// The processor state a translation depends on besides the address: which table (`satp`),
/// which mode, and the two `sstatus` bits that widen what S-mode and loads may touch
/// (§4.1.1, "Memory Privilege in sstatus Register").
public struct TranslationContext: Hashable, Sendable, Codable {
    public var satp: Satp
    public var privilege: PrivilegeMode
    /// SUM: S-mode loads and stores may touch U=1 pages. Never allows S-mode fetches from
    /// them (§4.3.1: "Irrespective of SUM, the supervisor may not execute code on pages
    /// with U=1").
    public var permitSupervisorUserAccess: Bool
    /// MXR: loads succeed from pages marked readable or executable.
    public var makeExecutableReadable: Bool

    public init(
        satp: Satp, privilege: PrivilegeMode,
        permitSupervisorUserAccess: Bool = false, makeExecutableReadable: Bool = false
    ) {
        self.satp = satp
        self.privilege = privilege
        self.permitSupervisorUserAccess = permitSupervisorUserAccess
        self.makeExecutableReadable = makeExecutableReadable
    }

    /// User mode on the table rooted at `root`: how xv6's user code (and, equivalently, its
    /// `copyin`/`copyout`, which insist on PTE_U) sees memory.
    public static func user(root: PhysicalAddress) -> TranslationContext {
        TranslationContext(satp: Satp(root: root), privilege: .user)
    }

    /// Supervisor mode on the table rooted at `root`, with SUM and MXR clear.
    public static func supervisor(root: PhysicalAddress) -> TranslationContext {
        TranslationContext(satp: Satp(root: root), privilege: .supervisor)
    }
}
