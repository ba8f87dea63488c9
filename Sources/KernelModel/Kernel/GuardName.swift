import Sv39

/// How a guard names its resource in the trace, stored without allocation (guards may only
/// hold trivially destroyed values; see `KernelReference`).
enum GuardName {
    /// A fixed C-like name: "pagetable", "TRAMPOLINE".
    case fixed(StaticString)
    /// A user page or its mapping, named by its virtual address.
    case userAddress(UInt64)
    /// Something belonging to proc slot `slot`: "proc[1].trapframe".
    case ofProcess(slot: Int, StaticString)

    func text(for kind: ResourceKind) -> String {
        switch self {
        case .fixed(let name):
            return name.description
        case .userAddress(let va):
            let address = "0x" + String(va, radix: 16)
            return kind == .page ? "mem@" + address : address
        case .ofProcess(let slot, let suffix):
            let base = "proc[\(slot)]"
            return suffix.utf8CodeUnitCount == 0 ? base : base + "." + suffix.description
        }
    }

    /// The C expression holding the resource, for statements such as "kfree(mem)".
    var cExpression: String {
        switch self {
        case .fixed(let name): name.description
        case .userAddress: "mem"
        case .ofProcess(_, let suffix): suffix.utf8CodeUnitCount == 0 ? "p" : "p->" + suffix.description
        }
    }

    func resource(_ kind: ResourceKind) -> ResourceID {
        ResourceID(kind: kind, name: text(for: kind))
    }
}
