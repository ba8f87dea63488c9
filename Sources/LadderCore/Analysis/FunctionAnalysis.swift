/// Explores every feasible path of one function's CFG, tracking the ordered set of held
/// resources and what is known about values, and hands what it observes to the checks.
/// States that are equal at a block merge, so loops reach a fixed point; a budget on
/// block visits bounds the rest, and running out is reported, never hidden.
public struct FunctionAnalysis {
    public let function: Function
    public let calls: CallSemantics
    public var pack: RulePack { calls.pack }
    public let checks: [any Check]
    public let budget: Int
    /// The fallback pass's own bound, in visits per block.
    public let fallbackVisitsPerBlock: Int
    /// What fixes are built against: the file's text, read once by whoever walks the file.
    public var sources = FixSources()

    public init(function: Function, calls: CallSemantics, checks: [any Check] = Checks.all, budget: Int = 40_000,
                fallbackVisitsPerBlock: Int = 64) {
        self.fallbackVisitsPerBlock = fallbackVisitsPerBlock
        self.function = function
        self.calls = calls
        self.checks = checks
        self.budget = budget
    }

    public struct Result: Sendable {
        public var findings: [Finding]
        public var error: ProcessingError?
        public var exits: [ExitRecord]
        public var errorExits: ErrorExits

        /// The returns that every walked path reaching them reaches as an error exit.
        public var errorReturnLocations: Set<SourceLocation> {
            var error: Set<SourceLocation> = []
            var other: Set<SourceLocation> = []
            for exit in exits {
                if errorExits.isError(exit) { error.insert(exit.snapshot.location) } else { other.insert(exit.snapshot.location) }
            }
            return error.subtracting(other)
        }
        /// Path states explored (block visits): what the budget counts.
        public var states: Int = 0
        /// The graph walked (`AnalysisGraph.prepare`); nil when no path was worth walking.
        public var graph: Function? = nil
        /// The path walk ran out of budget and the fallback pass covered the function: its
        /// findings beyond the walked paths are low confidence.
        public var pathInsensitive = false
        /// Leaks at non-error exits that are no leak if a caller agrees (`HeldForCaller`).
        public var heldForCallers: [PendingContract] = []
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
        /// Locks this path expects its caller to hold on entry.
        public var expected: Set<PathExpectation> = []
        /// Held resources named through memory that outlives the call (`Escape`): the
        /// caller's on a success exit, still to undo on an error exit.
        public var reachingCaller: Set<Int> = []
        /// Parameters this path handed on (`ParameterHandOff`).
        public var parameterHandOffs: Set<ParameterHandOff> = []
        /// Known flag bits of the returned object (`ReturnedBits`), by bit key.
        public var returnedBits: [AccessPath: Int64] = [:]
        /// The returned value was also stored, by a pack `stores` call, where the caller's
        /// objects keep it (`dev_set_drvdata(dev, cd)` before `return cd`).
        public var returnedAlsoStored = false
    }

    struct WorkItem {
        var block: BlockID
        var state: PathState
        var steps: [PathStep]
        var sawFailure: Bool
        /// The state's hash as `push` worked it out (`VisitKey`); nil once a join changed
        /// the state. Only the hash: a key holds a second copy of the state, and work items
        /// are copied often.
        var hash: Int? = nil
    }

    /// A block and the state a path enters it with, hashed once: the visited set looks each
    /// up and inserts it, and grows by rehashing all of them, and hashing a whole path state
    /// was a fifth of the walk.
    struct VisitKey: Hashable {
        let block: BlockID
        let state: PathState
        let hash: Int

        init(block: BlockID, state: PathState, hash: Int? = nil) {
            self.block = block
            self.state = state
            self.hash = hash ?? {
                var hasher = Hasher()
                hasher.combine(block)
                hasher.combine(state)
                return hasher.finalize()
            }()
        }

