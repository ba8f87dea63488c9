#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's resource use, and its children's, from `getrusage`.
public enum ResourceUsage {
    /// The largest resident set the process has had so far, in bytes (`--stats`).
    public static var peakResidentBytes: UInt64 {
        #if canImport(Glibc)
        maxResident(__rusage_who_t(RUSAGE_SELF.rawValue)) ?? 0
        #else
        maxResident(RUSAGE_SELF) ?? 0
        #endif
    }

    /// The largest resident set of any child process that has ended and been waited for
    /// (file workers, once the run has stopped them and `WorkerReaper` has waited for them);
    /// nil when there was none. What it cannot tell apart: `getrusage` keeps the children of
    /// a process this one replaced with `exec` (a script that builds, then `exec ladder`), so
    /// such a child counts too.
    public static var largestChildResidentBytes: UInt64? {
        #if canImport(Glibc)
        let bytes = maxResident(__rusage_who_t(RUSAGE_CHILDREN.rawValue))
        #else
        let bytes = maxResident(RUSAGE_CHILDREN)
        #endif
        return bytes.flatMap { $0 > 0 ? $0 : nil }
    }

    #if canImport(Glibc)
    private typealias Who = __rusage_who_t
    #else
    private typealias Who = Int32
    #endif

    private static func maxResident(_ who: Who) -> UInt64? {
        var usage = rusage()
        guard getrusage(who, &usage) == 0 else { return nil }
        #if canImport(Darwin)
        return UInt64(usage.ru_maxrss)  // bytes on Darwin
        #else
        return UInt64(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #endif
    }
}
