import Foundation

/// What a cache entry's writer is known by: the version, and the digest of the running
/// executable, so a rebuilt ladder (same version, other lowering) does not read what an
/// older build wrote. Contents rather than the file's time: CI jobs that each install
/// the same release share their caches; jobs that each build ladder from source share
/// them only if the builds are byte-identical (build once and pass the binary on).
///
/// Hashing a release binary takes a moment, so the digest is kept in the cache directory
/// under the executable's device, inode, size and modification time.
public enum ToolIdentity {
    public static func current(version: String, cacheDirectory: String?) -> String {
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        return version + "+" + (digest(of: executable, cacheDirectory: cacheDirectory)?.hex ?? "unknown")
    }

    static func digest(of executable: String, cacheDirectory: String?) -> Digest? {
        var info = stat()
        guard stat(executable, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        let stamp = "\(info.st_dev)-\(info.st_ino)-\(info.st_size)-\(modified.tv_sec).\(modified.tv_nsec)"
        let memo = cacheDirectory.map { $0 + "/" + UnitStore.format + "/tools/" + stamp }
        if let memo, let text = try? String(contentsOfFile: memo, encoding: .utf8), text.count == 64 {
            return Digest(hex: text)
        }
        guard let data = FileManager.default.contents(atPath: executable) else { return nil }
        let digest = data.withUnsafeBytes { bytes in
            var sha = SHA256()
            sha.update(bytes)
            return sha.finish()
        }
        if let memo {
            try? FileManager.default.createDirectory(atPath: (memo as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? digest.hex.write(toFile: memo, atomically: true, encoding: .utf8)
        }
        return digest
    }
}
