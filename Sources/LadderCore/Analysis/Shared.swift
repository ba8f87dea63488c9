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
        _read { yield box.value }
        _modify {
            unique()
            yield &box.value
        }
    }

    /// Mutated only through a `Shared` that holds the only reference (`unique`), so no two
    /// threads ever see one box change, and its value is exempt from run-time exclusivity
    /// checks (they were 4% of the walk once resources were boxed too). A stored property,
    /// not memory behind a pointer: a value read through a pointer to hash or compare it
    /// was copied first (every field retained and released), one read in place is not.
    /// The hash is atomic because a shared box is hashed through any of its copies, on any
    /// thread.
    private final class Box: @unchecked Sendable {
        @exclusivity(unchecked) var value: Value
        /// `value.hashValue`, or 0 while not worked out (a hash of 0 is stored as 1).
        let hash = Atomic<Int>(0)

        init(_ value: Value) { self.value = value }

        var valueHash: Int {
            let known = hash.load(ordering: .relaxed)
            if known != 0 { return known }
            let worked = value.hashValue
            let stored = worked == 0 ? 1 : worked
            hash.store(stored, ordering: .relaxed)
            return stored
        }
    }

    private mutating func unique() {
        if isKnownUniquelyReferenced(&box) {
            box.hash.store(0, ordering: .relaxed)
        } else {
            box = Box(box.value)
        }
    }

    static func == (a: Shared, b: Shared) -> Bool {
        if a.box === b.box { return true }
        let (x, y) = (a.box.hash.load(ordering: .relaxed), b.box.hash.load(ordering: .relaxed))
        if x != 0 && y != 0 && x != y { return false }
        return a.box.value == b.box.value
    }

    func hash(into hasher: inout Hasher) { hasher.combine(box.valueHash) }
}
