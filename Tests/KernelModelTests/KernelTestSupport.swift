import KernelModel
import Sv39
import Testing

/// A small machine (2 MiB, 4 proc slots): boots in well under a millisecond.
func bootKernel(_ configuration: KernelConfiguration = .small) throws -> Kernel {
    try Kernel(configuration: configuration)
}

/// After boot only the trampoline frame is live.
let framesAtBoot = 1

let pageSize = Sv39.pageSize

extension Kernel {
    /// The fault a user-mode access to `va` raises, or nil when it is allowed.
    func userFault(_ va: UInt64, _ access: AccessType, root: PhysicalAddress) -> TranslationFault? {
        do {
            _ = try mmu.translate(VirtualAddress(va), for: access, in: .user(root: root))
            return nil
        } catch {
            return error
        }
    }

    func supervisorTranslation(_ va: UInt64, _ access: AccessType, root: PhysicalAddress) throws(TranslationFault)
        -> Translation
    {
        try mmu.translate(VirtualAddress(va), for: access, in: .supervisor(root: root))
    }

    func userTranslation(_ va: UInt64, _ access: AccessType, root: PhysicalAddress) throws(TranslationFault)
        -> Translation
    {
        try mmu.translate(VirtualAddress(va), for: access, in: .user(root: root))
    }
}

/// The unwinding after an injected failure: the releases that follow it must be exactly
/// the reverse of the acquisitions still held when it struck.
func unwindingIsExactReverse(_ run: PathRun) -> Bool {
    let window = Array(run.events[run.callEvents])
    guard let failureIndex = window.firstIndex(where: { if case .failure = $0 { true } else { false } }) else {
        return false
    }
    var held: [Int] = []
    for event in window[..<failureIndex] {
        switch event {
        case .acquire(let instance, _): held.append(instance)
        case .release(let instance, _): held.removeAll { $0 == instance }
        case .failure: break
        }
    }
    let unwound = window[failureIndex...].compactMap { event -> Int? in
        if case .release(let instance, _) = event, held.contains(instance) { instance } else { nil }
    }
    let releasedAfterFailure = window[failureIndex...].filter { if case .release = $0 { true } else { false } }
    return unwound == held.reversed() && releasedAfterFailure.count == held.count
}

/// A program whose segments are `layout` (pages, gap before, flags), with recognisable bytes.
func program(_ layout: [(pages: UInt64, gap: UInt64, fileBytes: UInt64, flags: SegmentFlags)]) -> ProgramImage {
    var segments: [ProgramSegment] = []
    var cursor: UInt64 = 0
    var fileOffset: UInt64 = 0
    for part in layout {
        let va = Sv39.pageRoundUp(cursor) + part.gap * pageSize
        let memorySize = part.pages * pageSize
        let fileSize = min(part.fileBytes, memorySize)
        segments.append(ProgramSegment(virtualAddress: va, memorySize: memorySize, fileOffset: fileOffset,
                                       fileSize: fileSize, flags: part.flags))
        fileOffset += fileSize
        cursor = va + memorySize
    }
    let file = (0..<fileOffset).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    return ProgramImage(segments: segments, file: file, entry: segments.first?.virtualAddress ?? 0)
}
