/// A test that skips an element in the loop that acquires and again in the loop that undoes
/// it: `if (ahci_ignore_port(hpriv, i)) continue;` before `phy_init(hpriv->phys[i])`, and the
/// same test before `phy_exit(hpriv->phys[i])` in the `while (--i >= 0)` unwind
/// (libahci_platform); `if (IS_ERR_OR_NULL(comp->clks[i])) continue;` before enabling and
/// before disabling a clock (mtk-mdp3). An element the unwind skips that way is one the
/// acquiring loop skipped too: a hole in the span, not a held element left behind.
///
/// A test is read as its shape: the tested value (a call's result read through its
/// temporary, negations taken off) written with its counter as `#`, so `port_ignored(h, i)`
/// and `port_ignored(h, j)` are one test. It guards the element acquisitions that only the
/// edge of one truth leads to (every way from the entry to them takes that edge); the other
/// truth is the one that skips.
///
/// What it assumes: the test answers the same for an index both times. Drivers write the
/// unwind's test as a copy of the loop's precisely so, and what it reads (a port mask, the
/// clock table) is set up before the loop and not changed by it. A test whose counter sits
/// at another offset than the element's (`ignored(h, i - 1)` before `phys[i]`) is not read.
struct SkipTests: Sendable {
    /// One branch's test: its shape, the element it names, and whether the branch tests
    /// the shape's negation (`if (!enabled(h, i))`).
    struct Test: Sendable, Hashable {
        var shape: String
        var element: ElementBound
        var negated: Bool
    }

    struct Guard: Sendable, Hashable {
        var shape: String
        /// The truth of the shape on which the acquisitions are not reached.
        var skipsWhen: Bool
    }

    /// Every branch testing a shape, by the branch's location.
    let tests: [SourceLocation: Test]
    /// The acquisition sites each shape and skipping truth leaves out.
    let guarded: [Guard: Set<SourceLocation>]

    static let none = SkipTests(tests: [:], guarded: [:])

    /// The sites whose elements are not acquired where the test at `location` came out `truth`.
    func skipped(at location: SourceLocation, truth: Bool) -> (element: ElementBound, sites: Set<SourceLocation>)? {
        guard let test = tests[location],
              let sites = guarded[Guard(shape: test.shape, skipsWhen: truth != test.negated)] else { return nil }
        return (test.element, sites)
    }

    /// `acquiredIndex` names the element a call acquires, if it acquires one by a counter.
    init(_ function: Function, counters: Set<Variable>, acquiredIndex: (Call) -> ElementIndex?) {
        guard !counters.isEmpty else {
            self = .none
            return
        }
        var tests: [SourceLocation: Test] = [:]
        var branches: [(block: BlockID, then: BlockID, otherwise: BlockID, test: Test)] = []
        for block in function.blocks {
            guard case .branch(let condition, let then, let otherwise, let location) = block.terminator, then != otherwise,
                  let test = Self.test(condition, in: block, counters: counters) else { continue }
            tests[location] = test
            branches.append((block.id, then, otherwise, test))
        }
        var acquisitions: [(block: BlockID, site: SourceLocation, index: ElementIndex)] = []
        if !branches.isEmpty {
            for block in function.blocks {
                for case .call(let call) in block.statements {
                    if let index = acquiredIndex(call) { acquisitions.append((block.id, call.location, index)) }
                }
            }
        }
        var guarded: [Guard: Set<SourceLocation>] = [:]
        for branch in branches {
            guard case .current(let counter) = branch.test.element.base else { continue }
            for acquisition in acquisitions where acquisition.index.counter == counter
                && acquisition.index.offset == branch.test.element.offset {
                for (edge, truth) in [(branch.then, true), (branch.otherwise, false)] {
                    let avoided = function.firstReachable(from: [function.entry], following: { !($0 == branch.block && $1 == edge) }) {
                        $0 == acquisition.block
                    }
                    guard avoided == nil else { continue }
                    guarded[Guard(shape: branch.test.shape, skipsWhen: !truth != branch.test.negated), default: []]
                        .insert(acquisition.site)
                }
            }
        }
        self.tests = tests
        self.guarded = guarded
    }

    init(tests: [SourceLocation: Test], guarded: [Guard: Set<SourceLocation>]) {
        self.tests = tests
        self.guarded = guarded
    }

    /// The shape of a branch's condition: what it tests, through the temporary a call in
    /// the block left its result in, when exactly one counter appears in it at a readable
    /// offset.
    static func test(_ condition: Expr, in block: Block, counters: Set<Variable>) -> Test? {
        let (tested, count) = condition.underNegations
        let negated = count % 2 == 1
        var text = tested.text
        var operands = [tested]
        if case .variable(let temporary) = tested.kind, temporary.storage == .temporary {
            guard let call = block.lastCall(leaving: temporary), let callee = call.callee else { return nil }
            text = callee + "(" + call.arguments.map(\.text).joined(separator: ", ") + ")"
            operands = call.arguments
        }
        let named = counters.filter { counter in text.contains(token: counter.name) }
        guard named.count == 1, let counter = named.first else { return nil }
        let offsets = Set(operands.compactMap { operand -> Int64? in
            if let (v, offset) = ElementIndex.linear(operand, counters: [counter]), v == counter { return offset }
            return ElementIndex.find(in: operand, counters: [counter]).map(\.offset)
        })
        guard offsets.count == 1, let offset = offsets.first else { return nil }
        return Test(shape: text.replacing(token: counter.name, with: "#"), element: ElementBound(.current(counter), offset),
                    negated: negated)
    }
}

extension Block {
    /// The call that last gave `temporary` its value in this block: what a branch on a
    /// call's result (`if (IS_ERR(p))`, lowered `%1 = IS_ERR(p); branch %1`) tests.
    func lastCall(leaving temporary: Variable) -> Call? {
        let producer = statements.last { statement in
            if case .call(let call) = statement { call.result?.path.variable == temporary } else { false }
        }
        guard case .call(let call)? = producer else { return nil }
        return call
    }
}

private extension String {
    /// `name` appears as a whole identifier.
    func contains(token name: String) -> Bool {
        ranges(ofToken: name).isEmpty == false
    }

    func replacing(token name: String, with replacement: String) -> String {
        var result = self
        for range in ranges(ofToken: name).reversed() { result.replaceSubrange(range, with: replacement) }
        return result
    }

    func ranges(ofToken name: String) -> [Range<String.Index>] {
        guard !name.isEmpty else { return [] }
        let isIdentifier = { (c: Character) in c.isLetter || c.isNumber || c == "_" }
        var found: [Range<String.Index>] = []
        var start = startIndex
        while let range = self[start...].range(of: name) {
            let before = range.lowerBound == startIndex ? nil : self[index(before: range.lowerBound)]
            let after = range.upperBound == endIndex ? nil : self[range.upperBound]
            if !(before.map(isIdentifier) ?? false) && !(after.map(isIdentifier) ?? false) { found.append(range) }
            start = range.upperBound
        }
        return found
    }
}
