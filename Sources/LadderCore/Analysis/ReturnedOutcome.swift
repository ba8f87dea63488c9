/// A `return` of the very value an acquisition's success is still waiting on:
/// `n = dma_map_sg(…); if (!n) return -ENOMEM; return n;`. After `!n` the path knows only
/// that `n` is not zero, so `return n` may be negative, and by the sign convention it reads
/// as an error exit holding the mapping. But the value decides both at once: where it is an
/// error (negative), the map failed and nothing is held; where the map succeeded (positive),
/// the return is no error exit, and the mapping is the caller's to unmap with the count it
/// was given (escape analysis judges it there).
///
/// So such a return is two exits, one per outcome of the pending acquisition: on the
/// success one the returned value is narrowed to the success signs, as a test of the value
/// would have split the path; on the failed one the acquisition is dropped and the value
/// left as it was, so that exit is judged as the whole return was (a pointer after `!p`,
/// whose residue "negative" `kzalloc` never returns, stays a success return). The same
/// holds for a value that tells two joined paths apart (`Outcome.joined`).
///
/// Limits: only a value some test narrowed (an untested one is the caller's to test), only a
/// return of the pending variable itself, as it is (`return n`), not of an
/// expression on it (`return n > 0 ? 0 : -EIO`), and only the first pending outcome on that
/// variable splits (one value rarely decides two acquisitions).
extension Transfer {
    func exits(state: PathState, value: Expr?, location: SourceLocation, steps: [PathStep],
               afterFailure: Bool) -> [FunctionAnalysis.ExitRecord] {
        let whole = { [exit(state: state, value: value, location: location, steps: steps, afterFailure: afterFailure)] }
        guard let value, value.constantValue == nil, value.path.variable != nil else { return whole() }
        let key = value.path
        guard let success = state.held.lazy.compactMap({ $0.pending }).first(where: { $0.variable == key })?.success
        else { return whole() }
        let fact = state.fact(key)
        // Only a value a test has already narrowed: an untested one (`b = bget(…); …;
        // return b;`) is returned for the caller to test, and splitting it would add a
        // success return not holding what every real return holds, undoing the
        // "returns holding" contract.
        guard fact.exact == nil, fact.signs != .always else { return whole() }
        let parts = [fact.signs.intersection(success), fact.signs.subtracting(success)].filter { !$0.isEmpty }
        guard parts.count == 2 else { return whole() }
        return parts.map { signs in
            var narrowed = state
            var outcome = fact
            outcome.signs = signs
            narrowed.facts[key] = outcome
            var outcomeSteps = steps
            var failed = afterFailure
            settleOutcomes(of: key, in: &narrowed, location: location, steps: &outcomeSteps, sawFailure: &failed)
            // The failed reading drops what waited on the value, and is judged as the whole
            // return would have been: the residue left after a test (`!p` for `kzalloc`
            // leaves "negative") is often no failure the callee can return, and must not
            // turn a success return into an error exit for what else is held.
            if signs.isDisjoint(with: success) { narrowed.facts[key] = fact }
            return exit(state: narrowed, value: value, location: location, steps: outcomeSteps, afterFailure: failed)
        }
    }
}