        static func == (a: VisitKey, b: VisitKey) -> Bool {
            a.hash == b.hash && a.block == b.block && a.state == b.state
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    public func run() -> Result {
        // Checks that look at the whole function, not at path events.
        let whole = checks.flatMap { $0.inspect(function: function, pack: pack) }
        // Nothing acquired, released or handed on: no path can matter, so none is walked
        // (and a branchy function without resources cannot exhaust the budget).
        guard FunctionPrescan.touchesResources(function, calls) else {
            return Result(findings: whole, error: nil, exits: [], errorExits: ErrorExits(function: function, pack: pack, exits: []))
        }
        let transfer = Transfer(function: function, calls: calls)
        var collector = FindingCollector()
        collector.add(whole)
        var exits: [ExitRecord] = []
        var visited: Set<VisitKey> = []
        visited.reserveCapacity(4 * function.blocks.count)
        // Blocks are walked in reverse postorder, so the paths that meet at a block are all
        // waiting there when it is walked: those that differ only by a conditional
        // acquisition are joined into one (`PathState.heldIfJoin`), and a ladder of
        // optional resources costs paths linear in its length, not exponential.
        let order = transfer.function.reversePostorder
        var rank = Array(repeating: Int.max, count: function.blocks.count)
        for (i, b) in order.enumerated() { rank[b] = i }
        var ready = RankQueue(rank: rank)
        var waiting: [BlockID: [WorkItem]] = [:]
        func push(_ item: WorkItem) {
            var item = item
            // Facts nothing downstream reads are dropped, so paths that differ only in them merge.
            let live = transfer.scan.liveAtEntry[item.block]
            if item.state.facts.keys.contains(where: { !live.contains($0) }) {
                item.state.facts = item.state.facts.filter { live.contains($0.key) }
            }
            item.state.forgetUnnamedRecords(live: live)
            // A freed object stays of interest while a lock inside it may still be released.
            let named = { (h: AccessPath) in live.contains(h) || live.contains { ReleaseDependencies.lies($0, inside: h) } }
            if item.state.unheldReleases.contains(where: { !$0.handles.contains(where: named) }) {
                item.state.unheldReleases.removeAll { !$0.handles.contains(where: named) }
            }
            // A freed holder matters only while something named through it is held.
            if !item.state.freedHolders.isEmpty {
                item.state.freedHolders = item.state.freedHolders.filter { root in
                    item.state.held.contains { $0.handles.contains { $0.rootPath == root } }
                }
            }
            let key = VisitKey(block: item.block, state: item.state)
            if visited.contains(key) { return }
            item.hash = key.hash
            ready.insert(item.block)
            joinOrWait(item, in: &waiting[item.block, default: []])
        }
        // The two sides of one `if` arrive one after the other: joins are tried with the
        // last few waiting at the block, not all (a switch of 10,000 cases sends 10,000).
        func joinOrWait(_ item: WorkItem, in bucket: inout [WorkItem]) {
            for i in stride(from: bucket.count - 1, through: max(0, bucket.count - 8), by: -1) {
                if let joined = bucket[i].state.heldIfJoin(item.state) {
                    bucket[i].state = joined
                    bucket[i].hash = nil
                    return
                }
                if let joined = item.state.heldIfJoin(bucket[i].state) {
                    // Keep the history of the path that holds the resource: its notes explain it.
                    bucket[i] = WorkItem(block: item.block, state: joined, steps: item.steps, sawFailure: item.sawFailure)
                    return
                }
            }
            bucket.append(item)
        }
        var visits = 0
        var exhausted = false
        let staysInLoop = transfer.function.gotosWithinLoops
        push(WorkItem(block: function.entry, state: PathState(), steps: [], sawFailure: false))

        walk: while let next = ready.popFirst() {
            for item in waiting.removeValue(forKey: next) ?? [] {
                let entryState = item.state
                guard visited.insert(VisitKey(block: item.block, state: entryState, hash: item.hash)).inserted else { continue }
                visits += 1
                if visits > budget {
                    exhausted = true
                    break walk
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
                    for event in events { collector.add(inspect(event, steps: steps, against: collector)) }
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
                        // A goto that stays inside a loop (to the next iteration, a retry) is
                        // no rung: code after it may still release, so the leak is not certain there.
                        if !staysInLoop.contains(item.block) {
                            for i in state.held.indices where state.held[i].lostNames.isEmpty { state.held[i].lastGoto = via.location }
                        }
                        steps.append(PathStep(location: via.location, message: "jumps to '\(via.label)'"))
                    }
                    push(WorkItem(block: target, state: state, steps: steps, sawFailure: item.sawFailure))
                case .branch(let condition, let then, let otherwise, let location):
                    for (target, truth) in [(then, true), (otherwise, false)] {
                        var edgeState = state
                        var edgeSteps = steps
                        var failed = item.sawFailure
                        guard transfer.refine(&edgeState, condition: condition, truth: truth, location: location,
                                              steps: &edgeSteps, sawFailure: &failed) else { continue }
                        push(WorkItem(block: target, state: edgeState, steps: edgeSteps, sawFailure: failed))
                    }
                case .return(let value, let location):
                    for pending in state.pendingUnacquired where !pending.retakenLater {
                        let reason = pending.expectedBy.map(UnacquiredReason.calleeExpectsHeld) ?? .notYetAcquired
                        let event = AnalysisEvent.releasedUnacquired(call: pending.call, handleText: pending.handleText, reason: reason)
                        collector.add(inspect(event, steps: steps, against: collector))
                    }
                    exits.append(contentsOf: transfer.exits(state: state, value: value, location: location, steps: steps,
                                                            afterFailure: item.sawFailure))
                case .unreachable:
                    break
                }
            }
        }

        // Too many paths: what the walk found stands, and a path-insensitive pass over the
        // whole function looks for what the walk did not reach.
        var fallback: FallbackPass.Outcome?
        if exhausted { fallback = FallbackPass(transfer: transfer, visitsPerBlock: fallbackVisitsPerBlock).run() }
        let conventions = ErrorExits(function: function, pack: pack, exits: exits + (fallback?.exits ?? []))
        let others = exits.filter { !conventions.isError($0) }
        let escapes = EscapeAnalysis(transfer: transfer, nonErrorExits: others)
        var pending: [HeldForCaller: FindingCollector] = [:]
        // A lock a static helper returns holding even when it fails waits for its callers
        // at the error returns too (`HeldThroughFailure`).
        let errorExits = exits.filter { conventions.isError($0) }
        let throughFailure = HeldThroughFailure(function: function, escapes: escapes, successExits: others,
                                                errorExits: errorExits)
        // What a static helper leaves in its caller's objects on failure waits for its
        // callers too (`HandedToCaller`).
        let handedToCaller = HandedToCaller(transfer: transfer)
        for exit in exits where conventions.isError(exit) {
            var snapshot = transfer.keptForPartner(atErrorExit: exit.snapshot)
            for (lock, contract) in throughFailure.heldBack(at: exit) {
                snapshot.held.removeAll { $0.id == lock.id }
                var alone = snapshot
                alone.held = [lock]
                alone.pendingOrders = []
                pending[contract, default: FindingCollector()].add(inspect(.errorExit(alone), steps: alone.steps, against: pending[contract]))
            }
            for (resource, contract) in handedToCaller.heldBack(snapshot.held) {
                snapshot.held.removeAll { $0.id == resource.id }
                var alone = snapshot
                alone.held = [resource]
                alone.pendingOrders = []
                pending[contract, default: FindingCollector()].add(inspect(.errorExit(alone), steps: alone.steps, against: pending[contract]))
            }
            collector.add(inspect(.errorExit(snapshot), steps: exit.snapshot.steps, against: collector))
        }
        // Every other return: what did not escape leaks (`EscapeAnalysis`). The fallback
        // pass's joined states are left out here: "may be held" at a success exit is noise.
        // A function that returns a positive constant somewhere counts what it found.
        let countsFound = exits.contains { $0.value?.exact.map { $0 > 0 } == true }
        for exit in others {
            // What a switch turns on is its caller's to turn off (`ToggleFunctions`).
            let errors = conventions.shape == .signedInteger ? pack.convention.signed : nil
            // A module's init keeps what it set up until the module's exit; never a lock. A
            // void init that returns after a failed step cannot tell anyone it failed: it
            // set up nothing for the exit to find, and what it holds there is judged.
            let failedVoidInit = function.returnType.shape == .void && exit.afterFailure
            let keptForModule = { (r: HeldResource) in function.initSection == true && !failedVoidInit && !pack.locks.contains(r.kind) }
            // Kept by their kind's nature, at a return that is a success: a child the unit's
            // walks find and release later (`ChildWalks`), an installed handler, a
            // reservation or a device's state (`keptOnSuccess`). Only that kind: what it
            // needs or what needs it (a cookie, a class, a registration of the object) is
            // judged as ever, since undoing those needs a pointer. Not after a failure (a void
            // setup that stops, a probe that declines); not a `return 0` of a function that
            // returns a positive constant elsewhere (an ISA detect's 0 for "no chip here",
            // beside 1 for a chip found, is no success that meant to keep its ports); nor what
            // a callback whose partner in a table is in view (`open` and `release`) holds:
            // that partner is the one to free it (`PairedCallbacks`).
            let foundNothing = exit.value?.exact == 0 && countsFound
            let succeeded = !exit.afterFailure && !(exit.value?.exact.map { $0 < 0 } ?? false)
            let keptAsChild = succeeded ? function.childWalks?.kept ?? [] : []
            let keptByKind = succeeded && !foundNothing && function.partners?.pairedInTable != true ? pack.keptOnSuccess : []
            let leaks = escapes.leaks(at: exit).filter {
                !keptForModule($0) && !keptAsChild.contains($0.kind) && !keptByKind.contains($0.kind) && !transfer.toggles.keeps($0, returning: exit.value, named: exit.snapshot.returned?.path, errors: errors)
            }
            guard !leaks.isEmpty else { continue }
            var snapshot = exit.snapshot
            snapshot.held = leaks
            snapshot.alongside = exit.snapshot.held.filter { r in !leaks.contains { $0.id == r.id } }
            collector.add(inspect(.nonErrorExit(snapshot), steps: snapshot.steps, against: collector))
        }
        var keptForLater: Set<HeldForCaller> = []
        for exit in others {
            for (lock, unmarked) in escapes.heldForCallers(at: exit) {
                let contract = throughFailure.marked(unmarked)
                if !contract.callersRelease && escapes.keptForLater(lock) { keptForLater.insert(contract) }
                var snapshot = exit.snapshot
                snapshot.held = [lock]
                pending[contract, default: FindingCollector()].add(inspect(.nonErrorExit(snapshot), steps: snapshot.steps, against: pending[contract]))
            }
        }
        for exit in fallback?.exits ?? [] where conventions.isError(exit) {
            let found = inspect(.errorExit(transfer.keptForPartner(atErrorExit: exit.snapshot)), steps: exit.snapshot.steps,
                                against: collector, ceiling: .low)
                .filter { $0.rule == .missingRelease }
            collector.add(found.map { finding in
                var low = finding
                low.confidence = .low
                return low
            })
        }
        collector.mergeLeaksThroughOneExit()
        // A return the walk already reports for the same resource (an error exit the other
        // paths reach too) needs no second finding there once the callers are known.
        let reported = Set(collector.findings.map(\.identity))
        for contract in pending.keys {
            pending[contract]?.mergeLeaksThroughOneExit()
            pending[contract]?.removeAll { reported.contains($0.identity) }
        }
        var error: ProcessingError?
        if exhausted && fallback?.converged != true {
            error = ProcessingError(file: function.location.file, line: function.location.line,
                                    message: "function '\(function.name)' not analysed: more than \(budget) path states, and the path-insensitive pass did not settle; findings for it may be incomplete")
        }
        return Result(findings: collector.findings, error: error, exits: exits, errorExits: conventions, states: visits,
                      graph: transfer.function, pathInsensitive: fallback?.converged == true,
                      heldForCallers: pending.keys.sorted().map { contract in
                          PendingContract(contract: contract, findings: pending[contract]!.findings,
                                          failsWithout: failsWithout(contract, errorExits: errorExits, successExits: others,
                                                                     escapes: escapes),
                                          keptForLater: keptForLater.contains(contract))
                      })
    }

