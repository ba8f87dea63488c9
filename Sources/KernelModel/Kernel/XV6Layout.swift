import Sv39

/// The constants of xv6's `riscv.h`, `memlayout.h` and `param.h` that the modelled paths
/// use, with the same values, so that addresses in a trace are the ones the C kernel uses.
public enum XV6Layout {
    public static let pageSize: UInt64 = Sv39.pageSize
    /// One bit less than Sv39's 39, so that no user address has bit 38 set and every one is
    /// canonical without sign extension (`riscv.h`).
    public static let maxVA: UInt64 = 1 << (9 + 9 + 9 + 12 - 1)
    /// The highest page: the trampoline code, mapped in every address space.
    public static let trampoline: UInt64 = maxVA - pageSize
    /// Just below: the process's trapframe.
    public static let trapframe: UInt64 = trampoline - pageSize
    /// Pages of user stack above the guard page (`param.h`).
    public static let userStackPages: UInt64 = 1
    /// Most arguments `exec` copies (`param.h`).
    public static let maxArguments = 32
    /// Process-table size (`param.h`).
    public static let processCount = 64

    /// `PTE_R | PTE_X`: the trampoline's permissions.
    public static let trampolinePermissions: PTEFlags = [.readable, .executable]
    /// `PTE_R | PTE_W`: the trapframe's permissions.
    public static let trapframePermissions: PTEFlags = [.readable, .writable]
}
