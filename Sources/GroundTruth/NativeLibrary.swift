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

/// A loaded ground-truth library. It is loaded in this process only to read its scenarios
/// and to be inherited: its kernel code runs in forked children (`RunPool`), never here.
///
/// `@unchecked Sendable`, and safe: every stored property is a `let` set in `init`; the one
/// mutable thing reachable, `machine.plan`, is written only in a forked child's copy of the
/// process (`RunPool.start`), never in this one; and the handle is closed only in `deinit`,
/// when no thread can hold the library any more.
final class NativeLibrary: @unchecked Sendable {
    typealias RunFunction = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, Int32) -> Int32
    typealias CountFunction = @convention(c) () -> Int32
    typealias FieldFunction = @convention(c) (Int32, Int32) -> UnsafePointer<CChar>?
    typealias ReturnsFunction = @convention(c) (Int32) -> Int32
    typealias BaseFunction = @convention(c) () -> UInt64

    let path: String
    private let handle: UnsafeMutableRawPointer
    let runFunction: RunFunction
    let base: UInt64
    let scenarios: [ScenarioInfo]
    /// Functions ladder's scenarios do not run, with the reason (GT_NOT_HOSTED).
    let notHosted: [String: String]
    /// The machine every child starts from: booted once here, never used here, so each
    /// fork inherits it untouched.
    let machine: RunMachine

    /// Bytes of physical memory per run.
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
        var notHosted: [String: String] = [:]
        if let countPointer = dlsym(handle, "ladder_gt_not_hosted_count"), let fieldPointer = dlsym(handle, "ladder_gt_not_hosted_field") {
            let count = unsafeBitCast(countPointer, to: CountFunction.self)
            let field = unsafeBitCast(fieldPointer, to: FieldFunction.self)
            for i in 0..<count() {
                notHosted[field(i, 0).map { String(cString: $0) } ?? ""] = field(i, 1).map { String(cString: $0) } ?? ""
            }
        }
        self.notHosted = notHosted
        do {
            machine = try RunMachine(memorySize: Self.memorySize)
        } catch {
            throw .runtime("cannot boot a machine: \(error)")
        }
    }

    deinit { dlclose(handle) }

    /// Runs scenario `index` under `plan` in a child process and waits for it.
    func run(_ index: Int, plan: FaultPlan, timeLimit: Double = RunPool.defaultTimeLimit) throws(GroundTruthError) -> RawRun {
        var result: RawRun?
        try RunPool(parallel: 1, timeLimit: timeLimit).run([RunRequest(library: self, scenario: index, plan: plan)]) { _, raw in
            result = raw
            return []
        }
        return result!
    }
}

/// One machine for the runs of one library: Sv39 physical memory and xv6's allocator.
/// The C side reaches it through the context slot, in the child that runs the scenario;
/// the child sets and arms its own plan. This process boots it and never touches it again.
final class RunMachine {
    let memory: PhysicalMemory
    let allocator: FrameAllocator
    var plan: FaultPlan = .none

    init(memorySize: UInt64) throws {
        memory = try PhysicalMemory(size: memorySize)
        allocator = FrameAllocator(memory: memory)
        allocator.arm(.none)
    }

    fileprivate static func machine(_ ctx: UnsafeMutableRawPointer?) -> RunMachine {
        Unmanaged<RunMachine>.fromOpaque(ctx!).takeUnretainedValue()
    }

    /// The slots gt_runtime.c reads: context, kalloc, kfree, should_fail, is_live, window,
    /// the event pipe, memory base, memory size.
    func withSlots<R>(eventDescriptor: Int32, _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> R) -> R {
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
            m.allocator.arm(begin != 0 ? m.plan : .none)
        }
        slots[0] = Unmanaged.passUnretained(self).toOpaque()
        slots[1] = unsafeBitCast(kalloc, to: UnsafeMutableRawPointer.self)
        slots[2] = unsafeBitCast(kfree, to: UnsafeMutableRawPointer.self)
        slots[3] = unsafeBitCast(shouldFail, to: UnsafeMutableRawPointer.self)
        slots[4] = unsafeBitCast(isLive, to: UnsafeMutableRawPointer.self)
        slots[5] = unsafeBitCast(window, to: UnsafeMutableRawPointer.self)
        slots[6] = UnsafeMutableRawPointer(bitPattern: UInt(eventDescriptor))
        slots[7] = UnsafeMutableRawPointer(bitPattern: UInt(memory.base.rawValue))
        slots[8] = UnsafeMutableRawPointer(bitPattern: UInt(memory.size))
        return withExtendedLifetime(self) { body(slots) }
    }
}
