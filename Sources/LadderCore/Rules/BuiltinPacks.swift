import Foundation

/// The rule packs shipped with ladder (`rules/*.yaml`), and loading by name or path.
public enum BuiltinPacks {
    public static var names: [String] {
        guard let dir = directory,
              let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static var directory: String? {
        Bundle.module.resourceURL?.appendingPathComponent("rules").path
    }

    /// A built-in pack's name (`xv6`), or a path to a user's YAML file.
    public static func load(_ nameOrPath: String) throws(RulePackError) -> RulePack {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") {
            return try RulePackLoader.load(path: nameOrPath)
        }
        guard let dir = directory, names.contains(nameOrPath) else {
            throw RulePackError(file: nameOrPath, line: 0, column: 0,
                                message: "no built-in rule pack named '\(nameOrPath)' (available: \(names.joined(separator: ", ")))")
        }
        return try RulePackLoader.load(path: dir + "/" + nameOrPath + ".yaml")
    }
}
