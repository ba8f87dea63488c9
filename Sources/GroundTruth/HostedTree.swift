import Foundation

/// An xv6-riscv tree as its users have it (a checkout with `kernel/`, or the kernel
/// directory itself), whose own files ground truth builds for the host against the shim
/// in `Resources/runtime/host`, with ladder's own scenarios. No harness file, no
/// `// ladder-rules:` line: what it needs is the tree's headers and the files below.
public struct HostedTree: Hashable, Sendable {
    /// The path as given.
    public var root: String
    /// The directory with vm.c, defs.h, riscv.h…
    public var kernel: String

    /// The files whose functions are judged, in this order, when the tree has them.
    public static let checkedFiles = ["vm.c", "kalloc.c", "proc.c", "exec.c", "pipe.c", "file.c", "sysfile.c",
                                      "fs.c", "log.c", "bio.c"]
    /// Files built with them because they call or are called by them, not judged: the
    /// string functions, system-call argument fetching, the process system calls.
    public static let supportFiles = ["string.c", "syscall.c", "sysproc.c"]
    /// Headers a tree must have to be built at all.
    static let requiredHeaders = ["types.h", "param.h", "riscv.h", "defs.h", "proc.h", "memlayout.h"]

    /// A tree at `path`: `path/kernel` or `path` itself holds vm.c and the headers.
    public static func detect(_ path: String) -> HostedTree? {
        for kernel in [UnitDiscovery.join(path, "kernel"), path] {
            let names = ["vm.c"] + requiredHeaders
            if names.allSatisfy({ FileManager.default.fileExists(atPath: UnitDiscovery.join(kernel, $0)) }) {
                return HostedTree(root: path, kernel: kernel)
            }
        }
        return nil
    }

    public var checked: [String] { present(Self.checkedFiles) }
    public var support: [String] { present(Self.supportFiles) }

    private func present(_ names: [String]) -> [String] {
        names.map { UnitDiscovery.join(kernel, $0) }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// Every header of the kernel directory (the overlay copies them all).
    var headers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: kernel)) ?? []).filter { $0.hasSuffix(".h") }.sorted()
    }
}

/// What the shim instruments in each file: definitions renamed gt_real_NAME in the
/// overlay's copy, the hook taking the name. Non-static ones are hooked in
/// gt_host_hooks.c; static ones (and whatever the file's tail needs) in the file's tail,
/// which is appended to the copy so that the file's statics are in reach.
enum HostHooks {
    static let hooks: [String: [String]] = [
        "vm.c": ["mappages", "uvmunmap", "uvmcreate", "uvmfree", "copyout", "copyin", "copyinstr"],
        "log.c": ["begin_op", "end_op"],
        "fs.c": ["iget", "idup", "iput", "ialloc", "iunlock"],
        "bio.c": ["brelse"],
        "file.c": ["filealloc", "filedup", "fileclose"],
        "sysfile.c": ["fdalloc"],
        "proc.c": ["allocproc", "freeproc"],
    ]
    /// Hooked in the file's tail (static in xv6).
    static let inTail: Set<String> = ["iget", "fdalloc", "allocproc", "freeproc"]
    static let tails: [String: String] = [
        "fs.c": "gt_tail_fs.c", "bio.c": "gt_tail_bio.c", "sysfile.c": "gt_tail_sysfile.c", "proc.c": "gt_tail_proc.c",
        "exec.c": "gt_tail_exec.c",
    ]
    /// Declarations for the tail's hooks, put before the file (its calls come before the
    /// tail). Kernel types are not known yet there: only what C allows undeclared.
    static let prototypes: [String: String] = [
        "iget": "struct inode *iget(unsigned int, unsigned int)",
        "fdalloc": "int fdalloc(struct file *)",
        "allocproc": "struct proc *allocproc(void)",
        "freeproc": "void freeproc(struct proc *)",
    ]
    static let forwardStructs = ["inode", "file", "proc"]
    /// kalloc.c's own kalloc and kfree: renamed everywhere in the file (its calls too: its
    /// freerange frees into its own pool), so that every other file's are the model's.
    static let renamedInFile: [String: [String]] = ["kalloc.c": ["kalloc", "kfree"]]
}
