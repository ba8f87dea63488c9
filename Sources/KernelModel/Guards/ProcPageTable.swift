import Sv39

/// What `proc_pagetable` builds: a table with the trampoline and the trapframe mapped,
/// both borrowed (their frames belong to the kernel and to the proc slot).
///
/// Swift destroys stored properties in declaration order, so they are declared in the
/// reverse of the order they are acquired: the trapframe mapping goes first, then the
/// trampoline mapping, then the table, which `freewalk` finds empty of leaves.
public struct ProcPageTable: ~Copyable {
    public var trapframeMapping: MappedRange
    public var trampolineMapping: MappedRange
    public var table: PageTable

    public var root: PhysicalAddress { table.root }
}
