import Sv39

/// The machine a `Kernel` boots on. Tests use a few MiB of memory and a short process table
/// so that thousands of runs stay fast; the defaults are xv6's.
public struct KernelConfiguration: Hashable, Sendable, Codable {
    public var memorySize: UInt64
    public var processCount: Int
    /// xv6 runs on QEMU, which sets A and D itself, so Svadu is the default.
    public var accessedDirtyPolicy: AccessedDirtyPolicy

    public init(
        memorySize: UInt64 = PhysicalMemory.defaultSize,
        processCount: Int = XV6Layout.processCount,
        accessedDirtyPolicy: AccessedDirtyPolicy = .svadu
    ) {
        self.memorySize = memorySize
        self.processCount = processCount
        self.accessedDirtyPolicy = accessedDirtyPolicy
    }

    /// 512 KiB (128 frames) and 4 process slots: enough for every standard scenario and
    /// the property tests' largest. Boot cost is mostly the first touch of each frame, so
    /// small memory keeps thousands of runs fast.
    public static let small = KernelConfiguration(memorySize: 512 << 10, processCount: 4)
}
