/// Objects released together with the file-scope object that lists them: old hwmon drivers
/// create the attributes a chip may lack one by one (`device_create_file(dev,
/// &sensor_dev_attr_in5_input.dev_attr)`, as the chip allows) and remove them all at once by
/// removing an unnamed group whose `.attrs` array lists them (`sysfs_remove_group(&dev->kobj,
/// &w83627hf_group_opt)`), which removes each listed file by name and skips the absent ones.
/// Read alone, every attribute created looks leaked at the failure label.
///
/// Only for an object whose initialiser does not set the rule's `safeWhenAbsentWithout`
/// field (`.name`): a named group's files are in a directory of its own, and removing it
/// removes none created one by one in the kobject's own.
///
/// The pack says which release reads such a list (`members: {field: attrs, entry: attr}`);
/// the front end reads the unit's file-scope initialisers (`StaticInitializer`). Known only
/// from the whole unit, so written onto the functions that make such a release
/// (`Function.listedMembers`): the released object's handle (`&w83627hf_group_opt`) with the
/// handles of its members (`&sensor_dev_attr_in5_input.dev_attr`).
///
/// The same reading answers a rule's `safeWhenAbsentWithout`: an object whose initialiser is
/// read and does not set that field (a group with no `.name`) is noted `quietWhenAbsent`,
/// and releasing it when it is not there is no finding.
///
/// Limits: only an object named directly in the release (`&g`, not a pointer to it, nor one
/// picked from an array of groups as `sysfs_remove_groups` takes them); only designated
/// initialisers; an array element that is not an address of a file-scope object or of a
/// member of one leaves the whole list unread, and nothing is released through it.
struct ListedMembers {
    let pack: RulePack

    func annotate(_ unit: TranslationUnit) -> TranslationUnit {
        guard let initializers = unit.staticInitializers, !initializers.isEmpty,
              pack.releases.values.contains(where: { $0.contains { $0.members != nil || $0.safeWhenAbsentWithout != nil } }) else { return unit }
        let byName = Dictionary(initializers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var result = unit
        for i in result.functions.indices {
            var listed: [AccessPath: MemberListing] = [:]
            for listing in result.functions[i].listedMembers ?? [] { listed[listing.object] = listing }
            for block in result.functions[i].blocks {
                for statement in block.statements {
                    guard case .call(let call) = statement, let callee = call.callee, let rules = pack.releases[callee] else { continue }
                    for rule in rules {
                        guard let handle = rule.handle.path(result: call.result, arguments: call.arguments),
                              let object = Self.object(handle), let initializer = byName[object] else { continue }
                        var listing = listed[handle] ?? MemberListing(object: handle, members: [])
                        // A named group's files are in a directory of its own: removing it
                        // removes none created one by one in the kobject's.
                        let named = rule.safeWhenAbsentWithout.map(initializer.designated.contains) ?? false
                        if let list = rule.members, !named, let members = Self.members(of: initializer, list, byName) { listing.members = members }
                        if rule.safeWhenAbsentWithout != nil, !named { listing.quietWhenAbsent = true }
                        if !listing.members.isEmpty || listing.quietWhenAbsent { listed[handle] = listing }
                    }
                }
            }
            if !listed.isEmpty { result.functions[i].listedMembers = listed.values.sorted { $0.object < $1.object } }
        }
        return result
    }

    /// The file-scope object `&g` names.
    static func object(_ handle: AccessPath) -> String? {
        guard handle.steps == [.addressOf], let object = handle.rootVariable, object.storage == .global else { return nil }
        return object.name
    }

    /// `g`'s members: the addresses `g.field`'s array lists, each as it is (`&dev_attr_foo.attr`,
    /// which `sysfs_create_file(kobj, &dev_attr_foo.attr)` names) and without the `entry`
    /// field it points at (`&dev_attr_foo`, which `device_create_file(dev, &dev_attr_foo)` names).
    static func members(of initializer: StaticInitializer, _ list: MemberList, _ byName: [String: StaticInitializer]) -> [AccessPath]? {
        guard let array = initializer.fields[list.field], let addresses = byName[array]?.addresses,
              !addresses.isEmpty else { return nil }
        return addresses.flatMap { address in
            guard let entry = list.entry, address.steps.count >= 2,
                  address.steps[address.steps.count - 2] == .field(entry, arrow: false) else { return [address] }
            return [address, AccessPath(address.root, address.steps.dropLast(2) + [.addressOf])]
        }
    }
}

/// One object a function releases with its members (`ListedMembers`): `&w83627hf_group_opt`
/// with `&sensor_dev_attr_in5_input.dev_attr`, ….
public struct MemberListing: Sendable, Hashable, Codable {
    public var object: AccessPath
    public var members: [AccessPath]
    /// Releasing the object when it is not there is a no-op (`safeWhenAbsentWithout`).
    public var quietWhenAbsent = false

    public init(object: AccessPath, members: [AccessPath], quietWhenAbsent: Bool = false) {
        self.object = object
        self.members = members
        self.quietWhenAbsent = quietWhenAbsent
    }
}
