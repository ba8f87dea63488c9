import Foundation
import LadderCore
import Sv39

/// Failure points that are named operations rather than allocations.
public enum FailurePoints {
    /// Operations that fail, in the real kernel, only when an allocation inside them does:
    /// `mappages` fails only when `walk` cannot allocate a level. Forcing one to fail where
    /// every level exists reaches a branch no allocation failure reaches (the second mapping
    /// of proc_pagetable, in xv6's layout). The other named operations (namei, readi,
    /// copyout, filealloc, …) fail on inputs a caller can supply, and are not forced.
    public static let forcedOperations: Set<String> = ["mappages"]

    public static func isForced(_ point: FailurePoint) -> Bool {
        if case .operation(let name, _) = point { return forcedOperations.contains(name) }
        return false
    }
}

/// Runs of one scenario: the clean one first, then one per failure point it reached.
struct ScenarioExploration: Sendable {
    var index: Int
    var scenario: ScenarioInfo
    var runs: [(point: FailurePoint?, raw: RawRun)]
}

enum Explorer {
    /// At most this many failure points per scenario.
    static let pointLimit = 500

    /// Every scenario of every library, each in its own child processes: the clean run,
    /// then one run per failure point the clean run reached. `parallel` children at once.
    static func explore(_ libraries: [NativeLibrary], parallel: Int, timeLimit: Double = RunPool.defaultTimeLimit,
                        only: Set<String> = []) throws(GroundTruthError) -> [[ScenarioExploration]]
    {
        var requests: [RunRequest] = []
        var slots: [(library: Int, scenario: Int)] = []
        for (l, library) in libraries.enumerated() {
            for s in library.scenarios.indices where only.isEmpty || only.contains(library.scenarios[s].function) {
                requests.append(RunRequest(library: library, scenario: s, plan: .none, tag: slots.count))
                slots.append((l, s))
            }
        }
        var runs = [[(point: FailurePoint?, raw: RawRun)]](repeating: [], count: slots.count)
        try RunPool(parallel: parallel, timeLimit: timeLimit).run(requests) { request, raw in
            let point = request.plan.points.first
            runs[request.tag].append((point, raw))
            guard point == nil else { return [] }
            return raw.injector.reachablePoints.prefix(pointLimit).map {
                RunRequest(library: request.library, scenario: request.scenario, plan: FaultPlan([$0]), tag: request.tag)
            }
        }
        var result = libraries.map { _ in [ScenarioExploration]() }
        for (tag, slot) in slots.enumerated() {
            // The clean run first, then the failure points in order, however the runs finished.
            let ordered = runs[tag].sorted { a, b in
                switch (a.point, b.point) {
                case (nil, _): true
                case (_, nil): false
                case (let x?, let y?): x < y
                }
            }
            result[slot.library].append(ScenarioExploration(index: slot.scenario,
                                                            scenario: libraries[slot.library].scenarios[slot.scenario],
                                                            runs: ordered))
        }
        return result
    }

    /// One scenario of one library, for tests.
    static func explore(_ library: NativeLibrary, scenario index: Int) throws(GroundTruthError) -> ScenarioExploration {
        var runs: [(point: FailurePoint?, raw: RawRun)] = []
        try RunPool(parallel: 1).run([RunRequest(library: library, scenario: index, plan: .none)]) { request, raw in
            runs.append((request.plan.points.first, raw))
            guard request.plan.points.isEmpty else { return [] }
            return raw.injector.reachablePoints.prefix(pointLimit).map {
                RunRequest(library: library, scenario: index, plan: FaultPlan([$0]))
            }
        }
        return ScenarioExploration(index: index, scenario: library.scenarios[index], runs: runs)
    }
}

/// One step of a run's resource trace inside the call, in the reference's vocabulary.
struct TraceStep: Hashable, Sendable {
    enum Action: String { case acquire = "+", release = "-", fail = "x" }
    var action: Action
    var kind: String
    var name: String
}

/// A run, judged.
struct ClassifiedRun {
    var point: RunPoint
    var failurePoint: FailurePoint?
    /// nil when the call never returned (a panic or crash inside it).
    var failed: Bool?
    var reached: Bool
    var problems: [DynamicProblem]
    var deliberatePanic: String?
    /// The call that would have blocked forever, when the run ended there.
    var wouldBlock: String?
    var steps: [TraceStep]
}

/// Reads runs: which problems they show, where, and their trace.
struct RunClassifier {
    let sites: [UInt64: CodeSite]
    /// Files whose frames are the harness's or the runtime's, not the kernel's.
    let supportPrefixes: [String]

    func isKernel(_ site: CodeSite) -> Bool {
        !site.function.hasPrefix("gt_") && !site.function.hasPrefix("ladder_gt")
            && !supportPrefixes.contains { site.file.hasPrefix($0) }
    }

