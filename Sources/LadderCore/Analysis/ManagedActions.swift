/// A managed action a function registers (`devm_add_action_or_reset(dev, demo_power_off,
/// sdata)`), with the unit's functions it calls before and after the registration: the
/// device runs the action when probe fails and at unbind, so it undoes only what is left
/// behind after it was registered.
public struct RegisteredAction: Sendable, Hashable, Codable {
    /// The action function.
    public var action: String
    /// Functions called where the registration has certainly happened (its call reaches
    /// them, and they cannot be reached without passing it).
    public var callsAfter: [String]
    /// Functions called where it may not have happened yet.
    public var callsBefore: [String]

    /// The registrations in `function`'s body.
    static func found(in function: Function, calls: CallSemantics) -> [RegisteredAction] {
        var found: [RegisteredAction] = []
        for (id, block) in function.blocks.enumerated() {
            for (index, statement) in block.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee else { continue }
                for rule in calls.pack.transfers[callee] ?? [] {
                    guard let action = rule.action, action < call.arguments.count,
                          case .variable(let v) = call.arguments[action].kind, v.storage == .global else { continue }
                    found.append(split(function, at: id, index: index, action: v.name))
                }
            }
        }
        return found
    }

    /// The callees of `function` on either side of the registration at (`block`, `index`).
    private static func split(_ function: Function, at block: BlockID, index: Int, action: String) -> RegisteredAction {
        // Blocks reachable from the entry without passing the registration's block.
        let without = function.reachableBlocks(from: [function.entry]) { _, to in to != block }
        var after: Set<String> = []
        var before: Set<String> = []
        for (id, b) in function.blocks.enumerated() {
            for (i, statement) in b.statements.enumerated() {
                guard case .call(let call) = statement, let callee = call.callee, callee != action else { continue }
                let certainlyAfter = id == block ? i > index && !without.contains(block) : !without.contains(id)
                if certainlyAfter { after.insert(callee) } else { before.insert(callee) }
            }
        }
        return RegisteredAction(action: action, callsAfter: after.sorted(), callsBefore: before.sorted())
    }
}

/// The managed actions of one unit, for what a helper leaves in its caller's objects on
/// failure (`HandedToCaller`): a probe that registered `demo_power_off`, which disables
/// `{0}->vdd`, and then calls `demo_hw_init` → `demo_power_on(sdata)` has the device undo what
/// `demo_power_on` leaves enabled; a probe that calls `demo_power_on` first and registers the
/// action after it does not (the action is not there when it fails).
///
/// The rule: the helper's contract (kind and place, `{0}->vdd`) is covered when a function
/// of the unit registers an action whose summary releases that kind at that place, calls
/// the helper (directly or through the unit's functions) only after the registration, and
/// reaches it by no call that can run before. Functions that register nothing (a resume
/// calling the helper) do not count against it: the action registered at probe undoes it
/// at unbind.
///
/// Limits: the two `{0}` are matched as places without types; the unit's call graph is by
/// name and over-approximate (a function only referenced counts as called).
public struct ManagedActions: Sendable {
    let registrations: [RegisteredAction]
    /// Each function's release rules (summaries), by name.
    let releases: [String: [ReleaseRule]]
    /// The unit's call graph by name.
    let callees: [String: Set<String>]

    /// One unit's functions: each one's name, summary and `CalleeNames`.
    public init(_ functions: [(name: String, summary: FunctionSummary, callees: [String])]) {
        registrations = functions.flatMap(\.summary.registersActions)
        releases = Dictionary(functions.map { ($0.name, $0.summary.releases) }, uniquingKeysWith: { a, _ in a })
        callees = Dictionary(functions.map { ($0.name, Set($0.callees)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether a registered action undoes what `helper` left under `contract`.
    func cover(_ contract: HeldForCaller, leftBy helper: String) -> Bool {
        guard contract.callersRelease else { return false }
        return registrations.contains { registration in
            let undoes = (releases[registration.action] ?? []).contains {
                $0.kinds.contains(contract.kind) && $0.handle == contract.lock
            }
            return undoes && reaches(helper, from: registration.callsAfter) && !reaches(helper, from: registration.callsBefore)
        }
    }

    /// Whether `target` is among `starts` or called from them through the unit's functions.
    private func reaches(_ target: String, from starts: [String]) -> Bool {
        var seen: Set<String> = []
        var stack = starts
        while let name = stack.popLast() {
            if name == target { return true }
            guard seen.insert(name).inserted else { continue }
            stack += callees[name] ?? []
        }
        return false
    }
}
