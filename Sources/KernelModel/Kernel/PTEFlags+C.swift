import Sv39

extension PTEFlags {
    /// The flags as xv6 spells them in C, "PTE_R|PTE_W|PTE_U", for trace statements.
    var cExpression: String {
        let names: [(PTEFlags, String)] = [
            (.valid, "PTE_V"), (.readable, "PTE_R"), (.writable, "PTE_W"), (.executable, "PTE_X"),
            (.user, "PTE_U"), (.global, "PTE_G"), (.accessed, "PTE_A"), (.dirty, "PTE_D"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "0" : present.joined(separator: "|")
    }
}

/// `0x1000`, `TRAMPOLINE` or `TRAPFRAME`: how a statement names a user virtual address.
func cAddress(_ va: UInt64) -> String {
    switch va {
    case XV6Layout.trampoline: "TRAMPOLINE"
    case XV6Layout.trapframe: "TRAPFRAME"
    default: "0x" + String(va, radix: 16)
    }
}
