public struct ReleaseRule: Sendable, Hashable, Codable {
    public var call: String
    public var kinds: [ResourceKind]
    public var handle: PathTemplate
    /// Releases every held resource of `kinds` with this handle, not just the newest.
    public var bulk: Bool
    /// Further kinds released in bulk under the same handle (`uvmfree` also unmaps user memory).
    public var alsoReleases: [ResourceKind]
    /// Releasing a null handle is allowed (Linux `kfree(NULL)`), not a bug (xv6 `kfree(0)`).
    public var nullSafe: Bool
    /// Error pointers are skipped too (Linux's `__free(kfree)` helpers test `IS_ERR_OR_NULL`).
    public var errorSafe = false
    /// Releasing what a failed acquisition left is a no-op (`led_classdev_unregister()` of an
    /// LED whose registration failed returns at once): not `release-unacquired` there.
    public var safeAfterFailure = false
    /// Releasing what is not there is a no-op (`device_remove_file()` of a file never
    /// created returns -ENOENT quietly): neither `release-unacquired` nor a second release.
    public var safeWhenAbsent = false
    /// The handle is a file-scope object whose initialiser lists members released with it
    /// (`sysfs_remove_group()` of an unnamed group removes each file its `.attrs` lists).
    public var members: MemberList?
    /// Like `safeWhenAbsent`, for a handle that is a file-scope object whose initialiser does
    /// not set this field (`sysfs_remove_group()` of a group with no `.name`: its files are
    /// the kobject's own, removed one by one, quietly; a named group's directory warns).
    public var safeWhenAbsentWithout: String?
    /// The argument at this index counts what is released, and a count of zero releases
    /// nothing (`dma_unmap_sg(dev, sg, 0, dir)`): an unwind that passes the count its
    /// skipped mapping would have used is no release of anything.
    public var noOpWhenZero: Int?
    /// The handle is an array of structs whose field of this name each holds a resource of
    /// the rule's kinds: the call releases what every element's field holds too
    /// (`clk_bulk_put(n, pd->clks)` puts the clocks a loop stored one by one into
    /// `pd->clks[i].clk`), besides what is held under the array itself (`clk_bulk_get`).
    public var elementField: String?
    /// The pack that declared it: rules for one call from different packs are alternatives
    /// (merged xv6 and Linux `kfree`), rules from one pack release parts of one thing
    /// (`iunlockput` drops a lock and a reference).
    public var pack = ""
    /// Derived from a helper's body (a summary), not declared: helpers are written to be
    /// called from any rung ("it's ok to call this even if we have no regions"), so calling
    /// one where nothing is held is not reported.
    public var fromSummary = false
    /// Whether resources the released ones took over are released too: always, never, or
    /// when the argument at this index is non-zero (`uvmunmap`'s `do_free`).
    public var freesContents: ContentsPolicy
    /// Releases every held resource of `kinds`, whatever its name: the children a walk of the
    /// handle's device finds (`ChildWalks`), or a helper's that walks them.
    public var children = false
    /// The address range released (`uvmunmap(pt, va, n, …)` releases `[va, va+n pages)`):
    /// only resources overlapping it go.
    public var range: RangeSpec?

    public init(call: String, kinds: [ResourceKind], handle: PathTemplate = PathTemplate(.argument(0)), bulk: Bool = false,
                alsoReleases: [ResourceKind] = [], nullSafe: Bool = false, freesContents: ContentsPolicy = .always) {
        self.call = call
        self.kinds = kinds
        self.handle = handle
        self.bulk = bulk
        self.alsoReleases = alsoReleases
        self.nullSafe = nullSafe
        self.freesContents = freesContents
    }

    public func with(range: RangeSpec?) -> ReleaseRule {
        var copy = self
        copy.range = range
        return copy
    }
}

/// Where a released object's initialiser lists its members: `field` names a file-scope array
/// of addresses (`.attrs = g_attrs`); each element is a member's address, or, with `entry`,
/// the address of that field inside the member (`&x.dev_attr.attr` lists `&x.dev_attr`).
/// Removing a member that is not there is a no-op.
public struct MemberList: Sendable, Hashable, Codable {
    public var field: String
    public var entry: String?

    public init(field: String, entry: String? = nil) {
        self.field = field
        self.entry = entry
    }
}

public enum ContentsPolicy: Sendable, Hashable, Codable {
    case always, never
    case whenArgumentNonZero(Int)
}