    /// Whether the function can fail without the contract's lock: some error return does not
    /// hold it, or a call that can fail took it (`pm_runtime_resume_and_get`, whose failed
    /// branch the exits may not show apart when its result is returned as it is).
    /// Never for a kind the pack says no one keeps (`RulePack.neverKept`): no framework asks
    /// a callback for one of those, whatever its failures drop.
    private func failsWithout(_ contract: HeldForCaller, errorExits: [ExitRecord], successExits: [ExitRecord],
                              escapes: EscapeAnalysis) -> Bool {
        // A resource left to the callers on failure (`HandedToCaller`) is no acquisition a
        // framework asked a callback for: a callback's error returns holding it are leaks.
        guard !pack.neverKept.contains(contract.kind), !contract.callersRelease else { return false }
        let same: ((HeldResource, HeldForCaller)) -> Bool = { $0.1.kind == contract.kind && $0.1.lock == contract.lock }
        if errorExits.contains(where: { !escapes.heldForCallers(at: $0).contains(where: same) }) { return true }
        return successExits.contains { exit in
            escapes.heldForCallers(at: exit).contains { held in
                same(held) && calls.acquire(held.0.acquiredBy).map { $0.success != SignSet.always } == true
            }
        }
    }

    /// `against`: the findings kept so far, whose duplicates need no fix; `ceiling`: the
    /// most confidence the caller gives what is found.
    func inspect(_ event: AnalysisEvent, steps: [PathStep], against kept: FindingCollector? = nil,
                 ceiling: Confidence = .high) -> [Finding] {
        // A path that exists only if a call changed what the analysis assumed unchanged
        // (`PathState.unchecked`, noted on the path) proves no more than `medium`.
        let assumed = steps.contains(where: { $0.message == Transfer.assumptionNote })
        var context = CheckContext(function: function, pack: pack, steps: steps, sources: sources)
        if let kept {
            context.kept = kept.confidences
            context.ceiling = assumed ? min(ceiling, .medium) : ceiling
        }
        let found = checks.flatMap { $0.inspect(event, in: context) }
        guard assumed else { return found }
        return found.map { finding in
            var lowered = finding
            lowered.confidence = min(finding.confidence, .medium)
            return lowered
        }
    }
}

extension Finding {
    /// Rule, place and resource: what `FindingCollector` keeps one finding for.
    var identity: String {
        "\(rule.rawValue)|\(location)|" + (resource.map { "\($0.kind)|\($0.handle)" } ?? message)
    }
}

/// Keeps the first finding for each rule, place and resource: several paths to the same
/// mistake are one finding.
struct FindingCollector {
    private(set) var findings: [Finding] = []
    /// The confidence kept for each identity.
    private(set) var confidences: [String: Confidence] = [:]

