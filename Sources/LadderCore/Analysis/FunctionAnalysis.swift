/// Explores every feasible path of one function's CFG, tracking the ordered set of held
/// resources and what is known about values, and hands what it observes to the checks.
/// States that are equal at a block merge, so loops reach a fixed point; a budget on
/// block visits bounds the rest, and running out is reported, never hidden.
public struct FunctionAnalysis {
    public let function: Function
    public let pack: RulePack
    public let checks: [any Check]
    public let budget: Int

    public init(function: Function, pack: RulePack, checks: [any Check] = Checks.all, budget: Int = 40_000) {
        self.function = function
        self.pack = pack
        self.checks = checks
        self.budget = budget
    }

    public struct Result: Sendable {
        public var findings: [Finding]
        public var error: ProcessingError?
        public var exits: [ExitRecord]
        public var errorExits: ErrorExits
        /// Path states explored (block visits): what the budget counts.
        public var states: Int = 0
    }

    /// One `return` reached on some path, with its state.
    public struct ExitRecord: Sendable {
        public var snapshot: ExitSnapshot
        public var value: ValueFact?
        /// Some acquisition or checked call failed on the way (for error-value inference).
        public var afterFailure: Bool
        public var parameterReleases: Set<ParameterRelease>
        /// Resources handed to the caller by the returned value.
        public var returned: [HeldResource]
        /// The caller's locks this path dropped and took again.
        public var retaken: [HeldResource]
    }

    struct WorkItem {
        var block: BlockID
        var state: PathState
        var steps: [PathStep]
        var sawFailure: Bool
    }

    struct VisitKey: Hashable {
        var block: BlockID
        var state: PathState
    }

    public func run() -> Result {
        // Checks that look at the whole function, not at path events.
        let whole = checks.flatMap { $0.inspect(function: function, pack: pack) }
        // Nothing acquired, released or handed on: no path can matter, so none is walked
        // (and a branchy function without resources cannot exhaust the budget).
        guard FunctionPrescan.touchesResources(function, pack) else {
            return Result(findings: whole, error: nil, exits: [], errorExits: ErrorExits(function: function, pack: pack, exits: []))
        }
        let transfer = Transfer(function: function, pack: pack)
        var collector = FindingCollector()
        collector.add(whole)
        var exits: [ExitRecord] = []
        var visited: Set<VisitKey> = []
        visited.reserveCapacity(4 * function.blocks.count)
        var queue = [WorkItem(block: function.entry, state: PathState(), steps: [], sawFailure: false)]
        var head = 0
        var visits = 0
        var exhausted = false

        while head < queue.count {
            let item = queue[head]
            head += 1
            // Facts nothing downstream reads are dropped, so paths that differ only in them merge.
            var entryState = item.state
            let live = transfer.scan.liveAtEntry[item.block]
            if entryState.facts.keys.contains(where: { !live.contains($0) }) {
                entryState.facts = entryState.facts.filter { live.contains($0.key) }
            }
            guard visited.insert(VisitKey(block: item.block, state: entryState)).inserted else { continue }
            visits += 1
            if visits > budget {
                exhausted = true
                break
            }
            var state = entryState
            var steps = item.steps
            var ended = false
            // The transfer's copy of the blocks sees through identity calls.
            let block = transfer.function.blocks[item.block]
            for (position, statement) in block.statements.enumerated() {
                var events: [AnalysisEvent] = []
                let site = FunctionPrescan.CallSite(block: item.block, index: position)
                let outcome = transfer.apply(statement, at: site, to: &state, steps: &steps, events: &events)
                for event in events { collector.add(inspect(event, steps: steps)) }
                // After a double or bogus release the kernel has panicked or corrupted its
                // state: what follows on this path would only repeat the same root cause.
                let corrupt = events.contains {
                    switch $0 {
                    case .releasedTwice, .releasedUnacquired: true
                    default: false
                    }
                }
                if outcome == .pathEnds || corrupt { ended = true; break }
            }
            if ended { continue }
            switch block.terminator {
            case .jump(let target, let via):
                if let via {
                    for i in state.held.indices { state.held[i].lastGoto = via.location }
                    steps.append(PathStep(location: via.location, message: "jumps to '\(via.label)'"))
                }
                queue.append(WorkItem(block: target, state: state, steps: steps, sawFailure: item.sawFailure))
            case .branch(let condition, let then, let otherwise, let location):
                for (target, truth) in [(then, true), (otherwise, false)] {
                    var edgeState = state
                    var edgeSteps = steps
                    var failed = item.sawFailure
                    guard transfer.refine(&edgeState, condition: condition, truth: truth, location: location,
                                          steps: &edgeSteps, sawFailure: &failed) else { continue }
                    queue.append(WorkItem(block: target, state: edgeState, steps: edgeSteps, sawFailure: failed))
                }
            case .return(let value, let location):
                for pending in state.pendingUnacquired {
                    let event = AnalysisEvent.releasedUnacquired(call: pending.call, handleText: pending.handleText, reason: .notYetAcquired)
                    collector.add(inspect(event, steps: steps))
                }
                exits.append(transfer.exit(state: state, value: value, location: location, steps: steps, afterFailure: item.sawFailure))
            case .unreachable:
                break
            }
            // Keep the queue's memory bounded on long runs.
            if head > 4096 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }

        let conventions = ErrorExits(function: function, pack: pack, exits: exits)
        for exit in exits where conventions.isError(exit) {
            collector.add(inspect(.errorExit(exit.snapshot), steps: exit.snapshot.steps))
        }
        collector.mergeLeaksThroughOneExit()
        let error = exhausted
            ? ProcessingError(file: function.location.file, line: function.location.line,
                              message: "function '\(function.name)' not fully analysed: more than \(budget) path states; findings for it may be incomplete")
            : nil
        return Result(findings: collector.findings, error: error, exits: exits, errorExits: conventions, states: visits)
    }

