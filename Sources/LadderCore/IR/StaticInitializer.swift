/// What a file-scope object's initialiser says about other file-scope objects, read by the
/// front end: the designated fields that name one (`.attrs = w83627hf_attributes_opt`), and,
/// for an array, the addresses its elements hold (`&sensor_dev_attr_in5_input.dev_attr.attr`,
/// as the path of that address). A pack's `members` release reads them: removing an unnamed
/// attribute group removes every file it lists (`ListedMembers`).
///
/// Only addresses of file-scope objects and their members are kept; any other element (a
/// call, a local, arithmetic) makes the array unknown, and `addresses` is then nil. Null
/// elements (`NULL`, the list's end) are skipped. `designated` names every field the
/// initialiser sets by designator, whatever the value (`.name = "fan"`): a pack's
/// `safeWhenAbsentWithout` asks whether one is set.
public struct StaticInitializer: Sendable, Hashable, Codable {
    public var name: String
    public var fields: [String: String]
    public var addresses: [AccessPath]?
    public var designated: [String]

    public init(name: String, fields: [String: String] = [:], addresses: [AccessPath]? = nil, designated: [String] = []) {
        self.name = name
        self.fields = fields
        self.addresses = addresses
        self.designated = designated
    }
}
