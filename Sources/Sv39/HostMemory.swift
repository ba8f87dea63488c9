#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The two libc calls physical memory needs, kept in one place so the rest of the module
/// stays free of platform imports.
enum HostMemory {
    /// A `size`-byte block aligned to `alignment`, or nil when the host refuses.
    static func allocate(size: Int, alignment: Int) -> UnsafeMutableRawPointer? {
        var block: UnsafeMutableRawPointer?
        guard posix_memalign(&block, alignment, size) == 0 else { return nil }
        return block
    }

    static func release(_ block: UnsafeMutableRawPointer) {
        free(block)
    }

    /// `memset`: fast even in debug builds, where a Swift loop over 4 KiB per junk fill
    /// would dominate every test run.
    static func fill(_ destination: UnsafeMutableRawPointer, with value: UInt8, count: Int) {
        memset(destination, Int32(value), count)
    }
}
