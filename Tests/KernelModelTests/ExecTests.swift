import KernelModel
import Sv39
import Testing

@Suite("exec")
struct ExecTests {
    /// A process in slot 0 with `size` bytes of memory.
    func process(_ kernel: Kernel, size: UInt64) throws -> Proc {
        var process = kernel.release(try kernel.allocproc())
        try kernel.uvmalloc(&process.memory, to: size, extraPermissions: .writable)
        return process
    }

    @Test("exec loads each segment with its permissions, zero-fills bss, and leaves a guard page under the stack")
    func imageLayout() throws {
        let kernel = try bootKernel()
        var p = try process(kernel, size: 0x1000)
        let image = ProgramImage.standardExample
        let result = try kernel.exec(&p, image, arguments: ["init"])
        #expect(result.size == 0x4000 && p.size == 0x4000)
        #expect(result.entry == image.entry)

        // Text: the file's first page, executable, not writable.
        #expect(try kernel.copyin(root: p.root, from: 0, count: 0x1000) == Array(image.file[0..<0x1000]))
        #expect(kernel.userFault(0x10, .fetch, root: p.root) == nil)
        #expect(kernel.userFault(0x10, .store, root: p.root)?.cause == .storePageFault)
        // Data: 0x800 bytes from the file, then zeros; writable, not executable.
        #expect(try kernel.copyin(root: p.root, from: 0x1000, count: 0x800) == Array(image.file[0x1000..<0x1800]))
        #expect(try kernel.copyin(root: p.root, from: 0x1800, count: 0x800).allSatisfy { $0 == 0 })
        #expect(kernel.userFault(0x1000, .store, root: p.root) == nil)
        #expect(kernel.userFault(0x1000, .fetch, root: p.root)?.cause == .instructionPageFault)
        // Guard page: mapped, but not for the user.
        #expect(kernel.userFault(0x2000, .load, root: p.root)?.reason
            == .permissionDenied(level: 0, flags: [.valid, .readable, .writable]))
        #expect(throws: Never.self) { try kernel.supervisorTranslation(0x2000, .load, root: p.root) }
        // Stack.
        #expect(kernel.userFault(0x3FF8, .store, root: p.root) == nil)
        #expect(kernel.userFault(0x4000, .load, root: p.root)?.reason == .invalidEntry(level: 0))

        kernel.freeproc(try kernel.acquire(p))
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
        #expect(kernel.panics.isEmpty)
    }

    @Test("exec pushes the argument strings and a null-terminated argv array, 16-byte aligned, on the stack")
    func argumentsOnTheStack() throws {
        let kernel = try bootKernel()
        var p = try process(kernel, size: 0)
        let arguments = ["echo", "hello", "world"]
        let result = try kernel.exec(&p, .standardExample, arguments: arguments)
        #expect(result.argc == 3)
        #expect(result.stackPointer % 16 == 0)
        #expect(result.stackPointer >= result.size - pageSize)
        let table = try kernel.copyin(root: p.root, from: result.stackPointer, count: 8 * (arguments.count + 1))
        let pointers = (0...arguments.count).map { index in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(table[index * 8 + $1]) << (8 * UInt64($1)) }
        }
        #expect(pointers.last == 0)
        for (argument, pointer) in zip(arguments, pointers) {
            #expect(pointer % 16 == 0)
            let bytes = try kernel.copyin(root: p.root, from: pointer, count: argument.utf8.count + 1)
            #expect(bytes == Array(argument.utf8) + [0])
        }
        kernel.freeproc(try kernel.acquire(p))
    }

    @Test("a successful exec frees the old image and keeps the proc slot and trapframe")
    func oldImageFreed() throws {
        let kernel = try bootKernel()
        var p = try process(kernel, size: 0x3000)
        let oldRoot = p.root
        let trapframe = p.trapframe.address
        _ = try kernel.exec(&p, .standardExample, arguments: [])
        #expect(p.root != oldRoot)
        #expect(!kernel.allocator.isLive(oldRoot))
        #expect(try kernel.supervisorTranslation(XV6Layout.trapframe, .load, root: p.root).physicalAddress == trapframe)
        // Boot + trapframe + new table (root, two level-1, two level-0) + four user pages.
        #expect(kernel.allocator.liveFrameCount == framesAtBoot + 1 + 5 + 4)
        kernel.freeproc(try kernel.acquire(p))
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
    }

    @Test("exec rejects bad program headers after building the new table, and frees it",
          arguments: [
            ProgramSegment(virtualAddress: 0, memorySize: 0x100, fileOffset: 0, fileSize: 0x200, flags: []),
            ProgramSegment(virtualAddress: 0x10, memorySize: 0x100, fileOffset: 0, fileSize: 0, flags: []),
            ProgramSegment(virtualAddress: UInt64.max - 0xFFF, memorySize: 0x2000, fileOffset: 0, fileSize: 0, flags: []),
            ProgramSegment(virtualAddress: 0, memorySize: 0x1000, fileOffset: 0x10, fileSize: 0x1000, flags: []),
          ])
    func badSegments(segment: ProgramSegment) throws {
        let kernel = try bootKernel()
        var p = try process(kernel, size: 0x1000)
        let oldRoot = p.root
        let image = ProgramImage(segments: [segment], file: Array(repeating: 1, count: 0x200), entry: 0)
        #expect(throws: KernelError.self) { _ = try kernel.exec(&p, image, arguments: []) }
        #expect(p.root == oldRoot && p.size == 0x1000)
        #expect(kernel.userFault(0, .store, root: p.root) == nil, "the old image still works")
        kernel.freeproc(try kernel.acquire(p))
        #expect(kernel.allocator.liveFrameCount == framesAtBoot && kernel.panics.isEmpty)
    }

    @Test("exec fails on more than MAXARG arguments or arguments larger than the stack page")
    func argumentsThatDoNotFit() throws {
        let kernel = try bootKernel()
        var p = try process(kernel, size: 0)
        let many = Array(repeating: "x", count: XV6Layout.maxArguments + 1)
        #expect(throws: KernelError.argumentsDoNotFit) { _ = try kernel.exec(&p, .standardExample, arguments: many) }
        let huge = [String(repeating: "y", count: Int(pageSize))]
        #expect(throws: KernelError.argumentsDoNotFit) { _ = try kernel.exec(&p, .standardExample, arguments: huge) }
        kernel.freeproc(try kernel.acquire(p))
        #expect(kernel.allocator.liveFrameCount == framesAtBoot)
    }
}

extension ProgramSegment: CustomTestStringConvertible {
    public var testDescription: String {
        "vaddr 0x\(String(virtualAddress, radix: 16)) memsz 0x\(String(memorySize, radix: 16)) filesz 0x\(String(fileSize, radix: 16))"
    }
}
