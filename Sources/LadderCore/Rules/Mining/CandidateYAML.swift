import Foundation

/// Mined candidates as rule-pack YAML for a reviewer: each entry a fact to check against
/// the API, with the support behind it and the functions to read. An acquire or release
/// seen in more than one pair gets one entry (its best-supported pair); the others follow
/// as comments, since a pack names each call once.
public enum CandidateYAML {
    public static func render(_ candidates: [PairCandidate], functions: Int, files: Int, minSupport: Int) -> String {
        var lines = [
            "# Candidate pairs mined from error paths (ladder rules --mine): review each before use.",
            "# \(candidates.count) pairs seen in at least \(minSupport) functions, from \(functions) functions in \(files) files;",
            "# pairs already in the loaded packs are left out. Kinds are named after the release.",
        ]
        guard !candidates.isEmpty else { return (lines + ["# (none)"]).joined(separator: "\n") + "\n" }
        var kinds: [String] = []
        var kindLines: [String] = []
        var acquires: [String: Int] = [:]
        var acquireLines: [String] = []
        var releases: Set<String> = []
        var releaseLines: [String] = []
        for candidate in candidates {
            let pair = candidate.pair
            let kind = kindName(release: pair.release)
            if !kinds.contains(kind) {
                kinds.append(kind)
                kindLines.append("  \(kind): mined from error paths, released by \(pair.release)()")
            }
            let support = "# support \(candidate.support): \(candidate.functions.prefix(8).joined(separator: ", "))"
                + (candidate.support > 8 ? ", …" : "")
            if acquires[pair.acquire] == nil {
                acquires[pair.acquire] = candidate.support
                acquireLines.append("  \(pair.acquire): {\(acquireFields(candidate, kind: kind))}  \(support)")
            } else {
                acquireLines.append("  # also \(pair.acquire) -> \(pair.release) (\(handle(pair.resource)), argument \(pair.releaseArgument)) \(support)")
            }
            if releases.insert(pair.release).inserted {
                releaseLines.append("  \(pair.release): {kind: \(kind), handle: \"{\(pair.releaseArgument)}\"}")
            }
        }
        lines += ["", "kinds:"] + kindLines + ["", "acquire:"] + acquireLines + ["", "release:"] + releaseLines
        return lines.joined(separator: "\n") + "\n"
    }

    private static func acquireFields(_ candidate: PairCandidate, kind: String) -> String {
        var fields = ["kind: \(kind)"]
        if case .argument = candidate.pair.resource { fields.append("handle: \"\(handle(candidate.pair.resource))\"") }
        fields.append("success: \(candidate.success.rawValue)")
        return fields.joined(separator: ", ")
    }

    private static func handle(_ resource: MinedResource) -> String {
        switch resource {
        case .result: "{ret}"
        case .argument(let n): "{\(n)}"
        }
    }

    /// `widget_free` → `widget`; `gpiochip_remove` → `gpiochip`; else the release's name.
    static func kindName(release: String) -> String {
        let suffixes = ["_unregister", "_free", "_put", "_release", "_destroy", "_disable", "_unmap", "_unprepare",
                        "_exit", "_remove", "_del", "_delete", "_stop", "_close", "_detach", "_unclaim", "_deinit",
                        "_cleanup", "_uninit", "_teardown", "_unbind", "_unpin", "_off", "_unlock", "_unmark"]
        let prefixes = ["free_", "put_", "release_", "destroy_", "unregister_"]
        var stem = release
        if let suffix = suffixes.first(where: { stem.hasSuffix($0) && stem.count > $0.count }) {
            stem = String(stem.dropLast(suffix.count))
        } else if let prefix = prefixes.first(where: { stem.hasPrefix($0) && stem.count > $0.count }) {
            stem = String(stem.dropFirst(prefix.count))
        }
        return stem.trimmingCharacters(in: ["_"]).replacingOccurrences(of: "_", with: "-")
    }
}
