import Synchronization

/// A value kept behind one reference-counted box and copied only when a box shared with
/// another copy is changed (copy on write), with its hash remembered until it changes.
///
/// For the analysis's largest values, which the walk copies far more often than it
/// changes them: a path state (into each work item, into the visited set, down both sides
/// of a branch) and each resource it holds (into every state that still holds it). As
/// plain structs, each copy retained and released every field (a path state has twenty
/// collections, a held resource a dozen strings, arrays and sets), and each hash went over
/// all of them again though most states pass their resources on unchanged.
///
/// A type forwarding its properties into a `Shared` value gives each a `get` and a
/// `_modify` (`yield &shared.value.field`); assignment goes through `_modify`, so there is
/// no `set` to keep in step.
struct Shared<Value: Hashable & Sendable>: Hashable, Sendable {
    private var box: Box

    init(_ value: Value) { box = Box(value) }

    var value: Value {
        _read { yield box.value.pointee }
        _modify {
            unique()
            yield &box.value.pointee
        }
    }

    /// Mutated only through a `Shared` that holds the only reference (`unique`), so no two
    /// threads ever see one box change. The value sits behind a pointer, not in a stored
    /// `var`: each access to a class's `var` is checked for exclusivity at run time, and
    /// those checks were 4% of the walk once resources were boxed too. The hash is atomic
    /// because a shared box is hashed through any of its copies, on any thread.
    private final class Box: @unchecked Sendable {
        let value: UnsafeMutablePointer<Value>
        /// `value.hashValue`, or 0 while not worked out (a hash of 0 is stored as 1).
        let hash = Atomic<Int>(0)

        init(_ value: Value) {
            self.value = .allocate(capacity: 1)
            self.value.initialize(to: value)
        }

        deinit {
            value.deinitialize(count: 1)
            value.deallocate()
        }

        var valueHash: Int {
            let known = hash.load(ordering: .relaxed)
            if known != 0 { return known }
            let worked = value.pointee.hashValue
            let stored = worked == 0 ? 1 : worked
            hash.store(stored, ordering: .relaxed)
            return stored
        }
    }

    private mutating func unique() {
        if isKnownUniquelyReferenced(&box) {
            box.hash.store(0, ordering: .relaxed)
        } else {
            box = Box(box.value.pointee)
        }
    }

    static func == (a: Shared, b: Shared) -> Bool {
        if a.box === b.box { return true }
        let (x, y) = (a.box.hash.load(ordering: .relaxed), b.box.hash.load(ordering: .relaxed))
        if x != 0 && y != 0 && x != y { return false }
        return a.box.value.pointee == b.box.value.pointee
    }

    func hash(into hasher: inout Hasher) { hasher.combine(box.valueHash) }
}
