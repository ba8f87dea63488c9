/// What the analysis of one function needs to know before walking any path: which calls
/// matter, which values are worth tracking, which handles the function can acquire.
struct FunctionPrescan {
    /// The function as the analysis walks it (`AnalysisGraph.prepare`).
    let function: Function
    /// Every handle some acquisition in this function can produce: a release of one of
    /// these on a path that never acquired it is a wrong rung.
    var acquirable: Set<AcquirableHandle> { acquirableScan.value }
    private let acquirableScan: Memo<Set<AcquirableHandle>>
    /// Locals given one value in the whole body, with that value (`dev = &client->dev`):
    /// another name for it wherever the function reads them (`SummaryDerivation.singleValues`).
    var singleValues: [Variable: AccessPath] { singleValueScan.value }
    private let singleValueScan: Memo<[Variable: AccessPath]>
    /// Call positions numbered once, so resource ids are stable per site (a loop that
    /// acquires again acquires at the same site); by position, not source location, since
    /// a macro's calls all sit at its expansion.
    let siteIDs: [CallSite: Int]
    /// Keys some branch or return looks at: the only values worth knowing (fewer facts,
    /// fewer states).
    let relevant: Set<AccessPath>
    /// Collections (`argv[*]`) that some release in the function empties, in a loop.
    let releasedCollections: Set<AccessPath>
    /// For each block, the paths whose facts can still matter when it starts: a fact about
    /// a value no later branch, release or return reads only splits paths that would merge.
    let liveAtEntry: [LiveKeys]
    /// Bit keys of flag words in the objects the function returns (`BitFlags.returnedKeys`).
    let returnedBitKeys: Set<AccessPath>
    /// At each call during which other threads run (`RulePack.waits`, `retakes`), the
    /// shared memory the loop around it tests (`waitedOn`): forgotten there.
    let waitedOn: [CallSite: Set<AccessPath>]

    /// A cheap first look: does any call acquire, release or take over a resource?
    static func touchesResources(_ function: Function, _ calls: CallSemantics) -> Bool {
        ParameterHandOff.mayStoreParameter(function) || function.blocks.contains { block in
            block.statements.contains { statement in
                guard case .call(let call) = statement, let callee = call.callee else { return false }
                // A helper that returns holding something even when it fails hands it to the
                // callers that agree (`HeldThroughFailure`, `HandedToCaller`), which may have
                // nothing else: a static helper passing its callee's failure up.
                return calls.acquire(callee) != nil || calls.releases(callee) != nil || calls.transfers(callee) != nil
                    || calls.pack.lockQueries[callee] != nil || !calls.expectations(callee).isEmpty
                    || calls.summaries[callee]?.returnsHolding.contains(where: \.evenOnFailure) == true
                    || function.childWalks?.walk(call, pack: calls.pack) != nil
            }
        }
    }

    /// What one call names, worked out once from the pack's templates and shared by every
    /// question below (filling templates builds strings; the walk asks for these often).
    struct CallNames {
        /// Each acquired resource's kind and handle.
        var acquired: [(kind: ResourceKind, key: AccessPath)] = []
        /// Each release rule's handle (collective where a loop counter is inside it).
        var released: [AccessPath] = []
        /// Values the call reads besides its handles: range bounds, `do_free` flags, a
        /// predicate's argument.
        var reads: [AccessPath] = []
    }

    /// A call by its position: locations repeat (a macro's calls all sit at its expansion).
    struct CallSite: Hashable {
        var block: Int
        var index: Int
    }

    init(function original: Function, calls: CallSemantics) {
        let pack = calls.pack
        let function = AnalysisGraph.prepare(original, pack: pack)
        self.function = function

        // Locals stepped by a constant (`i++`, `--i`): loop counters. A handle that names a
        // counter inside it (`pci_irq_vector(pdev, i)`) is one of many, like `argv[i]`.
        var counters: Set<Variable> = []
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements {
                guard case .variable(let v) = target.kind, v.storage == .local,
                      case .binary(let op, let a, let b) = value.kind, op == .add || op == .sub,
                      a.path == target.path, b.constantValue != nil else { continue }
                counters.insert(v)
            }
        }

