/// Physical memory: one page-aligned block of host memory.
///
/// The block's host address is its physical address: byte `pa` of physical memory lives at
/// host address `pa`. So a PTE's PPN is a host page number, and C code compiled for the host
/// can follow a page table in this memory with plain pointer arithmetic, as xv6's kernel
/// does with its direct mapping. Everything outside `[base, end)` is not memory; touching it
/// is an error here and an access fault in the MMU.
///
/// RISC-V is little-endian, so words are stored little-endian whatever the host is.
public final class PhysicalMemory {
    /// xv6's `PHYSTOP - KERNBASE`: 128 MiB.
    public static let defaultSize: UInt64 = 128 << 20

    public let base: PhysicalAddress
    public let size: UInt64
    private let block: UnsafeMutableRawPointer

    /// Reserves `size` bytes (a positive multiple of the page size). The contents start
    /// unspecified, as RAM does; `FrameAllocator` junk-fills every frame it is given.
    public init(size: UInt64 = PhysicalMemory.defaultSize) throws(PhysicalMemoryError) {
        guard size > 0, size % Sv39.pageSize == 0, size <= UInt64(Int.max) else {
            throw .invalidSize(size)
        }
        guard let block = HostMemory.allocate(size: Int(size), alignment: Int(Sv39.pageSize)) else {
            throw .hostAllocationFailed(size)
        }
        self.block = block
        self.size = size
        self.base = PhysicalAddress(UInt64(UInt(bitPattern: block)))
    }

    deinit { HostMemory.release(block) }

    /// One past the last byte.
    public var end: PhysicalAddress { base.advanced(by: size) }

    public var frameCount: Int { Int(size / Sv39.pageSize) }

    /// True when every byte of `[address, address + length)` is memory.
    public func contains(_ address: PhysicalAddress, length: UInt64 = 1) -> Bool {
        guard address >= base else { return false }
        let offset = address.rawValue - base.rawValue
        return offset < size && length <= size - offset
    }

    /// The host pointer for `address`, checked to cover `length` bytes.
    public func pointer(to address: PhysicalAddress, length: UInt64 = 1) throws(PhysicalMemoryError)
        -> UnsafeMutableRawPointer
    {
        guard contains(address, length: length) else { throw .outOfRange(address, length: length) }
        return block + Int(address.rawValue - base.rawValue)
    }

    public func load64(at address: PhysicalAddress) throws(PhysicalMemoryError) -> UInt64 {
        guard address.rawValue % 8 == 0 else { throw .misaligned(address) }
        return UInt64(littleEndian: try pointer(to: address, length: 8).load(as: UInt64.self))
    }

    public func store64(_ value: UInt64, at address: PhysicalAddress) throws(PhysicalMemoryError) {
        guard address.rawValue % 8 == 0 else { throw .misaligned(address) }
        try pointer(to: address, length: 8).storeBytes(of: value.littleEndian, as: UInt64.self)
    }

    public func loadPTE(at address: PhysicalAddress) throws(PhysicalMemoryError) -> PageTableEntry {
        PageTableEntry(rawValue: try load64(at: address))
    }

    public func storePTE(_ entry: PageTableEntry, at address: PhysicalAddress) throws(PhysicalMemoryError) {
        try store64(entry.rawValue, at: address)
    }

    public func read(at address: PhysicalAddress, count: Int) throws(PhysicalMemoryError) -> [UInt8] {
        let source = try pointer(to: address, length: UInt64(count))
        return Array(UnsafeRawBufferPointer(start: source, count: count))
    }

    public func write(_ bytes: [UInt8], at address: PhysicalAddress) throws(PhysicalMemoryError) {
        let destination = try pointer(to: address, length: UInt64(bytes.count))
        bytes.withUnsafeBytes { source in
            guard let start = source.baseAddress else { return }
            destination.copyMemory(from: start, byteCount: source.count)
        }
    }

    /// xv6's `memset(pa, value, count)`.
    public func fill(_ address: PhysicalAddress, count: Int, with value: UInt8) throws(PhysicalMemoryError) {
        let destination = try pointer(to: address, length: UInt64(count))
        HostMemory.fill(destination, with: value, count: count)
    }

    /// xv6's `memmove(dst, src, count)` within physical memory.
    public func copy(from source: PhysicalAddress, to destination: PhysicalAddress, count: Int)
        throws(PhysicalMemoryError)
    {
        let from = try pointer(to: source, length: UInt64(count))
        let to = try pointer(to: destination, length: UInt64(count))
        to.copyMemory(from: from, byteCount: count)
    }
}
