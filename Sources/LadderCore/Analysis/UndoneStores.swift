/// A store that hands something on, undone by a later store into the same place on the same
/// path: the place held it only for a while, and whoever owned it before owns it again.
///
/// xv6's `virtio_disk_rw` records the buffer for the interrupt handler
/// (`disk.info[idx[0]].b = b`), waits, and clears the slot (`disk.info[idx[0]].b = 0`) before
/// it returns. Read as a hand-off, its summary told every caller up to `bwrite` that the
/// buffer was gone, and a caller's missing `brelse` went unseen. The same shape inside one
/// function (`ring->slot[idx] = buf; … ring->slot[idx] = NULL; return 0;`) hides a leak.
///
/// The rule: a store of a held resource or of a pointer parameter into a place that
/// outlives the call is remembered with the place, named exactly (`slot[i]` and `slot[j]`
/// differ, unlike `AccessPath`, where any variable index is any element). A later store into
/// that exact place, of anything, gives the resource back to the path (held again) and takes
/// the parameter's hand-off back (the summary no longer transfers it).
///
/// Only when nothing could have taken the value meanwhile, so it is remembered only if:
/// - the function stores into that exact place again somewhere (else there is nothing to
///   undo, and no state needs to carry the record);
/// - the function never reads the place, nor an object it lies in (`done = ring->slot[i]`,
///   `complete(&disk.info[i])`): a read may have copied the value somewhere else;
/// and it is dropped when what names the place changes (the index `i = i + 1`, the pointer
/// `ring = next`, an element of an index array, or such a variable passed by address to a
/// call), when the resource is passed to a call that takes over, releases or acquires
/// (`queue(buf)` between the two stores: the queue has it), and when the parameter is
/// handed on another way.
///
/// What it cannot see: a store into the same place under another name (`s = &ring->slot[i];
/// *s = NULL`) undoes nothing, so that leak is still missed; another thread reading the
/// slot between the two stores is assumed to be done with it when it is cleared (that is
/// what the clearing says).
public struct UndoneStore: Sendable, Hashable {
    /// The place, named exactly (`UndoneStore.place(of:)`).
    public var place: AccessPath
    /// What the place's meaning depends on: its root variable and every index expression.
    public var watched: [AccessPath]
    /// The pointer parameter stored there (`ParameterHandOff`), if one was.
    public var parameter: Int?
    /// The held resources the store handed on.
    public var resources: [HeldResource]

    /// `target.path`, except that an element at a variable index keeps its index:
    /// `disk.info[idx[0]].b` and `disk.info[id].b` are two places here.
    static func place(of target: Expr) -> AccessPath {
        switch target.kind {
        case .member(let base, let name, let arrow): place(of: base).appending(.field(name, arrow: arrow))
        case .deref(let inner): place(of: inner).appending(.deref)
        case .addressOf(let inner): place(of: inner).appending(.addressOf)
        case .index(let base, let index) where index.constantValue == nil:
            AccessPath(.operation("[]", [place(of: base), index.path]))
        default: target.path
        }
    }

    /// The root variable of a place and the values of its indices.
    static func watched(_ target: Expr) -> [AccessPath] {
        switch target.kind {
        case .member(let base, _, _), .deref(let base), .addressOf(let base): watched(base)
        case .index(let base, let index): watched(base) + (index.constantValue == nil ? [index.path] : [])
        default: [target.path]
        }
    }

    /// A store into `key` (or a call's result there) moves this place.
    func moved(by key: AccessPath) -> Bool {
        watched.contains { w in w.mentions(key) || (key.isCollection && key.root == w.root && !w.steps.isEmpty) }
    }
}

/// The places of one function worth remembering a store into (`UndoneStore`): stored into
/// more than once, by their exact name, and never read, by their `AccessPath` (which
/// names any element of an array, so a read of `slot[j]` counts for `slot[i]`).
struct UndoneStorePlaces {
    let places: Set<AccessPath>

    init(_ function: Function) {
        var counts: [AccessPath: Int] = [:]
        var targets: [AccessPath: AccessPath] = [:]
        for block in function.blocks {
            for case .assign(let target, _, _) in block.statements {
                let exact = UndoneStore.place(of: target)
                counts[exact, default: 0] += 1
                targets[exact] = target.path
            }
        }
        // Most functions store into no place twice: then nothing is read for.
        guard counts.values.contains(where: { $0 > 1 }) else {
            places = []
            return
        }
        // Values read, and whether a read of an object's root counts (a pointer passed or
        // copied whole reaches every slot inside it; a store's own root does not).
        var reads: [(path: AccessPath, whole: Bool)] = []
        for block in function.blocks {
            for statement in block.statements {
                switch statement {
                case .assign(let target, let value, _):
                    reads.append((value.path, true))
                    reads.append(contentsOf: UndoneStore.watched(target).map { ($0, false) })
                case .call(let call):
                    reads.append(contentsOf: call.arguments.map { ($0.path, true) })
                }
            }
            switch block.terminator {
            case .branch(let condition, _, _, _): reads.append((condition.path, true))
            case .return(let value?, _): reads.append((value.path, true))
            case .return, .jump, .unreachable: break
            }
        }
        places = Set(counts.compactMap { exact, count in
            guard count > 1, let path = targets[exact] else { return nil }
            return reads.contains { Self.reads($0.path, path, whole: $0.whole) } ? nil : exact
        })
    }