        self.counters = counters
        // Nesting acquisitions (`RulePack.nesting`) on a cycle of the graph: once held, taking
        // one again there only counts (`Transfer.nestsOnHeld`). And a helper's acquisition
        // into its argument's object there (`ResourceSpec.intoHeldObjectOnly`) is one object
        // per pass, which the caller does not take.
        var acquisitionsInLoops: Set<CallSite> = []
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee, let rule = calls.acquire(callee),
                      rule.resources.contains(where: { pack.nesting.contains($0.kind) || $0.intoHeldObjectOnly }) else { continue }
                if block.terminator.successors.contains(where: { function.reaches(from: $0, to: block.id) }) {
                    acquisitionsInLoops.insert(CallSite(block: block.id, index: index))
                }
            }
        }
        self.acquisitionsInLoops = acquisitionsInLoops
        // A pointer stepped with a counter stands for an element too (`SteppedPointers`).
        let stepped = SteppedPointers.aliases(in: function, counters: counters) { call in
            guard let callee = call.callee else { return [] }
            let templates = (calls.acquire(callee)?.resources.map(\.handle) ?? []) + (calls.releases(callee) ?? []).map(\.handle)
            return templates.compactMap { ElementIndex.slot(of: $0, result: call.result, arguments: call.arguments) }
        }
        let aliases = ElementIndex.aliases(in: function, counters: counters).merging(stepped) { own, _ in own }
        elementAliases = aliases
        elementAliasTests = Self.aliasTests(function, aliases: aliases)
        var elementCounters: Set<Variable> = []
        var ids: [CallSite: Int] = [:]
        var collectiveKeys: [AccessPath: AccessPath] = [:]
        var roots: Set<AccessPath> = []
        var names: [CallSite: CallNames] = [:]
        for block in function.blocks {
            for (position, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement else { continue }
                ids[CallSite(block: block.id, index: position)] = ids.count
                guard let callee = call.callee else { continue }
                var entry = CallNames()
                let fill = { (template: PathTemplate) -> AccessPath? in
                    template.path(result: call.result, arguments: call.arguments)
                }
                // A loop's element index is read where elements are acquired and released:
                // its value says which element (`ElementSpan`).
                let elementIndex = { (template: PathTemplate) in
                    guard let slot = ElementIndex.slot(of: template, result: call.result, arguments: call.arguments),
                          let index = ElementIndex.find(in: slot, counters: counters, aliases: aliases) else { return }
                    entry.reads.append(AccessPath(variable: index.counter))
                    elementCounters.insert(index.counter)
                }
                for spec in calls.acquire(callee)?.resources ?? [] {
                    guard let key = fill(spec.handle) else { continue }
                    entry.acquired.append((spec.kind, key))
                    elementIndex(spec.handle)
                }
                for rule in calls.releases(callee) ?? [] {
                    guard let key = fill(rule.handle) else { continue }
                    elementIndex(rule.handle)
                    let collective = Self.collective(key, counters: counters, aliases: aliases)
                    if collective != key { collectiveKeys[key] = collective }
                    entry.released.append(collective)
                    if case .whenArgumentNonZero(let i) = rule.freesContents, i < call.arguments.count {
                        entry.reads.append(call.arguments[i].path)
                    }
                    if let i = rule.noOpWhenZero, i < call.arguments.count { entry.reads.append(call.arguments[i].path) }
                    for i in rule.range?.arguments ?? [] where i < call.arguments.count { entry.reads.append(call.arguments[i].path) }
                }
                for (_, key) in entry.acquired {
                    let collective = Self.collective(key, counters: counters, aliases: aliases)
                    if collective != key { collectiveKeys[key] = collective }
                }
                for i in calls.acquire(callee)?.range?.arguments ?? [] where i < call.arguments.count {
                    entry.reads.append(call.arguments[i].path)
                }
                if let predicate = pack.predicates[callee], predicate.argument < call.arguments.count {
                    entry.reads.append(call.arguments[predicate.argument].path)
                }
                // A pure call's value is what an earlier call with the same arguments was
                // found to be (`static_branch_unlikely(&key)` tested twice).
                if pack.pure.contains(callee), call.result != nil { entry.reads.append(Transfer.pureName(call)) }
                // A bit operation reads the bit (`BitFlags`): its fact must live until the call.
                if pack.bits[callee] != nil, let (word, mask) = BitFlags.operands(call) { entry.reads.append(BitFlags.key(word, mask)) }
                for key in entry.acquired.map(\.key) + entry.released { roots.insert(key.rootPath) }
                names[CallSite(block: block.id, index: position)] = entry
            }
        }
        siteIDs = ids
        self.elementCounters = elementCounters
        // `while (i--)` and `while (--i)` lower alike: the step, then a test of `i`. Which
        // value the test saw is kept only in the step's text (`i--`, `--i`): `seesOld` says
        // so when the text does (`refineElements` reads the test that way, and both ways when
        // the text says neither). Keyed by the branch's location.
        var steppedTests: [SourceLocation: SteppedTest] = [:]
        for block in function.blocks {
            guard case .branch(_, _, _, let location) = block.terminator,
                  case .assign(let target, let value, let stepLocation)? = block.statements.last,
                  let v = target.path.variable, elementCounters.contains(v),
                  case .binary(let op, let a, let b) = value.kind, op == .add || op == .sub,
                  a.variable == v, let c = b.constantValue else { continue }
            // A step that is a statement of its own (`v--;` before `if (v > 0)`) lowers alike,
            // and that test sees the new value.
            let text = value.text.filter { !$0.isWhitespace }
            let inTest = stepLocation == location
            let seesOld: Bool? = !inTest ? false
                : text.hasSuffix("--") || text.hasSuffix("++") ? true
                : text.hasPrefix("--") || text.hasPrefix("++") ? false : nil
            steppedTests[location] = SteppedTest(counter: v, step: op == .add ? c : 0 &- c, seesOld: seesOld)
        }
        self.steppedTests = steppedTests
        sentinelExits = SentinelLoops.exits(function, counters: elementCounters, aliases: aliases)
        skipTestScan = Memo {
            SkipTests(function, counters: elementCounters) { call in
                guard let callee = call.callee else { return nil }
                return calls.acquire(callee)?.resources.lazy.compactMap { spec in
                    ElementIndex.slot(of: spec.handle, result: call.result, arguments: call.arguments).flatMap {
                        ElementIndex.find(in: $0, counters: elementCounters, aliases: aliases)
                    }
                }.first
            }
        }
        self.collectiveKeys = collectiveKeys
        // `dev = container_of(__mptr, …)` after `__mptr = kref`, the kernel's macro: what the
        // handle's root comes from is a root too, so its origin (a parameter) is followed.
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements {
                guard case .containerOf(let inner, _) = value.kind, roots.contains(target.path),
                      case .variable = inner.kind else { continue }
                roots.insert(inner.path)
            }
        }
        handleRoots = Self.readOutOfRoots(function, pack, roots)
        waitedOn = Self.waitedOn(function, pack)
        let callNames = names
        acquirableScan = Memo { Self.acquirable(function, calls, callNames) }
        singleValueScan = Memo { SummaryDerivation.singleValues(function, calls: calls) }
        let (found, collections) = Self.relevant(function, pack, names)
        releasedCollections = collections
        // Flag bits of a returned object are read by the exit, for the summary (`ReturnedBits`).
        returnedBitKeys = BitFlags.returnedKeys(function, calls: calls)
        relevant = found.union(returnedBitKeys)
        liveAtEntry = Self.liveness(function, names, relevant: relevant, returned: returnedBitKeys)
    }

    /// Backward liveness of fact keys over the CFG, to a fixed point. Keys are numbered and
    /// sets are bit vectors, and each block's effect is read off once, so the iteration
    /// only moves bits.
    static func liveness(_ function: Function, _ names: [CallSite: CallNames], relevant: Set<AccessPath>,
                         returned: Set<AccessPath> = []) -> [LiveKeys] {
        let numbering = LiveKeys.Numbering(relevant)
        let keys = numbering.keys
        guard !keys.isEmpty else { return Array(repeating: LiveKeys(numbering: numbering, bits: []), count: function.blocks.count) }
        let index = numbering.index
        let words = (keys.count + 63) / 64
        typealias Bits = [UInt64]
        func bit(_ key: AccessPath?) -> Int? { key.flatMap { index[$0] } }
        enum Op {
            case copy(target: Int?, values: [Int])
            case define(result: Int?, reads: [Int])
        }
        func reads(_ site: CallSite) -> [Int] {
            guard let entry = names[site] else { return [] }
            // A member an acquisition fills is read too, when it is tested anywhere: whether
            // it was empty before says the call fills in what its object lacked
            // (`Transfer.vacantMembers`).
            let filled = entry.acquired.lazy.map(\.1).filter { !$0.steps.isEmpty && !$0.isAddressOf }
            return (entry.released + entry.released.map(\.rootPath) + entry.reads + filled).compactMap(bit)
        }
        let ops: [[Op]] = function.blocks.map { block in
            block.statements.enumerated().reversed().map { position, statement in
                switch statement {
                // `e = e + 1` reads `e`'s value (`Transfer.evaluate`), which the sum's own key
                // does not name: without it `e` was dead before the store and lost its fact.
                case .assign(let target, let value, _): .copy(target: bit(target.path), values: Self.valueReads(value).compactMap(bit))
                case .call(let call):
                    .define(result: bit(call.result?.path), reads: reads(CallSite(block: block.id, index: position)))
                }
            }
        }
        let uses: [[Int]] = function.blocks.map { block in
            switch block.terminator {
            case .branch(let condition, _, _, _):
                var read = [bit(Transfer.constraint(condition)?.0)]
                if let (a, b) = Self.comparedWithParameter(condition) { read += [bit(a), bit(b)] }
                return read.compactMap { $0 }
            case .return(let value?, _): return [bit(value.path)].compactMap { $0 }
            default: return []
            }
        }
        let successors = function.blocks.map(\.terminator.successors)
        let returnedBits = returned.compactMap { index[$0] }
        let returns = function.blocks.map { if case .return = $0.terminator { true } else { false } }
        let count = function.blocks.count
        // Every block's bits in one buffer, `words` apart: an array of arrays retained and
        // bounds-checked each inner array at every read.
        var live = Bits(repeating: 0, count: words * count)
        var current = Bits(repeating: 0, count: words)
        live.withUnsafeMutableBufferPointer { live in
            current.withUnsafeMutableBufferPointer { current in
                func insert(_ i: Int) { current[i / 64] |= 1 << UInt64(i % 64) }
                func remove(_ i: Int) -> Bool {
                    let was = current[i / 64] & (1 << UInt64(i % 64)) != 0
                    current[i / 64] &= ~(1 << UInt64(i % 64))
                    return was
                }
                var changed = true
                while changed {
                    changed = false
                    for id in stride(from: count - 1, through: 0, by: -1) {
                        for w in 0..<words { current[w] = 0 }
                        for successor in successors[id] {
                            for w in 0..<words { current[w] |= live[successor * words + w] }
                        }
                        for use in uses[id] { insert(use) }
                        if returns[id] {
                            for i in returnedBits { insert(i) }
                        }
                        for op in ops[id] {
                            switch op {
                            case .copy(let target, let values):
                                if let target, remove(target) { for value in values { insert(value) } }
                            case .define(let result, let reads):
                                if let result { _ = remove(result) }
                                for r in reads { insert(r) }
                            }
                        }
                        for w in 0..<words where live[id * words + w] != current[w] {
                            live[id * words + w] = current[w]
                            changed = true
                        }
                    }
                }
            }
        }
        return (0..<count).map { LiveKeys(numbering: numbering, bits: Array(live[$0 * words..<($0 + 1) * words])) }
    }

    /// The keys whose facts a stored value's fact is made of: its own, and its operands'
    /// where `Transfer.evaluate` computes one (`!ret`, `e + 1`, `flags & BIT`).
    static func valueReads(_ value: Expr) -> [AccessPath] {
        switch value.kind {
        case .unary(_, let inner): [value.path, inner.path]
        case .binary(let op, let a, let b) where !op.isComparison: [value.path, a.path, b.path]
        default: [value.path]
        }
    }

    /// Only handles with no other source count: a variable that also takes values from
    /// elsewhere (`skb = buffer_info->skb`) may hold something acquired in another call, and
    /// a field (`hw->hw_addr = ioremap(…)`) is usually handed on where it is stored.
    static func acquirable(_ function: Function, _ calls: CallSemantics, _ names: [CallSite: CallNames]) -> Set<AcquirableHandle> {
        var otherSources: Set<AccessPath> = Set(function.parameters.map { AccessPath(variable: Variable($0.name, .parameter)) })
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _) where value.constantValue == nil:
                    otherSources.insert(target.path)
                case .call(let call):
                    if let result = call.result, let callee = call.callee, calls.acquire(callee) == nil {
                        otherSources.insert(result.path)
                    }
                default: break
                }
            }
        }
        var acquirable: Set<AcquirableHandle> = []
        for block in function.blocks {
            for (position, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee, let rule = calls.acquire(callee),
                      let entry = names[CallSite(block: block.id, index: position)] else { continue }
                if let result = call.result {
                    switch result.kind {
                    case .variable(let v) where v.storage == .local || v.storage == .temporary: break
                    case .index(let base, _) where base.rootVariable?.storage == .local: break
                    case .deref(let inner) where inner.variable?.storage == .parameter: break
                    default: continue
                    }
                    if otherSources.contains(result.path) { continue }
                }
                let start = rule.range?.resolve(call.arguments).absoluteStart
                for (kind, key) in entry.acquired {
                    acquirable.insert(AcquirableHandle(kind: kind, handle: key, start: nil))
                    if let start { acquirable.insert(AcquirableHandle(kind: kind, handle: key, start: start)) }
                }
            }
        }
        return acquirable
    }

    /// `pci_irq_vector(pdev, i)` with `i` a counter is `pci_irq_vector(pdev, [*])`: a
    /// collection. The root of a handle is left alone (`&p->lock` while `p` walks a table).
    static func collective(_ key: AccessPath, counters: Set<Variable>, aliases: [Variable: Expr] = [:]) -> AccessPath {
        var result = key
        // A local standing for an element is that element (`entry->vector` of `entry = &msix[v]`).
        if let root = key.rootVariable, let value = aliases[root] { result = key.rebased(on: value.path) }
        for counter in counters where result.mentions(counter) {
            result = result.substituting(counter, with: AccessPath(.anyElement))
        }
        return result
    }

    /// Locals stepped by a constant (`i++`, `--i`): loop counters.
    let counters: Set<Variable>
    /// Acquisitions of nesting kinds, and helpers' acquisitions into an argument's object
    /// (`ResourceSpec.intoHeldObjectOnly`), inside a loop.
    let acquisitionsInLoops: Set<CallSite>
    /// Counters that index an element some call acquires or releases (`bufs[i]`): their
    /// values and loop tests are tracked (`ElementSpan`).
    let elementCounters: Set<Variable>
    /// Locals that stand for one element (`ElementIndex.aliases`).
    let elementAliases: [Variable: Expr]
    /// Branches whose block last gave an element's local its element (`urb = pool[j]; if
    /// (!urb) continue;`): there a test of the local is a test of the element. Anywhere else
    /// the local may hold something another call gave it (`urb = lookup(port, j)`).
    let elementAliasTests: Set<SourceLocation>

    static func aliasTests(_ function: Function, aliases: [Variable: Expr]) -> Set<SourceLocation> {
        guard !aliases.isEmpty else { return [] }
        var tests: Set<SourceLocation> = []
        for block in function.blocks {
            guard case .branch(_, _, _, let location) = block.terminator else { continue }
            for (v, element) in aliases {
                let last = block.statements.last { statement in
                    switch statement {
                    case .assign(let target, _, _): target.path.variable == v
                    case .call(let call): call.result?.path.variable == v
                    }
                }
                if case .assign(_, let value, _)? = last, value == element { tests.insert(location) }
            }
        }
        return tests
    }
    /// Loop tests that stop at a table's first unused entry, with the truth that leaves the
    /// loop (`SentinelLoops`).
    let sentinelExits: [SourceLocation: Bool]
    /// Tests that skip an element both where it is acquired and where it is undone
    /// (`SkipTests`), worked out when a path first holds elements at a branch.
    var skipTests: SkipTests { skipTestScan.value }
    private let skipTestScan: Memo<SkipTests>
    /// Branches right after an element counter's step, with the step: see `refineElements`.
    let steppedTests: [SourceLocation: SteppedTest]

    /// A test right after its counter's step (`while (i--)`).
    struct SteppedTest {
        var counter: Variable
        var step: Int64
        /// The test saw the value before the step (`i--`), after it (`--i`), or unknown.
        var seesOld: Bool?
    }

    /// The collective name of each handle the function's calls can produce, worked out once.
    let collectiveKeys: [AccessPath: AccessPath]
    /// Roots some acquisition or release names a handle through: the only locals whose
    /// origins are worth following (others would only split paths).
    let handleRoots: Set<AccessPath>

    func collective(_ key: AccessPath) -> AccessPath { collectiveKeys[key] ?? key }

    /// `roots` and what they are read out of: `client = chip->client` after
    /// `chip = iio_priv(indio_dev)` after `indio_dev = data` (a managed action's body) names
    /// `&client->dev` from the parameter only if each local on the way keeps its origin.
    /// Not a local on a cycle of such reads (`next = seg->next; …; seg = next` walking a
    /// list), whose origin would grow by a step each time round.
    static func readOutOfRoots(_ function: Function, _ pack: RulePack, _ roots: Set<AccessPath>) -> Set<AccessPath> {
        var reads: [Variable: Set<Variable>] = [:]
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    if let t = target.path.variable, let source = readOutOf(value) { reads[t, default: []].insert(source) }
                case .call(let call) where call.callee.map(pack.derives.contains) == true:
                    if let t = call.result?.path.variable, let first = call.arguments.first, let source = readOutOf(first) {
                        reads[t, default: []].insert(source)
                    }
                default: break
                }
            }
        }
        guard !reads.isEmpty else { return roots }
        func onCycle(_ start: Variable) -> Bool {
            var seen: Set<Variable> = []
            var work = Array(reads[start] ?? [])
            while let v = work.popLast() {
                if v == start { return true }
                if seen.insert(v).inserted { work += reads[v] ?? [] }
            }
            return false
        }
        var result = roots
        var work = roots.compactMap(\.variable)
        while let v = work.popLast() {
            for source in reads[v] ?? [] where source.storage == .local || source.storage == .temporary {
                guard !result.contains(AccessPath(variable: source)), !onCycle(source) else { continue }
                result.insert(AccessPath(variable: source))
                work.append(source)
            }
        }
        return result
    }

    /// The local a value is read out of through members and dereferences (`chip` of
    /// `chip->client`, `*p`), or that it is (`ndev = data`).
    static func readOutOf(_ value: Expr) -> Variable? {
        switch value.kind {
        case .variable(let v): v
        case .member(let base, _, _), .deref(let base): readOutOf(base)
        default: nil
        }
    }

    /// `while (b->disk == 1) sleep(b, &lk);`, `while (!d->done) msleep(1);`: the test of a
    /// loop a waiting call is in reads memory another thread writes meanwhile, so the value
    /// stored before the loop (`b->disk = 1`) says nothing after the call. Without this the
    /// loop never ends on any path and what follows it is never judged. Only memory (a field,
    /// a dereference, a global), only the tests on a cycle through the call, and only waiting
    /// calls: a fact about a flag tested twice around an ordinary call still holds.
    static func waitedOn(_ function: Function, _ pack: RulePack) -> [CallSite: Set<AccessPath>] {
        var found: [CallSite: Set<AccessPath>] = [:]
        var predecessors: [BlockID: [BlockID]]?
        for block in function.blocks {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee,
                      pack.waits.contains(callee) || pack.retakes[callee] != nil else { continue }
                // The blocks on a cycle through this one: reached from it, and reaching it.
                let after = function.reachableBlocks(from: block.terminator.successors)
                guard after.contains(block.id) else { continue }
                if predecessors == nil {
                    var map: [BlockID: [BlockID]] = [:]
                    for b in function.blocks { for next in b.terminator.successors { map[next, default: []].append(b.id) } }
                    predecessors = map
                }
                var before: Set<BlockID> = [block.id]
                var stack = [block.id]
                while let id = stack.popLast() {
                    for p in predecessors?[id] ?? [] where before.insert(p).inserted { stack.append(p) }
                }
                var keys: Set<AccessPath> = []
                for id in after.intersection(before) {
                    guard case .branch(let condition, _, _, _) = function.blocks[id].terminator,
                          let (key, _, _) = Transfer.constraint(condition) else { continue }
                    let shared = !key.steps.isEmpty || key.rootVariable?.storage == .global
                    if shared { keys.insert(key) }
                }
                if !keys.isEmpty { found[CallSite(block: block.id, index: index)] = keys }
            }
        }
        return found
    }

    /// The two sides of a comparison of a local with a parameter (`i < n`).
    static func comparedWithParameter(_ condition: Expr) -> (AccessPath, AccessPath)? {
        guard case .binary(let op, let a, let b) = condition.kind, op.isComparison,
              let x = a.path.variable, let y = b.path.variable,
              (x.storage == .local && y.storage == .parameter) || (x.storage == .parameter && y.storage == .local) else { return nil }
        return (a.path, b.path)
    }

    static func relevant(_ function: Function, _ pack: RulePack, _ names: [CallSite: CallNames]) -> (Set<AccessPath>, Set<AccessPath>) {
        var relevant: Set<AccessPath> = []
        var releasedCollections: Set<AccessPath> = []
        for block in function.blocks {
            if case .branch(let condition, _, _, _) = block.terminator, let (key, _, _) = Transfer.constraint(condition) {
                relevant.insert(key)
                // `i < n` against a parameter: a side whose value the path knows turns the test
                // into one of the parameter (`Transfer.refine`), so both sides' values matter.
                // Only against a parameter: tracking every loop counter's first value made the
                // largest functions twice as costly for nothing.
                if let (a, b) = comparedWithParameter(condition) {
                    relevant.insert(a)
                    relevant.insert(b)
                }
            }
            // What is returned decides whether an exit is an error exit.
            if case .return(let value?, _) = block.terminator { relevant.insert(value.path) }
            for position in block.statements.indices {
                guard let entry = names[CallSite(block: block.id, index: position)] else { continue }
                relevant.formUnion(entry.reads)
                for key in entry.released {
                    relevant.insert(key)
                    relevant.insert(key.rootPath)
                    if key.isCollection { releasedCollections.insert(key) }
                }
            }
        }
        // Predicates and copies feed branches through temporaries: keep what flows in.
        var grew = true
        while grew {
            grew = false
            for block in function.blocks {
                for statement in block.statements {
                    switch statement {
                    case .assign(let target, let value, _) where relevant.contains(target.path):
                        if !relevant.contains(value.path) { relevant.insert(value.path); grew = true }
                        // `flag = !%1`: the operand's value decides the flag's (`Transfer.evaluate`).
                        var operands: [Expr] = []
                        switch value.kind {
                        case .unary(_, let inner): operands = [inner]
                        case .binary(let op, let a, let b) where !op.isComparison: operands = [a, b]
                        default: break
                        }
                        for operand in operands where operand.constantValue == nil && !relevant.contains(operand.path) {
                            relevant.insert(operand.path)
                            grew = true
                        }
                    case .call(let call):
                        guard let callee = call.callee, let result = call.result, relevant.contains(result.path),
                              let predicate = pack.predicates[callee], predicate.argument < call.arguments.count else { continue }
                        if !relevant.contains(call.arguments[predicate.argument].path) {
                            relevant.insert(call.arguments[predicate.argument].path)
                            grew = true
                        }
                    default: break
                    }
                }
            }
        }
        return (relevant.filter { !$0.isCollection }, releasedCollections)
    }
}

