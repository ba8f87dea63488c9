/// What a helper leaves in its caller's objects when it fails (`HandedToCaller`), when its
/// callers disagree: some release it after the call, others never do. The ones that release
/// say what the helper's failure means (mtk-sd's probe runs `msdc_gate_clock()` after
/// `msdc_ungate_clock()` fails, so the helper hands the enabled clocks over and must not
/// disable them itself); a caller that passes the same failure up without releasing
/// (`msdc_runtime_resume`) is where the clocks are lost. So the leak is reported at that
/// caller's call, once per call, naming everything the helper leaves, and not in the helper.
///
/// Wrong (`demo_resume` never disables what `demo_ungate()` leaves when it fails, while
/// `demo_probe`'s unwind does):
///
///     ret = demo_ungate(host);
///     if (ret)
///         return ret;
///
/// Right: `if (ret) { demo_gate(host); return ret; }`.
///
/// The releasing callers must release after a test showing the helper failed
/// (`ContractUse.releasesAfterFailure`): callers that disable the clocks only after the
/// helper succeeded say nothing of its failure, and the helper's error return stays its own
/// leak (a seeded deletion in rtc-s3c's `s3c_rtc_enable_clk`).
///
/// A disagreeing caller that is itself a static function other functions call by name
/// (`i40e_restore_interrupt_scheme`, called from the resume path, which logs its failure and
/// goes on) passes the failure on to them: whether they undo what was left, or keep it in
/// the object as after a success, is theirs to say, and the chain is not followed further.
/// Nothing is reported for it, unless it unwinds the other elements itself and misses the
/// failing one (`ixgbevf_setup_all_rx_resources`, `ContractUse.unwindsOthers`): it took the
/// cleanup on, and is told.
///
/// Limits: a caller is reported whether or not it tests the result (one that ignores the
/// failure and goes on treats the clocks as its object's, which a later teardown may undo);
/// a caller in another file than the helper leaves the finding in the helper, where the
/// file that is reported on shows it; a leak through a static intermediate whose own callers
/// pass the failure up too is not reported.
struct DisagreeingCallers {
    private struct Site: Hashable {
        var caller: String
        var location: SourceLocation
    }

    private struct Left {
        var handle: String
        var finding: Finding
    }

    private var left: [Site: (callee: String, releasing: Set<String>, resources: [Left])] = [:]
    private var order: [Site] = []

    /// Takes the contract's findings over when some caller releases it and every caller that
    /// does not can be told in the helper's file; says whether it did.
    mutating func take(_ entry: PendingContract, callee: String, consumers: [(caller: String, use: ContractUse)],
                       passesOn: (String) -> Bool) -> Bool {
        guard let helperFinding = entry.findings.first else { return false }
        // Only a release after the helper failed says the failure hands it over.
        let releasing = Set(consumers.filter { $0.use.agrees && $0.use.releasesAfterFailure }.map(\.caller))
        let others = consumers.filter { !$0.use.agrees }
        guard !releasing.isEmpty, !others.isEmpty,
              others.allSatisfy({ $0.use.site?.file == helperFinding.location.file && $0.use.handle != nil }) else { return false }
        for (caller, use) in others where use.unwindsOthers || !passesOn(caller) {
            guard let location = use.site, let handle = use.handle else { continue }
            let site = Site(caller: caller, location: location)
            if left[site] == nil {
                left[site] = (callee, releasing, [])
                order.append(site)
            }
            left[site]!.releasing.formUnion(releasing)
            if !left[site]!.resources.contains(where: { $0.handle == handle && $0.finding.resource?.kind == helperFinding.resource?.kind }) {
                left[site]!.resources.append(Left(handle: handle, finding: helperFinding))
            }
        }
        return true
    }

    /// One finding per disagreeing call.
    var findings: [Finding] {
        order.compactMap { site in
            guard let (callee, releasing, taken) = left[site] else { return nil }
            // In the order the helper acquires them.
            func acquired(_ left: Left) -> SourceLocation { left.finding.resource?.acquiredAt ?? left.finding.location }
            let resources = taken.sorted { (acquired($0), $0.handle) < (acquired($1), $1.handle) }
            guard let first = resources.first else { return nil }
            let named = resources.map { "\($0.finding.resource?.kind ?? "resource") '\($0.handle)'" }
            let list = named.count <= 2 ? named.joined(separator: " and ")
                : named.prefix(2).joined(separator: ", ") + " and \(named.count - 2) more"
            let them = resources.count == 1 ? "it" : "them"
            let names = releasing.sorted().map { "'\($0)'" }
            let releasers = names.count <= 2 ? names.joined(separator: " and ")
                : names.prefix(2).joined(separator: ", ") + " and \(names.count - 2) more"
            var path = [PathStep(location: site.location,
                                 message: "\(releasers) \(releasing.count == 1 ? "releases" : "release") \(them) after this call fails: '\(callee)' hands \(them) to its caller")]
            path += first.finding.path.filter { $0.location.file == site.location.file }
            path.append(PathStep(location: site.location, message: "this function never releases \(them) after the call"))
            let resource = first.finding.resource.map {
                ResourceInfo(kind: $0.kind, handle: first.handle, acquiredBy: $0.acquiredBy, acquiredAt: $0.acquiredAt)
            }
            var finding = Finding(rule: .missingRelease, severity: first.finding.severity,
                                  message: "when '\(callee)' fails it leaves \(list) held for its caller, and this caller never releases \(them)",
                                  function: site.caller, location: site.location, resource: resource, path: path)
            // The caller may go on after the failure as if it succeeded, which the
            // analysis does not ask.
            finding.confidence = .medium
            return finding
        }
    }
}

extension DisagreeingCallers {
    /// Whether one of `releases` (statement positions) can run after the first
    /// test of the call's result, right after the call, on the side where the result shows
    /// failure: never zero and possibly an error (`if (ret)`, `if (ret < 0)`, the else of
    /// `if (!ret)`). Only on evidence: a result tested nowhere near the call (`ret = f();`
    /// then other work) says nothing, and neither does a call whose result is not kept. A
    /// few jumps are followed to the test (a `goto` or the join of a statement expression),
    /// not a store into the result first.
    static func releases(after call: Call, at position: Position, in function: Function, convention: ErrorConvention,
                         releases: [Position]) -> Bool {
        guard let result = call.result?.path else { return false }
        var block = position.block
        for _ in 0..<4 {
            switch function.blocks[block].terminator {
            case .jump(let next, _):
                block = next
            case .branch(let condition, let then, let otherwise, _):
                guard let (key, op, c) = Transfer.constraint(condition), key == result else { return false }
                let taken = convention.signedFailure(Transfer.signs(satisfying: op, c))
                let other = convention.signedFailure(Transfer.signs(satisfying: op.negated ?? op, c))
                guard taken != other else { return false }
                let failure = taken ? then : otherwise
                let reached = function.reachableBlocks(from: [failure]).union([failure])
                return releases.contains { reached.contains($0.block) }
            default:
                return false
            }
        }
        return false
    }
}