    /// Whether reading `read` may read what `place` holds: it is the place, or reads it
    /// inside an operation or call, or is an object the place lies in (its address too; the
    /// root itself only when `whole`).
    static func reads(_ read: AccessPath, _ place: AccessPath, whole: Bool) -> Bool {
        if read.mentions(place) { return true }
        if case .operation(_, let operands) = read.root, operands.contains(where: { reads($0, place, whole: whole) }) { return true }
        var container = read.steps
        if container.last == .addressOf { container.removeLast() }
        return read.root == place.root && container.count < place.steps.count && place.steps.starts(with: container)
            && (whole || !container.isEmpty)
    }
}

extension Transfer {
    /// Before a store into `target`: places named through what it changes are forgotten,
    /// and a remembered store into this very place is undone (the resources come back, the
    /// parameter's hand-off is taken back).
    func undoStore(into target: Expr, in state: inout PathState) {
        guard !state.undoneStores.isEmpty else { return }
        forgetUndoneStores(movedBy: target.path, in: &state)
        let exact = UndoneStore.place(of: target)
        guard let i = state.undoneStores.firstIndex(where: { $0.place == exact }) else { return }
        let record = state.undoneStores.remove(at: i)
        if let parameter = record.parameter {
            state.parameterHandOffs.remove(ParameterHandOff(parameter: parameter, outcome: nil))
        }
        for resource in record.resources where !state.held.contains(where: { $0.id == resource.id }) {
            state.held.append(resource)
            state.handedOn.subtract(resource.handles)
        }
    }

    /// After a store into `target` handed on `parameter` and `resources`: remember it, when
    /// the function stores into that place again and never reads it.
    func rememberStore(into target: Expr, parameter: Int?, resources: [HeldResource], in state: inout PathState) {
        if let parameter { forgetUndoneStores(ofParameter: parameter, in: &state) }
        guard parameter != nil || !resources.isEmpty else { return }
        let exact = UndoneStore.place(of: target)
        guard undoablePlaces.places.contains(exact) else { return }
        state.undoneStores.removeAll { $0.place == exact }
        state.undoneStores.append(UndoneStore(place: exact, watched: UndoneStore.watched(target), parameter: parameter,
                                              resources: resources))
    }

    /// A new value of `key` (a store, a call's result) moves the places named through it.
    func forgetUndoneStores(movedBy key: AccessPath, in state: inout PathState) {
        guard state.undoneStores.contains(where: { $0.moved(by: key) }) else { return }
        state.undoneStores.removeAll { $0.moved(by: key) }
    }

    /// The parameter was handed on another way too: taking one store back gives nothing back.
    func forgetUndoneStores(ofParameter parameter: Int, in state: inout PathState) {
        guard state.undoneStores.contains(where: { $0.parameter == parameter }) else { return }
        state.undoneStores.removeAll { $0.parameter == parameter }
    }

    /// A call between the two stores: its result is a new value, an index array or a
    /// variable passed by address may change (`alloc3_desc(idx)` fills `idx`), and a
    /// resource passed to a call that takes over, releases or acquires is that call's now.
    func forgetUndoneStores(at call: Call, in state: inout PathState) {
        guard !state.undoneStores.isEmpty else { return }
        if let result = call.result { forgetUndoneStores(movedBy: result.path, in: &state) }
        let callee = call.callee ?? ""
        let resourceCall = calls.transfers(callee) != nil || calls.releases(callee) != nil || calls.acquire(callee) != nil
        state.undoneStores.removeAll { record in
            call.arguments.contains { argument in
                let path = argument.path
                let changes = record.watched.contains { w in
                    // `&i`, or an index array passed whole (`idx` for `idx[0]`).
                    (path.isAddressOf && path.steps.count == 1 && path.rootPath == w)
                        || (path.variable != nil && w.rootPath == path && w.steps.first.map(Self.isElement) == true)
                }
                return changes || resourceCall && record.resources.contains { r in
                    r.handles.contains { $0 == path.object || $0 == path.rootPath }
                }
            }
        }
    }

    /// Names of resources waiting in a remembered store go stale as held ones do.
    func forgetUndoneStoreNames(_ stale: (AccessPath) -> Bool, in state: inout PathState) {
        guard state.undoneStores.contains(where: { $0.resources.contains { $0.handles.contains(where: stale) } }) else { return }
        for i in state.undoneStores.indices {
            for j in state.undoneStores[i].resources.indices {
                state.undoneStores[i].resources[j].handles.removeAll(where: stale)
            }
            // A resource no name reaches any more cannot be told apart from another: given up.
            state.undoneStores[i].resources.removeAll { $0.handles.isEmpty }
        }
        state.undoneStores.removeAll { $0.parameter == nil && $0.resources.isEmpty }
    }

    private static func isElement(_ step: AccessPath.Step) -> Bool {
        if case .element = step { true } else { false }
    }
}
