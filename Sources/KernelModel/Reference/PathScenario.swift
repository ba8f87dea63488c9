/// One modelled path with the inputs and surroundings it runs in: what is set up before,
/// the call, and what is torn down after. Failure points are counted only inside the call.
public enum PathScenario: Hashable, Sendable, Codable {
    /// `uvmcreate()`.
    case uvmcreate
    /// `mappages` of `pages` borrowed pages at `va` in a fresh table; starting just below a
    /// 2 MiB boundary makes the second page need a new level-0 table.
    case mappages(va: UInt64, pages: Int)
    /// `uvmalloc` from `oldSize` (set up beforehand) to `newSize`.
    case uvmalloc(oldSize: UInt64, newSize: UInt64)
    /// `uvmcopy` of a `size`-byte image into a fresh table.
    case uvmcopy(size: UInt64)
    /// `proc_pagetable(p)` for a slot whose trapframe is allocated.
    case procPagetable
    /// `allocproc()` with the first `busySlots` slots in use by other processes.
    case allocproc(busySlots: Int)
    /// `fork()` of a process with `parentSize` bytes of memory.
    case fork(parentSize: UInt64)
    /// `exec` of `program` with `arguments` in a process that has `oldSize` bytes.
    case exec(program: ProgramImage, arguments: [String], oldSize: UInt64)

    public var path: ModelledPath {
        switch self {
        case .uvmcreate: .uvmcreate
        case .mappages: .mappages
        case .uvmalloc: .uvmalloc
        case .uvmcopy: .uvmcopy
        case .procPagetable: .proc_pagetable
        case .allocproc: .allocproc
        case .fork: .fork
        case .exec: .exec
        }
    }

    /// The call as C would write it.
    public var call: String {
        switch self {
        case .uvmcreate: "pagetable = uvmcreate()"
        case .mappages(let va, let pages):
            "mappages(pagetable, \(cAddress(va)), \(pages)*PGSIZE, pa, PTE_R|PTE_W)"
        case .uvmalloc(let oldSize, let newSize):
            "uvmalloc(pagetable, \(hex(oldSize)), \(hex(newSize)), PTE_W)"
        case .uvmcopy(let size): "uvmcopy(old, new, \(hex(size)))"
        case .procPagetable: "pagetable = proc_pagetable(p)"
        case .allocproc: "p = allocproc()"
        case .fork: "pid = fork()"
        case .exec(_, let arguments, _):
            "exec(path, {" + (arguments.map { "\"\($0)\"" } + ["0"]).joined(separator: ", ") + "})"
        }
    }

    /// What exists before the call.
    public var setup: String {
        switch self {
        case .uvmcreate: "nothing"
        case .mappages: "an empty page table"
        case .uvmalloc(let oldSize, _): "a page table with \(hex(oldSize)) bytes of user memory"
        case .uvmcopy(let size): "a parent table with \(hex(size)) bytes of user memory, and an empty child table"
        case .procPagetable: "proc slot 0 with its trapframe page"
        case .allocproc(let busy): busy == 0 ? "an empty proc table" : "proc slots 0..<\(busy) in use"
        case .fork(let size): "a parent process (slot 0) with \(hex(size)) bytes of user memory"
        case .exec(let program, _, let oldSize):
            "a process (slot 0) with \(hex(oldSize)) bytes of user memory; a program of \(program.segments.count) segment(s)"
        }
    }

    /// The reference's standard inputs: small, and shaped so that every kind of failure
    /// point each path has is reached.
    public static let standard: [PathScenario] = [
        .uvmcreate,
        .mappages(va: 0x1f_f000, pages: 2),
        .uvmalloc(oldSize: 0x1000, newSize: 0x3000),
        .uvmcopy(size: 0x2000),
        .procPagetable,
        .allocproc(busySlots: 0),
        .fork(parentSize: 0x2000),
        .exec(program: .standardExample, arguments: ["init"], oldSize: 0x1000),
    ]
}

extension ProgramImage {
    /// A text page (R-X) at 0 and a data segment (RW-) at 0x1000 whose last 0x800 bytes
    /// are bss: the shape of xv6's user programs.
    public static let standardExample = ProgramImage(
        segments: [
            ProgramSegment(virtualAddress: 0, memorySize: 0x1000, fileOffset: 0, fileSize: 0x1000,
                           flags: [.readable, .executable]),
            ProgramSegment(virtualAddress: 0x1000, memorySize: 0x1000, fileOffset: 0x1000, fileSize: 0x800,
                           flags: [.readable, .writable]),
        ],
        file: (0..<0x1800).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) },
        entry: 0)
}

func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