/// The fact keys live at one block's entry (`FunctionPrescan.liveness`), as bits over the
/// function's relevant keys: the walk asks whether a key is live at every block a path
/// enters, and a set per block cost more to build than the liveness itself.
struct LiveKeys {
    /// The relevant keys, numbered once per function and shared by every block's bits.
    final class Numbering {
        let keys: [AccessPath]
        let index: [AccessPath: Int]

        init(_ relevant: Set<AccessPath>) {
            keys = Array(relevant)
            index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        }
    }

    let numbering: Numbering
    let bits: [UInt64]

    var isEmpty: Bool { bits.allSatisfy { $0 == 0 } }

    func contains(_ key: AccessPath) -> Bool {
        guard let i = numbering.index[key] else { return false }
        return bits[i / 64] & (1 << UInt64(i % 64)) != 0
    }

    func contains(where predicate: (AccessPath) -> Bool) -> Bool {
        for (w, word) in bits.enumerated() {
            var rest = word
            while rest != 0 {
                if predicate(numbering.keys[w * 64 + rest.trailingZeroBitCount]) { return true }
                rest &= rest - 1
            }
        }
        return false
    }
}

/// A handle some acquisition in the function produces, with the absolute start of its
/// address range when the acquisition has one (`mappages(pt, TRAMPOLINE, …)`).
struct AcquirableHandle: Hashable {
    var kind: ResourceKind
    var handle: AccessPath
    var start: Int64?
}