    func inspect(_ event: AnalysisEvent, steps: [PathStep]) -> [Finding] {
        let context = CheckContext(function: function, pack: pack, steps: steps)
        return checks.flatMap { $0.inspect(event, in: context) }
    }
}

/// Keeps the first finding for each rule, place and resource: several paths to the same
/// mistake are one finding.
struct FindingCollector {
    private(set) var findings: [Finding] = []
    private var seen: Set<String> = []

    /// A resource that leaks at one `return` from several `goto`s is one missing rung, not
    /// one bug per goto: keep the first (in source order) and list the other entries.
    mutating func mergeLeaksThroughOneExit() {
        var firstOf: [String: Int] = [:]
        var merged: [Finding] = []
        var extraEntries: [Int: [SourceLocation]] = [:]
        for finding in findings.sorted(by: { $0.location < $1.location }) {
            guard finding.rule == .missingRelease, let resource = finding.resource, let exit = finding.path.last?.location,
                  exit != finding.location else {
                merged.append(finding)
                continue
            }
            let key = "\(resource.kind)|\(resource.handle)|\(exit)"
            if let index = firstOf[key] {
                extraEntries[index, default: []].append(finding.location)
            } else {
                firstOf[key] = merged.count
                merged.append(finding)
            }
        }
        for (index, entries) in extraEntries {
            let lines = entries.map { String($0.line) }.joined(separator: ", ")
            merged[index].path.append(PathStep(location: entries[0],
                                               message: "the same leak is reached from the goto\(entries.count > 1 ? "s" : "") at line\(entries.count > 1 ? "s" : "") \(lines)"))
        }
        findings = merged
    }

    mutating func add(_ new: [Finding]) {
        for finding in new {
            // The same kind of resource under the same name, leaked or misreleased at the
            // same place, is one finding even when paths acquired it at different sites
            // (`pci_enable_device` on one branch, `pci_enable_device_mem` on the other).
            let resource = finding.resource.map { "\($0.kind)|\($0.handle)" } ?? finding.message
            let key = "\(finding.rule.rawValue)|\(finding.location)|\(resource)"
            if seen.insert(key).inserted { findings.append(finding) }
        }
    }
}
