/// Locks a static helper returns holding whatever happens: `pm_runtime_get_sync` takes the
/// runtime-PM reference even when it fails, so a helper that gets it, then fails a later
/// step and returns the error, still hands its caller a reference to put, and a caller that
/// puts it at a label reached after success and failure alike (`goto err` … `err: put`) is
/// right. Read alone, each of the helper's error returns looks like a leak.
///
/// The rule: a lock the shape says the function returns holding at its success returns
/// (`HeldForCaller`), held under that same caller's name at *every* error return too, is the
/// contract there as well (`HeldForCaller.evenOnFailure`). The error returns' findings are
/// held back with the success returns' and stand only when no caller in view agrees, or
/// when nothing calls the function but through a pointer (`ContractSettlement`). A caller that agrees walks the call as taking the lock
/// whatever the call returns (`Transfer.heldForCaller`), so a caller that puts it only
/// after success is told so at its own return, and its put is no release of a lock it
/// never took.
///
/// Only static functions: their callers are in the file. An exported helper's callers may
/// be anywhere. A static one called only through a pointer (an ops-table callback) has no
/// caller to hand the lock to: its held-back returns, error returns included, are then
/// judged as in any function (`ContractSettlement.Callers.callbackOnly`).
struct HeldThroughFailure {
    private let contracts: Set<HeldForCaller>
    private let escapes: EscapeAnalysis

    init(function: Function, escapes: EscapeAnalysis, successExits: [FunctionAnalysis.ExitRecord],
         errorExits: [FunctionAnalysis.ExitRecord]) {
        self.escapes = escapes
        guard function.isStatic, !errorExits.isEmpty else {
            contracts = []
            return
        }
        var candidates = Set(successExits.flatMap { escapes.heldForCallers(at: $0).map(\.1) })
        for exit in errorExits where !candidates.isEmpty {
            candidates.formIntersection(escapes.heldForCallers(at: exit).map(\.1))
        }
        contracts = candidates
    }

    /// A success return's contract, marked when the error returns share it.
    func marked(_ contract: HeldForCaller) -> HeldForCaller {
        var marked = contract
        marked.evenOnFailure = contracts.contains(contract)
        return marked
    }

    /// The locks held at an error return that are the contract there too, each with it.
    func heldBack(at exit: FunctionAnalysis.ExitRecord) -> [(HeldResource, HeldForCaller)] {
        guard !contracts.isEmpty else { return [] }
        return escapes.heldForCallers(at: exit).filter { contracts.contains($0.1) }.map { ($0.0, marked($0.1)) }
    }
}

extension Transfer {
    /// The contracts of callees that return holding a lock even when they fail, which this
    /// function agrees to (releases the lock somewhere after calling): by callee.
    static func heldForCaller(_ function: Function, _ calls: CallSemantics) -> [String: [HeldForCaller]] {
        let flagged = function.blocks.contains { block in
            block.statements.contains { statement in
                guard case .call(let call) = statement, let callee = call.callee else { return false }
                return calls.summaries[callee]?.returnsHolding.contains(where: \.evenOnFailure) == true
            }
        }
        guard flagged else { return [:] }
        var agreed: [String: [HeldForCaller]] = [:]
        for use in ContractUse.made(by: function, calls: calls) where use.agrees && !use.byKindOnly && use.contract.evenOnFailure {
            // One use per call site: two calls to the callee take its contract once.
            if agreed[use.callee]?.contains(use.contract) != true { agreed[use.callee, default: []].append(use.contract) }
        }
        return agreed
    }

    /// A call to a helper that returns holding a lock whatever happens, in a caller that
    /// releases it: the caller holds it from here on every path, as if the call took it.
    func takeHeldForCaller(_ callee: String, call: Call, site: FunctionPrescan.CallSite, in state: inout PathState,
                           steps: inout [PathStep]) {
        guard let contracts = heldForCaller[callee], calls.acquire(callee) == nil else { return }
        let taken = contracts.filter { $0.lock.root != .result }
        guard !taken.isEmpty else { return }
        var rule = AcquireRule(call: callee, resources: taken.map { ResourceSpec(kind: $0.kind, handle: $0.lock) }, success: .always)
        rule.fromSummary = true
        let siteID = scan.siteIDs[site] ?? 0
        acquire(rule, call: call, site: siteID, inLoop: false, in: &state, steps: &steps)
        guard let result = call.result?.path else { return }
        for (index, contract) in taken.enumerated() where contract.callersRelease {
            if let i = state.held.firstIndex(where: { $0.id == AcquireRule.resourceID(site: siteID, index: index) }) {
                state.held[i].leftByHelper = HeldResource.LeftByHelper(result: result)
            }
        }
    }
}
