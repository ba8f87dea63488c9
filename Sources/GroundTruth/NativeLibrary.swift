#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Sv39

/// A scenario a library declares (GT_SCENARIO in a harness).
public struct ScenarioInfo: Hashable, Sendable, Codable {
    public var function: String
    public var name: String
    public var setup: String
    public var call: String
    /// How the call reports failure: 0 void, 1 negative, 2 zero, 3 (uint64)-1.
    public var returns: Int
}

/// One event a run reported, as the C side sent it.
struct RawEvent: Sendable {
    enum Kind: Int32 {
        case acquire = 1, release, problem, panic, returned, frameAlloc, frameFree, phase, injected, name
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

/// What one run of one scenario under one plan recorded.
struct RawRun: Sendable {
    /// 0 ran to the end, 1 panicked, 3 the host faulted.
    var status: Int32
    var events: [RawEvent]
    /// The injector as the call window left it: what was counted and what fired.
    var injector: FaultInjector
    /// Frames still live after the teardown, with the offset stacks that took them.
    var leakedFrames: [(address: UInt64, stack: [UInt64])]
}

/// A loaded ground-truth library.
final class NativeLibrary {
    typealias RunFunction = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, Int32) -> Int32
    typealias CountFunction = @convention(c) () -> Int32
    typealias FieldFunction = @convention(c) (Int32, Int32) -> UnsafePointer<CChar>?
    typealias ReturnsFunction = @convention(c) (Int32) -> Int32
    typealias BaseFunction = @convention(c) () -> UInt64

    let path: String
    private let handle: UnsafeMutableRawPointer
    private let runFunction: RunFunction
    let base: UInt64
    let scenarios: [ScenarioInfo]

    /// Runs of every library in the process go one at a time: a run installs process-wide
    /// signal handlers (the crash guard in gt_runtime.c).
    private static let runLock = NSLock()

    /// Frames of physical memory per run: every run boots a fresh machine.
    static let memorySize: UInt64 = 1 << 20

    init(path: String) throws(GroundTruthError) {
        self.path = path
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .load(String(cString: dlerror()))
        }
        self.handle = handle
        func symbol<T>(_ name: String, as type: T.Type) throws(GroundTruthError) -> T {
            guard let pointer = dlsym(handle, name) else { throw .load("\(path) has no \(name)") }
            return unsafeBitCast(pointer, to: type)
        }
        runFunction = try symbol("ladder_gt_run", as: RunFunction.self)
        let count = try symbol("ladder_gt_scenario_count", as: CountFunction.self)
        let field = try symbol("ladder_gt_scenario_field", as: FieldFunction.self)
        let returns = try symbol("ladder_gt_scenario_returns", as: ReturnsFunction.self)
        base = try symbol("ladder_gt_base", as: BaseFunction.self)()
        guard base != 0 else { throw .load("cannot find where \(path) is loaded") }
        var scenarios: [ScenarioInfo] = []
        for i in 0..<count() {
            func text(_ f: Int32) -> String { field(i, f).map { String(cString: $0) } ?? "" }
            scenarios.append(ScenarioInfo(function: text(0), name: text(1), setup: text(2), call: text(3),
                                          returns: Int(returns(i))))
        }
        self.scenarios = scenarios
    }

    deinit { dlclose(handle) }

    /// Runs scenario `index` on a fresh machine under `plan`.
    func run(_ index: Int, plan: FaultPlan) throws(GroundTruthError) -> RawRun {
        let machine: RunMachine
        do {
            machine = try RunMachine(plan: plan, memorySize: Self.memorySize, base: base)
        } catch {
            throw .runtime("cannot boot a machine: \(error)")
        }
        Self.runLock.lock()
        let status = machine.withSlots { slots in runFunction(slots, Int32(index)) }
        Self.runLock.unlock()
        return machine.result(status: status)
    }
}

/// One machine for one run: Sv39 physical memory and xv6's allocator, the fault plan, and
/// the events the C side reports. The C side reaches it through the context slot.
final class RunMachine {
    let memory: PhysicalMemory
    let allocator: FrameAllocator
    let plan: FaultPlan
    let base: UInt64
    var events: [RawEvent] = []
    var callInjector = FaultInjector()
    /// The stack that took each live frame.
    var frameStacks: [UInt64: [UInt64]] = [:]

