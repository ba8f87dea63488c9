import Foundation

/// The rule packs shipped with ladder (`rules/*.yaml`), and loading by name or path.
public enum BuiltinPacks {
    public static var names: [String] { shipped.keys.sorted() }

    static var directory: String? {
        Bundle.module.resourceURL?.appendingPathComponent("rules").path
    }

    /// Every shipped pack, parsed once per process on first use and never changed after.
    /// The files are part of the binary, so a second parse could only give the same pack;
    /// parsing the YAML anew on each load made up three quarters of the fixture tests' time.
    /// All packs are parsed together (a few milliseconds in a release build) because an
    /// immutable table cannot fill one entry at a time.
    private static let shipped: [String: Result<RulePack, RulePackError>] = {
        guard let dir = directory, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        var table: [String: Result<RulePack, RulePackError>] = [:]
        for file in files where file.hasSuffix(".yaml") {
            table[String(file.dropLast(5))] = Result { () throws(RulePackError) in try RulePackLoader.load(path: dir + "/" + file) }
        }
        return table
    }()

    /// A built-in pack's name (`xv6`), or a path to a user's YAML file (read anew each time).
    public static func load(_ nameOrPath: String) throws(RulePackError) -> RulePack {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") {
            return try RulePackLoader.load(path: nameOrPath)
        }
        guard let pack = shipped[nameOrPath] else {
            throw RulePackError(file: nameOrPath, line: 0, column: 0,
                                message: "no built-in rule pack named '\(nameOrPath)' (available: \(names.joined(separator: ", ")))")
        }
        return try pack.get()
    }
}
