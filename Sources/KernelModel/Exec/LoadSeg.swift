import Sv39

extension Kernel {
    /// xv6's `loadseg(pagetable, va, ip, offset, sz)`: copies `size` bytes of the file at
    /// `offset` into the user memory at `va`, which `uvmalloc` has mapped. A file shorter
    /// than the segment says is `readi` coming up short; the named operation "loadseg"
    /// lets a fault plan make it so.
    func loadseg(root: PhysicalAddress, va: UInt64, file: [UInt8], offset: UInt64, size: UInt64)
        throws(KernelError)
    {
        enter("loadseg")
        defer { leave() }
        try checkInjection("loadseg")
        guard offset <= UInt64(file.count), size <= UInt64(file.count) - offset else {
            throw .invalidProgram("segment runs past the end of the file")
        }
        var done: UInt64 = 0
        while done < size {
            guard let frame = walkaddr(root: root, va + done) else {
                throw panic("loadseg: address should exist", cAddress(va + done))
            }
            let count = min(size - done, Sv39.pageSize)
            let start = Int(offset + done)
            do {
                try memory.write(Array(file[start..<start + Int(count)]), at: frame)
            } catch {
                preconditionFailure("loadseg wrote outside memory: \(error)")
            }
            done += count
        }
    }
}
