import Foundation
import LadderCore

/// The lines a change touched, for `ladder lint --changed-since REV`: a pull request's run
/// reports only findings whose primary statement or acquire site is on a line it changed, as
/// clang-tidy-diff does, so a tree with old findings can gate new code without a baseline.
///
/// Read from `git diff -U0 REV` (REV against the working tree, `ChangedLines+Git.swift`):
/// each hunk's new lines are changed. A hunk that only deletes (`+c,0`) changes the lines on
/// both sides of the gap, c and c+1: deleting the `kfree(buf);` just above a `return` is how
/// a leak is most often introduced, and its finding is at that `return`. A deletion further
/// from the finding (a release removed from a shared `err:` ladder that a `goto` far above
/// reaches) is not seen: the finding's lines and its acquire site did not change.
/// Untracked files count as changed throughout.
///
/// Paths are compared after making them absolute and resolving symbolic links, so a finding
/// named relative to the directory ladder ran in, or absolutely by a compile database,
/// matches the diff's path under the repository's top level.
public struct ChangedLines: Sendable, Hashable {
    /// Changed line spans per absolute, symlink-resolved path, sorted and disjoint.
    public private(set) var files: [String: [ClosedRange<Int>]]
    /// Where the report's relative paths are relative to: the directory ladder ran in.
    public var workingDirectory: String

    public init(files: [String: [ClosedRange<Int>]], workingDirectory: String) {
        self.files = files.mapValues(Self.merged)
        self.workingDirectory = workingDirectory
    }

    /// The changed lines of a unified diff (`git diff -U0` output), its paths relative to
    /// `root` (the repository's top level).
    public static func parse(diff: String, root: String, workingDirectory: String) -> ChangedLines {
        var files: [String: [ClosedRange<Int>]] = [:]
        var current: String?
        var oldLeft = 0, newLeft = 0
        for raw in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            // Inside a hunk every line is content, even one that looks like a header.
            if oldLeft > 0 || newLeft > 0 {
                switch line.first {
                case "-": oldLeft -= 1
                case "+": newLeft -= 1
                case " ": oldLeft -= 1; newLeft -= 1
                default: break  // "\ No newline at end of file"
                }
                continue
            }
            if line.hasPrefix("+++ ") {
                current = Self.path(String(line.dropFirst(4))).map { root + "/" + $0 }
                if let current, files[current] == nil { files[current] = [] }
            } else if line.hasPrefix("@@ "), let hunk = Hunk(line) {
                oldLeft = hunk.oldCount
                newLeft = hunk.newCount
                guard let current else { continue }
                if hunk.newCount > 0 {
                    files[current, default: []].append(hunk.newStart...(hunk.newStart + hunk.newCount - 1))
                } else {
                    files[current, default: []].append(max(hunk.newStart, 1)...(hunk.newStart + 1))
                }
            } else if line.hasPrefix("diff ") {
                current = nil
            }
        }
        return ChangedLines(files: files, workingDirectory: workingDirectory)
    }

    /// A whole file as changed (an untracked file, new to the repository).
    public mutating func addWholeFile(_ absolutePath: String) {
        files[absolutePath] = [1...Int.max]
    }

    /// Whether any of `lines` of `file` (as a report names it) changed.
    public func touches(_ file: String, lines: ClosedRange<Int>, resolving cache: inout [String: String]) -> Bool {
        let key: String
        if let known = cache[file] { key = known } else {
            let absolute = file.hasPrefix("/") ? file : workingDirectory + "/" + file
            key = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
            cache[file] = key
        }
        guard let spans = files[key] else { return false }
        return spans.contains { $0.overlaps(lines) }
    }

    /// The report with only the findings whose primary statement or acquire site is on a
    /// changed line. Errors stay: a file that was not checked is not known to be unchanged
    /// code's problem only.
    public func filter(_ report: Report) -> Report {
        var cache: [String: String] = [:]
        var filtered = report
        filtered.findings = report.findings.filter { f in
            if touches(f.location.file, lines: f.range.lines, resolving: &cache) { return true }
            guard let acquired = f.resource?.acquiredAt, acquired.line >= 1 else { return false }
            return touches(acquired.file, lines: acquired.range.lines, resolving: &cache)
        }
        return filtered
    }

    /// `b/path` as git writes it after `+++ `, unquoted; nil for `/dev/null` (a deleted file).
    static func path(_ field: String) -> String? {
        let name = field.hasPrefix("\"") ? unquote(field) : field
        guard name != "/dev/null" else { return nil }
        return name.hasPrefix("b/") ? String(name.dropFirst(2)) : name
    }

    /// git's C-style quoting of unusual paths: `"sp\"a\\ce\tname"`, octal escapes for bytes.
    static func unquote(_ quoted: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(quoted.utf8.dropFirst())
        if input.last == UInt8(ascii: "\"") { input.removeLast() }
        var i = 0
        while i < input.count {
            let byte = input[i]
            i += 1
            guard byte == UInt8(ascii: "\\"), i < input.count else { bytes.append(byte); continue }
            let escaped = input[i]
            i += 1
            switch escaped {
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "r"): bytes.append(13)
            case UInt8(ascii: "a"): bytes.append(7)
            case UInt8(ascii: "b"): bytes.append(8)
            case UInt8(ascii: "f"): bytes.append(12)
            case UInt8(ascii: "v"): bytes.append(11)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, i < input.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(input[i]) {
                    value = value * 8 + Int(input[i] - UInt8(ascii: "0"))
                    i += 1
                    digits += 1
                }
                bytes.append(UInt8(truncatingIfNeeded: value))
            default: bytes.append(escaped)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func merged(_ spans: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, span.lowerBound <= last.upperBound || span.lowerBound == last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, span.upperBound)
            } else {
                out.append(span)
            }
        }
        return out
    }

    /// `@@ -a[,b] +c[,d] @@`: a count left out is 1.
    struct Hunk {
        var oldCount: Int
        var newStart: Int
        var newCount: Int

        init?(_ header: Substring) {
            let fields = header.split(separator: " ")
            guard fields.count >= 3, fields[1].hasPrefix("-"), fields[2].hasPrefix("+"),
                  let old = Self.span(fields[1].dropFirst()), let new = Self.span(fields[2].dropFirst()) else { return nil }
            oldCount = old.count
            newStart = new.start
            newCount = new.count
        }

        static func span(_ text: Substring) -> (start: Int, count: Int)? {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            guard let start = Int(parts[0]) else { return nil }
            guard parts.count == 2 else { return parts.count == 1 ? (start, 1) : nil }
            guard let count = Int(parts[1]) else { return nil }
            return (start, count)
        }
    }
}
