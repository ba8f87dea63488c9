/// The permissions an ELF program header asks for (`elf.h`'s `ELF_PROG_FLAG_*`).
public struct SegmentFlags: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let executable = SegmentFlags(rawValue: 1)
    public static let writable = SegmentFlags(rawValue: 2)
    public static let readable = SegmentFlags(rawValue: 4)
}

/// One loadable segment (`struct proghdr` with type ELF_PROG_LOAD): `fileSize` bytes from
/// `fileOffset` in the file, at `virtualAddress`, zero-filled up to `memorySize`.
public struct ProgramSegment: Hashable, Sendable, Codable {
    public var virtualAddress: UInt64
    public var memorySize: UInt64
    public var fileOffset: UInt64
    public var fileSize: UInt64
    public var flags: SegmentFlags

    public init(virtualAddress: UInt64, memorySize: UInt64, fileOffset: UInt64, fileSize: UInt64,
                flags: SegmentFlags)
    {
        self.virtualAddress = virtualAddress
        self.memorySize = memorySize
        self.fileOffset = fileOffset
        self.fileSize = fileSize
        self.flags = flags
    }
}

/// What `exec` reads from the executable once its ELF header has been checked: the
/// loadable segments, the file's bytes they come from, and the entry point. Opening the
/// file (`namei`, `ilock`, the log) is not modelled; it owns no memory.
public struct ProgramImage: Hashable, Sendable, Codable {
    public var segments: [ProgramSegment]
    public var file: [UInt8]
    public var entry: UInt64

    public init(segments: [ProgramSegment], file: [UInt8], entry: UInt64) {
        self.segments = segments
        self.file = file
        self.entry = entry
    }
}

/// What a successful `exec` leaves in the trapframe, and the new size.
public struct ExecResult: Hashable, Sendable, Codable {
    /// exec's return value, which becomes `a0`.
    public var argc: Int
    /// The user stack pointer, also `a1` (argv).
    public var stackPointer: UInt64
    /// `p->trapframe->epc`.
    public var entry: UInt64
    /// The new `p->sz`.
    public var size: UInt64
}
