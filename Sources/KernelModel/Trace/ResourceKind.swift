/// The kinds of resource the modelled paths acquire, named as ladder's rule packs name them.
public enum ResourceKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// A physical frame from `kalloc()`, given back by `kfree()`.
    case page
    /// A page-table root from `uvmcreate()`, given back by `freewalk()`/`uvmfree()`.
    case pagetable
    /// A leaf PTE installed by `mappages()`, removed by `uvmunmap()`.
    case mapping
    /// A held `struct spinlock`, from `acquire()` to `release()`.
    case spinlock
    /// A proc-table slot in state USED, from `allocproc()` to `freeproc()`.
    case proc
}
