import KernelModel
import PropertyBased
import Sv39
import Testing

/// Random sizes, segment layouts and failure points. Each check runs the scenario clean
/// to learn its failure points, then under one of them chosen by the generator.
@Suite("Kernel model properties")
struct KernelPropertyTests {
    /// Runs `scenario` clean and under the failure point `selector` picks; both must be clean.
    func check(_ scenario: PathScenario, selector: Int) throws {
        let runner = ScenarioRunner()
        let clean = try runner.run(scenario)
        #expect(clean.outcome == .succeeded, "\(scenario.call)")
        #expect(clean.problems.isEmpty, "\(scenario.call): \(clean.problems)")
        guard !clean.reachablePoints.isEmpty else { return }
        let point = clean.reachablePoints[selector % clean.reachablePoints.count]
        let failed = try runner.run(scenario, plan: FaultPlan([point]))
        #expect(failed.outcome.failed, "\(scenario.call) at \(point)")
        #expect(failed.problems.isEmpty, "\(scenario.call) at \(point): \(failed.problems)")
        #expect(unwindingIsExactReverse(failed), "\(scenario.call) at \(point)")
    }

    @Test("uvmalloc: any sizes, any failure point")
    func uvmallocSizes() async {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0...0x18000), Gen.uint64(in: 0...0x18000),
                            Gen.int(in: 0...1000)) { a, b, selector in
            try check(.uvmalloc(oldSize: min(a, b), newSize: max(a, b)), selector: selector)
        }
    }

    @Test("uvmcopy and fork: any size, any failure point")
    func copySizes() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...0x10000), Gen.int(in: 0...1000)) { size, selector in
            try check(.uvmcopy(size: size), selector: selector)
            try check(.fork(parentSize: size), selector: selector)
        }
    }

    @Test("exec: any segment layout and arguments, any failure point")
    func execLayouts() async {
        let segment = Gen.int(in: 0...0xFFFF).array(of: 1...3)
        let arguments = Gen.letterOrNumber.string(of: 0...12).array(of: 0...4)
        await propertyCheck(count: 60, input: segment, arguments, Gen.int(in: 0...1000)) {
            codes, arguments, selector in
            let image = program(codes.map(Self.segment(from:)))
            try check(.exec(program: image, arguments: arguments, oldSize: UInt64(codes[0] % 3) * pageSize),
                      selector: selector)
        }
    }

    @Test("exec: on success each segment holds its file bytes then zeros, with its permissions")
    func execLoadsLayouts() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...0xFFFF).array(of: 1...3)) { codes in
            let image = program(codes.map(Self.segment(from:)))
            let kernel = try bootKernel()
            var p = kernel.release(try kernel.allocproc())
            _ = try kernel.exec(&p, image, arguments: ["prog"])
            for segment in image.segments {
                let loaded = try kernel.copyin(root: p.root, from: segment.virtualAddress, count: Int(segment.memorySize))
                let fileBytes = Array(image.file[Int(segment.fileOffset)..<Int(segment.fileOffset + segment.fileSize)])
                #expect(Array(loaded.prefix(fileBytes.count)) == fileBytes)
                #expect(loaded.dropFirst(fileBytes.count).allSatisfy { $0 == 0 })
                let executable = kernel.userFault(segment.virtualAddress, .fetch, root: p.root) == nil
                #expect(executable == segment.flags.contains(.executable))
            }
            kernel.freeproc(try kernel.acquire(p))
            #expect(kernel.allocator.liveFrameCount == framesAtBoot && kernel.panics.isEmpty)
        }
    }

    /// Decodes one generated number into a segment: 1–3 pages, a gap of 0–2 pages before
    /// it, a file part of any length up to the whole segment, and W/X flags.
    static func segment(from code: Int) -> (pages: UInt64, gap: UInt64, fileBytes: UInt64, flags: SegmentFlags) {
        let pages = UInt64(code % 3) + 1
        let gap = UInt64((code / 3) % 3)
        let fileBytes = UInt64((code / 9) % 0x3000)
        var flags: SegmentFlags = [.readable]
        if code & 0x4000 != 0 { flags.insert(.executable) }
        if code & 0x8000 != 0 { flags.insert(.writable) }
        return (pages, gap, fileBytes, flags)
    }
}
