import LadderCore
import LadderReport

/// A hand-built report shaped like a real run over an xv6-style tree: one finding of each
/// check (proc_pagetable's classic missing unmap, with its fix), a stale suppression, and
/// two files that could not be processed. Given out of order on purpose: renderers sort.
enum SampleReport {
    static func loc(_ file: String, _ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    static let missingUnmap = Finding(
        rule: .missingRelease,
        message: "mapping from mappages() is not released on this error path",
        function: "proc_pagetable",
        location: loc("kernel/proc.c", 215, 5),
        resource: ResourceInfo(kind: "mapping", handle: "pagetable", acquiredBy: "mappages",
                               acquiredAt: loc("kernel/proc.c", 204, 6)),
        path: [
            PathStep(location: loc("kernel/proc.c", 199, 6), message: "uvmcreate() succeeds"),
            PathStep(location: loc("kernel/proc.c", 204, 6), message: "mappages() succeeds"),
            PathStep(location: loc("kernel/proc.c", 212, 6), message: "mappages() fails"),
        ],
        fix: Fix(insertBefore: loc("kernel/proc.c", 214, 5), text: "uvmunmap(pagetable, TRAMPOLINE, 1, 0);\n",
                 edits: [TextEdit(file: "kernel/proc.c", start: TextPosition(line: 214, column: 1, offset: 6012),
                                  end: TextPosition(line: 214, column: 1, offset: 6012),
                                  replacement: "    uvmunmap(pagetable, TRAMPOLINE, 1, 0);\n")],
                 sourceDigest: "0123456789abcdef-9000"))

    static let kfreeWhileMapped = Finding(
        rule: .releaseOrder,
        message: "page 'mem' released by kfree() while mapping from mappages() still depends on it",
        function: "map_and_fill",
        location: loc("kernel/vm.c", 412, 5),
        resource: ResourceInfo(kind: "page", handle: "mem", acquiredBy: "kalloc", acquiredAt: loc("kernel/vm.c", 403, 12)),
        path: [
            PathStep(location: loc("kernel/vm.c", 403, 6), message: "kalloc() succeeds"),
            PathStep(location: loc("kernel/vm.c", 406, 6), message: "mappages() succeeds"),
            PathStep(location: loc("kernel/vm.c", 411, 6), message: "copyout() fails"),
            PathStep(location: loc("kernel/vm.c", 413, 5), message: "mapping from mappages() is released only here"),
        ])

    static let doubleKfree = Finding(
        rule: .doubleRelease,
        message: "page 'mem' from kalloc() is released twice",
        function: "load_page",
        location: loc("kernel/exec.c", 52, 3),
        resource: ResourceInfo(kind: "page", handle: "mem", acquiredBy: "kalloc", acquiredAt: loc("kernel/exec.c", 40, 12)),
        path: [
            PathStep(location: loc("kernel/exec.c", 40, 6), message: "kalloc() succeeds"),
            PathStep(location: loc("kernel/exec.c", 44, 6), message: "mappages() fails"),
            PathStep(location: loc("kernel/exec.c", 45, 5), message: "first released by kfree()"),
            PathStep(location: loc("kernel/exec.c", 46, 5), message: "jumps to 'fail'"),
            PathStep(location: loc("kernel/exec.c", 52, 3), message: "released again by kfree()"),
        ])

    static let unguardedKfree = Finding(
        rule: .releaseUnacquired,
        message: "kfree() releases 'pi', which is not held on this path",
        function: "pipealloc",
        location: loc("kernel/pipe.c", 52, 3),
        path: [
            PathStep(location: loc("kernel/pipe.c", 26, 6), message: "filealloc() fails"),
            PathStep(location: loc("kernel/pipe.c", 27, 5), message: "jumps to 'bad'"),
            PathStep(location: loc("kernel/pipe.c", 52, 3),
                     message: "'pi' is null here and kfree() does not accept null"),
        ],
        fingerprint: Fingerprint.make(function: "pipealloc", rule: .releaseUnacquired, kind: nil,
                                      acquiredBy: "kfree", handle: "pi"))

    static let staleSuppression = Finding(
        rule: .invalidSuppression,
        severity: .warning,
        message: "suppression of release-order matches no finding on this line or the next",
        function: "",
        location: loc("kernel/file.c", 88, 3),
        fingerprint: Fingerprint.make(function: "kernel/file.c", rule: .invalidSuppression, kind: nil,
                                      acquiredBy: nil, handle: nil,
                                      extra: "suppression of release-order matches no finding on this line or the next"))

    static let report = Report(
        findings: [unguardedKfree, kfreeWhileMapped, missingUnmap, staleSuppression, doubleKfree],
        errors: [
            ProcessingError(file: "kernel/ramdisk.c", line: 27, message: "expected ';' after expression"),
            ProcessingError(file: "kernel/virtio_disk.c", message: "cannot read file: no such file or directory"),
        ],
        stats: Stats(files: 23, functions: 195, seconds: 0.0941, parseSeconds: 0.0512,
                     lowerSeconds: 0.0207, analyseSeconds: 0.0222))

    static let options = RenderOptions(color: false, root: "/src/xv6", workingDirectory: "/src/xv6",
                                       toolVersion: "0.1.0")
}
