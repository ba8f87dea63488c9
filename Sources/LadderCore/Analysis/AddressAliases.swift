/// One object under two names: a place that was given an object's address, and the object.
///
/// `priv->dev = &pdev->dev` early in a probe makes `priv->dev` and `&pdev->dev` one device.
/// Drivers then enable runtime PM through one spelling and disable it through the other
/// (`pm_runtime_enable(priv->dev)` … `pm_runtime_disable(&pdev->dev)`), or hand `priv` to a
/// cleanup helper that spells `priv->dev`. Without the link each spelling is its own handle,
/// and the release through the other one leaves a false leak.
///
/// The store is kept in `PathState.stored` (place → the address), as `tp->pci_dev = pdev`
/// already is, so the readers of that table see it: an acquisition names the resource by
/// both spellings (`Acquire`), a release through the place finds what the address names
/// (`Release`, `throughStores`), and a helper's summary template (`{0}->dev`) filled in the
/// caller reads back through it. Soundness comes from `forget`: a later store to the place,
/// or a new value of the root of either side (`priv = …`, `pdev = …`), drops the entry, so
/// after `priv->dev = &other->dev` the two spellings are two devices again.
///
/// What it cannot see: a store made inside a helper (`demo_init(priv, pdev)` setting
/// `priv->dev`) is not in the helper's summary, so the caller keeps two names; a store
/// through another pointer to the same struct (`p2 = priv; p2->dev = …`) is not noticed as
/// changing `priv->dev`; the address of a whole variable (`priv->dev = &local_dev`) is not
/// linked, only the address of a place inside an object reached from a variable.
extension Transfer {
    /// `target = &object->member`: record that `target` (by its canonical name `place`)
    /// holds that address.
    func recordAddressAlias(target: Expr, value: Expr, place: AccessPath, in state: inout PathState) {
        guard case .addressOf = value.kind, value.path.isAddressOf, value.path.steps.count > 1,
              value.path.rootVariable != nil else { return }
        switch target.kind {
        case .member, .deref: break
        default: return
        }
        let address = canonical(value.path, state)
        // Never `p->self = &p->self`-like: a name built on itself would grow.
        guard place != address, !address.mentions(place) else { return }
        state.stored[place] = address
    }

    /// Names a handle has through this path's stores, both ways: what a place was given
    /// (`priv->dev` is `&pdev->dev`), and the places given the handle (`&pdev->dev` is
    /// `priv->dev`).
    func storedNames(of key: AccessPath, in state: PathState) -> [AccessPath] {
        guard !state.stored.isEmpty else { return [] }
        var names: [AccessPath] = []
        if let value = throughStores(canonical(key, state), state), value != key { names.append(value) }
        for (place, value) in state.stored where value == key && place != key && !names.contains(place) {
            names.append(place)
        }
        return names
    }
}

extension Transfer {
    /// `vt_pdev = pci_dev_get(pdev)` with `returns: "{0}"`: the result is `pdev` under
    /// another name, so what is held *inside* `pdev` (`&pdev->dev`, the reference itself) is
    /// held inside the result too (`&vt_pdev->dev`). A local result gets this through its
    /// origin; a global has none (a callee may change it), so the names are added here and
    /// live until the global is written again (`forget`), as any name does.
    func aliasInside(_ result: AccessPath, to value: AccessPath, in state: inout PathState) {
        guard result != value, !value.mentions(result) else { return }
        for i in state.held.indices {
            for handle in state.held[i].handles where handle.root == value.root
                && handle.steps.count > value.steps.count && handle.steps.starts(with: value.steps) {
                let renamed = result.appending(Array(handle.steps.dropFirst(value.steps.count)))
                if !state.held[i].handles.contains(renamed) { state.held[i].handles.append(renamed) }
            }
        }
    }
}