    func kernelFrames(_ stack: [UInt64]) -> [CodeSite] {
        stack.compactMap { sites[$0] }.filter(isKernel)
    }

    /// The line of `function`'s own code in `stack` (a hook of the same name is not it).
    func line(in function: String, _ stack: [UInt64]) -> Int {
        kernelFrames(stack).first { $0.function == function }?.line ?? 0
    }

    func innermost(_ stack: [UInt64], besides function: String) -> String? {
        guard let first = kernelFrames(stack).first, first.function != function else { return nil }
        return first.function
    }

    static func problemClass(code: Int32, failed: Bool?) -> ProblemClass? {
        switch code {
        case 1: .doubleRelease
        case 2: .releaseUnheld
        case 3: .order
        case 4: .heldAtErrorExit
        case 5: failed == true ? .leak : .leakOnSuccess
        case 6: .nullPointer
        case 7: .deadlock
        case 8: .crash
        case 9: .heldAtReturn
        default: nil
        }
    }

    /// The kinds each call acquires, by the xv6 rule pack.
    static let packAcquires: [String: Set<String>] = {
        guard let pack = try? BuiltinPacks.load("xv6") else { return [:] }
        return pack.acquires.mapValues { Set($0.resources.map(\.kind.name)) }
    }()

    /// Frames a function allocates that belong to a page table, not to the function.
    static let tableAllocators: Set<String> = ["walk", "uvmcreate"]

