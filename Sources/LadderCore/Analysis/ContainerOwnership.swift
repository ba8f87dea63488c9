/// An object whose memory a refcount embedded in it comes to own (`takesContainer`).
///
/// `device_initialize(&port->dev)` (and `auxiliary_device_init(&wrap->adev)` once it
/// returns 0) starts the embedded device's reference count; from then on the object the
/// device sits in is freed by the device's `.release` callback when `put_device()` (or
/// `auxiliary_device_uninit()`) drops the last reference. So the object's allocation
/// becomes the content of the device reference, as a page becomes the content of the
/// mapping that maps it: releasing the reference releases the object, a `kfree()` after it
/// frees it twice, and a `kfree()` instead of it leaves the reference held. A failed
/// `auxiliary_device_init()` takes nothing: the caller still frees the object.
///
/// Which object: the argument is the address of a member (`&port->dev` is inside `port`,
/// `&priv->port->dev` inside `priv->port`), or a local that holds one: at its only
/// assignment (`adev = &wrap->adev`), or, for a local a loop or a second device reuses
/// (`conf_dev = &wq->idxd_dev.conf_dev` in every pass), at the path's own assignment of it
/// into an object the path holds (`PathState.origins`).
///
/// What the object holds (`aux_dev->id = ida_alloc(…)` before `auxiliary_device_init(aux_dev)`)
/// goes into the reference with it, so it is no leak while the reference is held. When the
/// reference goes, the callback may free it or not (i40e's frees the id; extcon's and the
/// thermal core's free neither the table nor the id the register function put in the object,
/// and the driver frees them by hand after `put_device()`). Which, the driver says by what it
/// does: `put_device()` releases the object itself, and what the object held stays held as
/// the callback's, the way a `devm_` allocation is the device's (`leftToCallback`): no
/// release is no leak, one release by hand before or after the put is the driver's word, and
/// a second is still a second release.
///
/// What it cannot see: a member address reached through a call (`to_foo(dev)`), or a local
/// assigned more than once whose value on the path is no member of an object it holds; the
/// object then stays the caller's to free, as before. Nor a release after the put of what
/// the callback did free already.
extension Transfer {
    func takeContainers(_ rule: AcquireRule, call: Call, holder: Int, newIDs: [Int], outcome: HeldResource.Outcome?,
                        in state: inout PathState) {
        for index in rule.takesContainer where index < call.arguments.count {
            guard let container = container(of: call.arguments[index], on: state) else { continue }
            let inside = { (handle: AccessPath) in
                handle.root == container.root && handle.steps.starts(with: container.steps)
            }
            for i in state.held.indices where !newIDs.contains(state.held[i].id) && !state.held[i].managed
                && !pack.locks.contains(state.held[i].kind) && state.held[i].handles.contains(where: inside) {
                state.held[i].pendingTransfer = HeldResource.Transfer(into: holder, outcome: outcome)
            }
        }
    }

    /// The ids of what a reference whose acquisition takes its container holds besides the
    /// container (`port` of `&port->dev`): left to the callback (see above). None for any
    /// other reference: all its contents go with it.
    func leftToCallback(_ holder: HeldResource) -> Set<Int> {
        guard !holder.contents.isEmpty, let rule = calls.acquire(holder.acquiredBy), !rule.takesContainer.isEmpty else { return [] }
        let containers = holder.handles.compactMap(container(of:))
        guard !containers.isEmpty else { return [] }
        return Set(holder.contents.filter { !$0.handles.contains(where: containers.contains) }.map(\.id))
    }

    /// The object a member address points into: `port` for `&port->dev` or `&port->a.dev`,
    /// `priv->port` for `&priv->port->dev`.
    func container(of argument: Expr) -> AccessPath? { container(of: argument.path) }

    /// The same, reading a reused local by what this path assigned it last.
    func container(of argument: Expr, on state: PathState) -> AccessPath? {
        if let local = argument.path.variable, local.storage == .local, let origin = state.origins[local],
           origin.isAddressOf, origin.steps.count > 1, origin.rootVariable != nil, origin.rootVariable != local {
            return Self.object(embedding: origin)
        }
        return container(of: argument)
    }

    func container(of path: AccessPath) -> AccessPath? {
        if path.isAddressOf, path.steps.count > 1, path.rootVariable != nil { return Self.object(embedding: path) }
        guard let local = path.variable, local.storage == .local else { return nil }
        var values: [AccessPath] = []
        for block in function.blocks {
            for case .assign(let target, let value, _) in block.statements where target.path == path {
                values.append(value.path)
            }
        }
        guard values.count == 1, let value = values.first, value.isAddressOf, value.steps.count > 1,
              value.rootVariable != nil, value.rootVariable != local else { return nil }
        return Self.object(embedding: value)
    }

    /// `&p->a.b` without the address and the members embedded in the object (`.b`, then the
    /// `->a` that reached it): the pointer to the object, `p`.
    static func object(embedding address: AccessPath) -> AccessPath? {
        var steps = Array(address.steps.dropLast())
        while case .field(_, arrow: false)? = steps.last { steps.removeLast() }
        guard case .field(_, arrow: true)? = steps.last else { return nil }
        steps.removeLast()
        return AccessPath(address.root, steps)
    }
}
