import Sv39

/// One event a run reported, as the C side sent it down the pipe.
struct RawEvent: Sendable {
    enum Kind: Int32 {
        case acquire = 1, release, problem, panic, returned, frameAlloc, frameFree, phase, injected, name
        case count, crash, block, end
    }

    var type: Kind
    var code: Int32
    var kind: String
    var name: String
    var handle: UInt64
    var sub: UInt64
    var detail: String
    /// Return addresses, innermost first, relative to the library's load address.
    var stack: [UInt64]
}

/// How a run ended: what the child said, or what the parent saw happen to it.
enum RunEnd: Hashable, Sendable {
    /// The scenario ran to its end (teardown and final check included).
    case ran
    /// The kernel panicked; the panic event has the message.
    case panicked
    /// A call would have blocked forever on one hart; the block event says which.
    case blocked
    /// The host faulted; the crash event says where.
    case crashed
    /// The child did not finish within the time limit and was killed.
    case timedOut(seconds: Double)
    /// The child ended without saying how (killed by a signal before its handler could
    /// report, or its pipe broke).
    case lost(String)
}

/// What one run of one scenario under one plan recorded.
struct RawRun: Sendable {
    var end: RunEnd
    var events: [RawEvent]
    /// The injector as the call window left it: what was counted and what fired, replayed
    /// from the counts the child sent.
    var injector: FaultInjector
    /// Frames taken from the call on (call and teardown) and still live when the run
    /// ended, with the offset stacks that took them. Empty unless the run ran to its end.
    var leakedFrames: [(address: UInt64, stack: [UInt64])]
}

/// Reads the records of gt_runtime.c's `gt_send`: nine 32-bit words (length, type, code,
/// three string lengths, stack depth, two pad), handle and sub (64-bit), the stack, then
/// the strings. Native byte order: the child is a fork of this process.
struct RecordDecoder {
    private(set) var events: [RawEvent] = []
    private(set) var injector: FaultInjector
    private(set) var endCode: Int32?
    private var buffer: [UInt8] = []
    private let base: UInt64
    private var phase: Int32 = 0
    /// Frames live now, with the stack that took them and whether the call or the
    /// teardown took them.
    private var frames: [UInt64: (stack: [UInt64], afterSetup: Bool)] = [:]
    private var frameOrder: [UInt64] = []

    init(plan: FaultPlan, base: UInt64) {
        injector = FaultInjector(plan: plan)
        self.base = base
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        var offset = 0
        while buffer.count - offset >= 52 {
            let total = Int(word(offset, 0))
            guard total >= 52, buffer.count - offset >= total else { break }
            decode(at: offset)
            offset += total
        }
        if offset > 0 { buffer.removeFirst(offset) }
    }

    private func word(_ offset: Int, _ index: Int) -> UInt32 {
        buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + index * 4, as: UInt32.self) }
    }

    private func quad(_ offset: Int) -> UInt64 {
        buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
    }

    private mutating func decode(at offset: Int) {
        let type = Int32(bitPattern: word(offset, 1))
        let code = Int32(bitPattern: word(offset, 2))
        let (kl, nl, dl, depth) = (Int(word(offset, 3)), Int(word(offset, 4)), Int(word(offset, 5)), Int(word(offset, 6)))
        let handle = quad(offset + 36)
        let sub = quad(offset + 44)
        var stack: [UInt64] = []
        var p = offset + 52
        for _ in 0..<depth {
            let address = quad(p)
            if address >= base { stack.append(address - base) }
            p += 8
        }
        func text(_ n: Int) -> String {
            defer { p += n }
            return String(decoding: buffer[p..<(p + n)], as: UTF8.self)
        }
        let kind = text(kl)
        let name = text(nl)
        let detail = text(dl)
        guard let eventKind = RawEvent.Kind(rawValue: type) else { return }
        switch eventKind {
        case .count:
            if detail == "kalloc" { _ = injector.nextAllocationFails() } else { _ = injector.nextCallFails(detail) }
            return
        case .end:
            endCode = code
            return
        case .phase:
            phase = code
        case .frameAlloc where handle != 0:
            if frames[handle] == nil { frameOrder.append(handle) }
            frames[handle] = (stack, phase != 0)
        case .frameFree:
            frames[handle] = nil
        default:
            break
        }
        events.append(RawEvent(type: eventKind, code: code, kind: kind, name: name, handle: handle, sub: sub,
                               detail: detail, stack: stack))
    }

    /// The run, once the child is gone: `end` as the parent saw it.
    func run(_ end: RunEnd) -> RawRun {
        let leaked: [(address: UInt64, stack: [UInt64])] = end == .ran
            ? frameOrder.compactMap { a in frames[a].flatMap { $0.afterSetup ? (a, $0.stack) : nil } }.sorted { $0.address < $1.address }
            : []
        return RawRun(end: end, events: events, injector: injector, leakedFrames: leaked)
    }
}