    init(plan: FaultPlan, memorySize: UInt64, base: UInt64) throws {
        memory = try PhysicalMemory(size: memorySize)
        allocator = FrameAllocator(memory: memory)
        allocator.arm(.none)
        self.plan = plan
        self.base = base
    }

    func result(status: Int32) -> RawRun {
        let leaked = allocator.liveFrames.keys.sorted().map { ($0.rawValue, frameStacks[$0.rawValue] ?? []) }
        return RawRun(status: status, events: events, injector: callInjector,
                      leakedFrames: status == 0 ? leaked : [])
    }

    fileprivate static func machine(_ ctx: UnsafeMutableRawPointer?) -> RunMachine {
        Unmanaged<RunMachine>.fromOpaque(ctx!).takeUnretainedValue()
    }

    /// The slots gt_runtime.c reads: context, kalloc, kfree, should_fail, is_live, window,
    /// event, memory base, memory size.
    func withSlots<R>(_ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> R) -> R {
        let slots = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 9)
        defer { slots.deallocate() }
        let kalloc: @convention(c) (UnsafeMutableRawPointer?) -> UInt64 = { ctx in
            RunMachine.machine(ctx).allocator.kalloc(site: "C")?.rawValue ?? 0
        }
        let kfree: @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Int32 = { ctx, pa in
            do {
                try RunMachine.machine(ctx).allocator.kfree(PhysicalAddress(pa), site: "C")
                return 0
            } catch let error as FrameAllocatorError {
                if case .doubleFree = error { return 1 }
                return 2
            } catch {
                return 2
            }
        }
        let shouldFail: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32 = { ctx, op in
            RunMachine.machine(ctx).allocator.shouldFail(operation: op.map { String(cString: $0) } ?? "?") ? 1 : 0
        }
        let isLive: @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Int32 = { ctx, pa in
            RunMachine.machine(ctx).allocator.isLive(PhysicalAddress(pa)) ? 1 : 0
        }
        let window: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Void = { ctx, begin in
            let m = RunMachine.machine(ctx)
            if begin != 0 {
                m.allocator.arm(m.plan)
            } else {
                m.callInjector = m.allocator.injector
                m.allocator.arm(.none)
            }
        }
        let event: @convention(c) (UnsafeMutableRawPointer?, Int32, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                                   UInt64, UInt64, UnsafePointer<CChar>?, UnsafePointer<UInt64>?, Int32) -> Void = {
            ctx, type, code, kind, name, handle, sub, detail, stack, depth in
            let m = RunMachine.machine(ctx)
            guard let kindOfEvent = RawEvent.Kind(rawValue: type) else { return }
            var frames: [UInt64] = []
            if let stack, depth > 0 {
                for i in 0..<Int(depth) where stack[i] >= m.base {
                    frames.append(stack[i] - m.base)
                }
            }
            func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
            switch kindOfEvent {
            case .frameAlloc where handle != 0: m.frameStacks[handle] = frames
            case .frameFree: m.frameStacks[handle] = nil
            default: break
            }
            m.events.append(RawEvent(type: kindOfEvent, code: code, kind: text(kind), name: text(name), handle: handle,
                                     sub: sub, detail: text(detail), stack: frames))
        }
        slots[0] = Unmanaged.passUnretained(self).toOpaque()
        slots[1] = unsafeBitCast(kalloc, to: UnsafeMutableRawPointer.self)
        slots[2] = unsafeBitCast(kfree, to: UnsafeMutableRawPointer.self)
        slots[3] = unsafeBitCast(shouldFail, to: UnsafeMutableRawPointer.self)
        slots[4] = unsafeBitCast(isLive, to: UnsafeMutableRawPointer.self)
        slots[5] = unsafeBitCast(window, to: UnsafeMutableRawPointer.self)
        slots[6] = unsafeBitCast(event, to: UnsafeMutableRawPointer.self)
        slots[7] = UnsafeMutableRawPointer(bitPattern: UInt(memory.base.rawValue))
        slots[8] = UnsafeMutableRawPointer(bitPattern: UInt(memory.size))
        return withExtendedLifetime(self) { body(slots) }
    }
}