    /// A resource that leaks at one `return` from several `goto`s is one missing rung, not
    /// one bug per goto: keep the first (in source order) and list the other entries.
    ///
    /// When a path also reaches that return without a `goto` (the fall-through into a shared
    /// `out:` label of a `void` function or an interrupt handler), the finding at the return
    /// itself is the one kept: a release placed there covers every path, one at a goto does not.
    mutating func mergeLeaksThroughOneExit() {
        func key(_ finding: Finding) -> String? {
            guard finding.rule == .missingRelease, let resource = finding.resource, let exit = finding.path.last?.location else { return nil }
            return "\(resource.kind)|\(resource.handle)|\(exit)"
        }
        let atTheReturn = Set(findings.compactMap { $0.path.last?.location == $0.location ? key($0) : nil })
        var firstOf: [String: Int] = [:]
        var merged: [Finding] = []
        var extraEntries: [Int: [SourceLocation]] = [:]
        var toTheReturn: [String: [Finding]] = [:]
        for finding in findings.sorted(by: { $0.location < $1.location }) {
            guard let key = key(finding), finding.path.last?.location != finding.location else {
                if let key = key(finding) { firstOf[key] = merged.count }
                merged.append(finding)
                continue
            }
            if atTheReturn.contains(key) {
                toTheReturn[key, default: []].append(finding)
            } else if let index = firstOf[key] {
                extraEntries[index, default: []].append(finding.location)
            } else {
                firstOf[key] = merged.count
                merged.append(finding)
            }
        }
        for (key, gotos) in toTheReturn {
            guard let index = firstOf[key] else { continue }
            extraEntries[index, default: []].append(contentsOf: gotos.map(\.location))
            merged[index].confidence = max(merged[index].confidence, gotos.map(\.confidence).max() ?? merged[index].confidence)
        }
        for (index, entries) in extraEntries {
            let lines = entries.map { String($0.line) }.joined(separator: ", ")
            merged[index].path.append(PathStep(location: entries[0],
                                               message: "the same leak is reached from the goto\(entries.count > 1 ? "s" : "") at line\(entries.count > 1 ? "s" : "") \(lines)"))
        }
        findings = merged
    }

    mutating func removeAll(where drop: (Finding) -> Bool) {
        findings.removeAll(where: drop)
    }

    mutating func add(_ new: [Finding]) {
        for finding in new {
            // The same kind of resource under the same name, leaked or misreleased at the
            // same place, is one finding even when paths acquired it at different sites
            // (`pci_enable_device` on one branch, `pci_enable_device_mem` on the other).
            let key = finding.identity
            guard let kept = confidences[key] else {
                confidences[key] = finding.confidence
                findings.append(finding)
                continue
            }
            if kept < finding.confidence, let i = findings.firstIndex(where: { $0.identity == key }) {
                // The same finding on a path that needs no assumption: it stands at its own confidence.
                findings[i] = finding
                confidences[key] = finding.confidence
            }
        }
    }
}
