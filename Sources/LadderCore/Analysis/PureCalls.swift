/// Calls of pure functions (the pack's `pure` list: `pwm_is_enabled(pwm)`,
/// `pm_runtime_enabled(dev)`, `static_key_enabled(&k)`) name a value: the same call over the
/// same arguments, with nothing in between that writes what it reads, gives the same answer
/// (`Transfer.pureName`). So `if (!pwm_is_enabled(pwm)) clk_prepare_enable(…)` and a later
/// `if (!pwm_is_enabled(pwm)) clk_disable_unprepare(…)` agree, and the path on which they
/// would disagree is no path.
///
/// What ends that: assigning an argument (`Transfer.forget`), a store into what an argument
/// points at or is (`pwm->state.enabled = true` before `pwm_is_enabled(pwm)`), and a call
/// handed the address of what an argument reads (`set_bit(N, &priv->flags)` before
/// `test_bit(N, &priv->flags)`).
///
/// What it cannot see, and assumes: a callee handed the pointer itself (`foo_config(chip,
/// pwm)`) does not change what the pure function reads. The state those readers read
/// (`pwm->state`, `dev->power`) belongs to the core, which changes it between a driver's
/// callbacks, not inside the driver's own helpers. Another thread changing it between the
/// two tests is not modelled either: a reader whose header body uses `READ_ONCE` or atomics
/// is not listed as pure (`bench/mine-pure.py`).
extension Transfer {
    /// `place` was written (a store, or a call handed its address): pure calls that read it
    /// are new values from here on. A pure call reads its argument and what is below it; a
    /// write below it (`alsoAbove`: a store into `pwm->state` for `pwm_is_enabled(pwm)`)
    /// counts for stores only: a call handed `&priv->lock` is taken to write the lock, not
    /// whatever else a reader of `priv` reads.
    func forgetPureReads(of place: AccessPath, alsoAbove: Bool, in state: inout PathState) {
        forgetPureAnswers(of: pack.pure, in: &state) { arguments in
            arguments.contains { argument in
                let read = argument.isAddressOf ? AccessPath(argument.root, Array(argument.steps.dropLast())) : argument
                return read.mentions(place) || (alsoAbove && place.mentions(read))
            }
        }
    }

    /// Drops the facts and predicates kept on a call of `callees` whose arguments `stale`
    /// says may now read something else.
    private func forgetPureAnswers(of callees: Set<String>, in state: inout PathState, stale: ([AccessPath]) -> Bool) {
        func isStale(_ name: AccessPath) -> Bool {
            guard case .call(let callee, let arguments) = name.root, callees.contains(callee) else { return false }
            return stale(arguments)
        }
        if state.facts.keys.contains(where: isStale) { state.facts = state.facts.filter { !isStale($0.key) } }
        if state.predicates.values.contains(where: { isStale($0.argument) }) {
            state.predicates = state.predicates.filter { !isStale($0.value.argument) }
        }
    }

    /// A store through a pointer (`pwm->state.enabled = …`, `*p = …`): what pure calls read
    /// below it changes.
    func forgetPureReads(storedInto target: AccessPath, in state: inout PathState) {
        guard !pack.pure.isEmpty, !target.steps.isEmpty, !target.isCollection else { return }
        forgetPureReads(of: target, alsoAbove: true, in: &state)
    }

    /// A call that is not pure, handed the address of a place (`set_bit(N, &priv->flags)`):
    /// it may write there.
    func forgetPureReads(writtenBy call: Call, in state: inout PathState) {
        guard !pack.pure.isEmpty, let callee = call.callee, !pack.pure.contains(callee) else { return }
        for argument in call.arguments where argument.path.isAddressOf {
            let place = AccessPath(argument.path.root, Array(argument.path.steps.dropLast()))
            forgetPureReads(of: place, alsoAbove: false, in: &state)
        }
        if !pack.readsThrough.isEmpty { forgetReadsThrough(handedTo: call, in: &state) }
    }

    /// A call handed a string a `readsThrough` call reads (`strscpy(p->mode, …)`), or the
    /// object its array is in, one pointer away (`demo_config(p)` for `p->mode`), may rewrite
    /// it. A string further away (`p->cfg->name` under `demo_config(p)`) is taken to stay: a
    /// board's configuration is not rewritten by the driver's helpers.
    private func forgetReadsThrough(handedTo call: Call, in state: inout PathState) {
        let handed = call.arguments.filter { $0.constantValue == nil }.map(\.path)
        guard !handed.isEmpty else { return }
        forgetPureAnswers(of: pack.readsThrough, in: &state) { arguments in
            arguments.contains { read in
                handed.contains { object in
                    guard read.mentions(object) else { return false }
                    let below = read.steps.dropFirst(object.root == read.root ? object.steps.count : 0)
                    return below.filter { if case .field(_, true) = $0 { true } else { $0 == .deref } }.count <= 1
                }
            }
        }
    }
}
