/// The xv6 functions whose cleanup the model gives a reference for, named as in C.
public enum ModelledPath: String, CaseIterable, Hashable, Sendable, Codable {
    case uvmcreate
    case mappages
    case uvmalloc
    case uvmcopy
    case proc_pagetable
    case allocproc
    case fork
    case exec

    /// What the C function returns on failure (xv6's error convention).
    public var errorReturn: String {
        switch self {
        case .uvmcreate, .uvmalloc, .proc_pagetable, .allocproc: "0"
        case .mappages, .uvmcopy, .fork, .exec: "-1"
        }
    }

    /// What the C function returns on success.
    public var successReturn: String {
        switch self {
        case .uvmcreate, .proc_pagetable: "pagetable"
        case .mappages, .uvmcopy: "0"
        case .uvmalloc: "newsz"
        case .allocproc: "p (with p->lock held)"
        case .fork: "the child's pid"
        case .exec: "argc"
        }
    }
}