    func classify(_ raw: RawRun, point: FailurePoint?, scenario: ScenarioInfo) -> ClassifiedRun {
        let function = scenario.function
        let runPoint = RunPoint(scenario: scenario.name, point: point)
        var failed: Bool?
        var problems: [DynamicProblem] = []
        var deliberate: String?
        var blocked: String?
        var acquireStacks: [String: [UInt64]] = [:]
        var names: [UInt64: String] = [:]
        var frameKinds: [UInt64: (table: Bool, allocator: String)] = [:]
        var inCall = false
        var returned = false
        var steps: [TraceStep] = []

        func make(_ problem: ProblemClass, kind: String, resource: String, detail: String, line: Int,
                  acquiredLine: Int, innermost: String?) -> DynamicProblem
        {
            DynamicProblem(problem: problem, kind: kind, resource: resource, detail: detail, line: line,
                           acquiredLine: acquiredLine, innermost: innermost,
                           inTeardown: returned && ![.heldAtErrorExit, .heldAtReturn, .leak, .leakOnSuccess].contains(problem),
                           runs: [runPoint])
        }

        for event in raw.events {
            let key = "\(event.kind)|\(event.handle)|\(event.sub)"
            switch event.type {
            case .phase:
                inCall = event.code == 1
            case .name:
                names[event.handle] = event.name
            case .acquire:
                acquireStacks[key] = event.stack
                if inCall, ["mapping", "pagetable"].contains(event.kind) {
                    steps.append(TraceStep(action: .acquire, kind: event.kind, name: event.name))
                }
            case .release:
                if inCall, ["mapping", "pagetable"].contains(event.kind) {
                    steps.append(TraceStep(action: .release, kind: event.kind, name: event.name))
                }
            case .frameAlloc:
                guard event.handle != 0 else { continue }
                let allocator = kernelFrames(event.stack).first?.function ?? ""
                let table = Self.tableAllocators.contains(allocator)
                frameKinds[event.handle] = (table, allocator)
                names[event.handle] = nil
                if inCall, !table {
                    steps.append(TraceStep(action: .acquire, kind: "page", name: "#\(event.handle)"))
                }
            case .frameFree:
                if inCall, let k = frameKinds[event.handle], !k.table {
                    steps.append(TraceStep(action: .release, kind: "page", name: "#\(event.handle)"))
                }
            case .injected:
                if inCall { steps.append(TraceStep(action: .fail, kind: "", name: event.detail)) }
            case .returned:
                failed = event.code == 1
                inCall = false
                returned = true
            case .problem:
                guard let problem = Self.problemClass(code: event.code, failed: failed) else { continue }
                // A lock the function returns holding is its acquisition when the pack says
                // taking it is what the function does (ilock, acquire, begin_op).
                if problem == .heldAtReturn, Self.packAcquires[function]?.contains(event.kind) == true { continue }
                var acquired = 0
                if problem == .heldAtErrorExit || problem == .leak || problem == .leakOnSuccess,
                   let stack = acquireStacks[key] {
                    acquired = line(in: function, stack)
                }
                problems.append(make(problem, kind: event.kind, resource: event.name, detail: event.detail,
                                     line: line(in: function, event.stack), acquiredLine: acquired,
                                     innermost: innermost(event.stack, besides: function)))
            case .crash where event.sub == 0:
                problems.append(make(.setupFailed, kind: "", resource: "", detail: "the scenario's setup faulted: \(event.detail)",
                                     line: 0, acquiredLine: 0, innermost: kernelFrames(event.stack).first?.function))
            case .block where event.code == 0:
                problems.append(make(.setupFailed, kind: "", resource: "", detail: "the scenario's setup would block: \(event.detail)",
                                     line: 0, acquiredLine: 0, innermost: kernelFrames(event.stack).first?.function))
            case .crash:
                inCall = false
                let address = event.handle
                let where_ = kernelFrames(event.stack).first.map { " in \($0.function)" + ($0.line > 0 ? " at line \($0.line)" : "") } ?? ""
                let detail = "the kernel path faulted: \(event.detail) at address 0x\(String(address, radix: 16))\(where_)"
                problems.append(make(address < 4096 ? .nullPointer : .crash, kind: "pointer", resource: "0x" + String(address, radix: 16),
                                     detail: detail, line: line(in: function, event.stack), acquiredLine: 0,
                                     innermost: innermost(event.stack, besides: function)))
            case .block:
                inCall = false
                // What would block, as the kernel's frames say: "sleep ← piperead".
                let chain = kernelFrames(event.stack).map(\.function).uniqued().prefix(3)
                blocked = chain.isEmpty ? event.detail : chain.joined(separator: " ← ")
            case .count, .end:
                break
            case .panic:
                inCall = false
                guard problems.isEmpty else { continue }
                if event.code == 0 {
                    problems.append(make(.setupFailed, kind: "", resource: "", detail: "the scenario's setup panicked: \(event.detail)",
                                         line: 0, acquiredLine: 0, innermost: kernelFrames(event.stack).first?.function))
                    continue
                }
                switch event.detail {
                case "freewalk: leaf":
                    problems.append(make(.freedWithMapping, kind: "mapping", resource: "a leaf",
                                         detail: "freewalk: leaf (a table freed with a mapping still in it)",
                                         line: line(in: function, event.stack), acquiredLine: 0,
                                         innermost: innermost(event.stack, besides: function)))
                case "mappages: remap":
                    problems.append(make(.remap, kind: "mapping", resource: "a leaf",
                                         detail: "mappages: remap (a mapping still there)",
                                         line: line(in: function, event.stack), acquiredLine: 0,
                                         innermost: innermost(event.stack, besides: function)))
                default:
                    deliberate = event.detail
                }
            }
        }

        switch raw.end {
        case .timedOut(let seconds):
            problems.append(make(.hang, kind: "", resource: "", detail: "the run did not end within \(Int(seconds)) s: a loop that never ends, or a wait nothing on one hart can end",
                                 line: 0, acquiredLine: 0, innermost: nil))
        case .lost(let why):
            problems.append(make(.crash, kind: "", resource: "", detail: why, line: 0, acquiredLine: 0, innermost: nil))
        case .ran, .panicked, .blocked, .crashed:
            break
        }

        // Frames still live after the teardown: leaked, one problem per kind and site.
        if problems.isEmpty && deliberate == nil && blocked == nil {
            var grouped: [String: DynamicProblem] = [:]
            var order: [String] = []
            for (address, stack) in raw.leakedFrames {
                let allocator = kernelFrames(stack).first?.function ?? ""
                let kind = Self.tableAllocators.contains(allocator) ? "pagetable" : "page"
                let acquired = line(in: function, stack)
                let problem: ProblemClass = failed == true ? .leak : .leakOnSuccess
                let k = "\(kind)|\(acquired)"
                if grouped[k] == nil {
                    order.append(k)
                    grouped[k] = make(problem, kind: kind, resource: names[address] ?? kind,
                                      detail: "frame still allocated after the teardown", line: 0,
                                      acquiredLine: acquired, innermost: allocator == function ? nil : allocator)
                }
            }
            problems = order.map { grouped[$0]! }
        }

        // One root cause per run: the first problem, or every resource found held at the
        // error exit when that is the first thing that went wrong.
        var primary: [DynamicProblem] = []
        if let first = problems.first {
            primary = first.problem == .heldAtErrorExit
                ? Array(problems.prefix { $0.problem == .heldAtErrorExit }) : [first]
        }

        // Name the frames in the trace (by the names the run gave them) for the reference.
        let namedSteps = steps.map { step -> TraceStep in
            guard step.kind == "page", step.name.hasPrefix("#"), let address = UInt64(step.name.dropFirst()) else {
                return step
            }
            var name = names[address] ?? ""
            if name.isEmpty, frameKinds[address]?.allocator == "allocproc" { name = "trapframe" }
            return TraceStep(action: step.action, kind: "page", name: name.isEmpty ? "page" : name)
        }

        return ClassifiedRun(point: runPoint, failurePoint: point, failed: failed,
                             reached: point.map { raw.injector.fired.contains($0) } ?? true,
                             problems: primary, deliberatePanic: deliberate, wouldBlock: blocked, steps: namedSteps)
    }
}
