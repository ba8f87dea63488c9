import Foundation
import Synchronization

/// The digest of each file's contents, worked out at most once per run however many units
/// include it: a kernel header is read by hundreds of units, and hashing it again for each
/// would cost more than the check it serves.
///
/// An editor's unsaved buffer stands for the file it replaces, as it does for libclang.
final class ContentHashes: Sendable {
    private let known = Mutex<[String: Digest?]>([:])
    /// Buffers by absolute, normalised path.
    private let buffers: [String: String]

    init(unsavedFiles: [String: String]) {
        var buffers: [String: String] = [:]
        for (path, text) in unsavedFiles { buffers[Self.absolute(path, directory: nil)] = text }
        self.buffers = buffers
    }

    /// nil when the file is gone or unreadable: whatever recorded it is out of date.
    func digest(of path: String) -> Digest? {
        if let buffer = buffers[path] { return Digest.of(buffer) }
        if let cached = known.withLock({ $0[path] }) { return cached }
        let digest = FileManager.default.contents(atPath: path).map { data in
            data.withUnsafeBytes { bytes in
                var sha = SHA256()
                sha.update(bytes)
                return sha.finish()
            }
        }
        known.withLock { $0[path] = digest }
        return digest
    }

    /// The main file of a command, as the cache records it.
    static func absolute(_ file: String, directory: String?) -> String {
        let base = directory ?? FileManager.default.currentDirectoryPath
        let joined = file.hasPrefix("/") ? file : base + "/" + file
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
