import Foundation
import LadderTestSupport

enum Paths {
    static let root = Repository.root.path

    static func fixtures(_ subpath: String) -> String { root + "/fixtures/" + subpath }

    static func cFiles(under subpath: String) -> [String] {
        let base = fixtures(subpath)
        guard let entries = FileManager.default.enumerator(atPath: base) else { return [] }
        return entries.compactMap { $0 as? String }.filter { $0.hasSuffix(".c") }.sorted().map { subpath + "/" + $0 }
    }
}
