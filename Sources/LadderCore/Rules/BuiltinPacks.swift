import Foundation
import Synchronization

/// The rule packs shipped with ladder (`rules/*.yaml`), and loading by name or path.
public enum BuiltinPacks {
    public static var names: [String] { files.keys.sorted() }

    static var directory: String? {
        Bundle.module.resourceURL?.appendingPathComponent("rules").path
    }

    /// The shipped YAML files by pack name.
    private static let files: [String: String] = {
        guard let dir = directory, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        return Dictionary(names.filter { $0.hasSuffix(".yaml") }.map { (String($0.dropLast(5)), dir + "/" + $0) },
                          uniquingKeysWith: { a, _ in a })
    }()

    /// Each shipped pack, parsed once per process on first use and never changed after.
    /// The files are part of the binary, so a second parse could only give the same pack;
    /// parsing the YAML anew on each load made up three quarters of the fixture tests' time.
    /// Only the packs asked for: Linux's is most of the parsing, and an xv6 run has no use
    /// for it (a tenth of a warm lint of real xv6-riscv went to parsing it, twice).
    private static let shipped = Mutex<[String: Result<RulePack, RulePackError>]>([:])

    private static func shippedPack(_ name: String) -> Result<RulePack, RulePackError>? {
        guard let file = files[name] else { return nil }
        return shipped.withLock { table in
            if let known = table[name] { return known }
            let loaded = Result { () throws(RulePackError) in try RulePackLoader.load(path: file) }
            table[name] = loaded
            return loaded
        }
    }

    /// A built-in pack's name (`xv6`), or a path to a user's YAML file (read anew each time).
    public static func load(_ nameOrPath: String) throws(RulePackError) -> RulePack {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") {
            return try RulePackLoader.load(path: nameOrPath)
        }
        guard let pack = shippedPack(nameOrPath) else {
            throw RulePackError(file: nameOrPath, line: 0, column: 0,
                                message: "no built-in rule pack named '\(nameOrPath)' (available: \(names.joined(separator: ", ")))")
        }
        return try pack.get()
    }
}
