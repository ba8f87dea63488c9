import Foundation

/// The repair of a `double-release` finding, in the code's own style:
/// - the second release is guarded by a test of the handle (`if(ip){ iunlockput(ip); … }`):
///   the handle is cleared after the first release and the releases that follow it
///   (`ip = 0;`, `NULL` in a file that writes `NULL`), as xv6's `exec` does;
/// - every path to the second release passed the first: the second is deleted;
/// - the first is on a path of its own that then jumps to the second (a rung that releases
///   it anyway): the first is deleted.
/// Otherwise no fix. A release by the framework (`devm_*`) or a scope-exit cleanup has no
/// statement to delete, and gets none.
struct DoubleReleaseFix: FixBuilder {
    func fix(for finding: Finding, from evidence: Evidence) -> Fix? {
        guard case .event(.releasedTwice(let first?, let resource, let call, let site), let context) = evidence,
              call.origin == .source, let source = context.sources.text(of: site.file), first.site.file == site.file,
              let second = StatementText(at: site, in: source), let earlier = StatementText(at: first.site, in: source),
              earlier.range.upperBound <= second.range.lowerBound else { return nil }
        let points = FunctionPoints(function: context.function)
        guard let secondPoint = points.point(of: site), let firstPoint = points.point(of: first.site) else { return nil }

        if guarded(second, by: resource.handleText, in: source), let line = afterReleases(following: firstPoint, points: points, pack: context.pack, source: source) {
            let indent = source.indentation(of: line)
            let null = String(decoding: source.bytes, as: UTF8.self).contains("NULL") ? "NULL" : "0"
            let statement = "\(resource.handleText) = \(null);"
            let at = source.position(offset: source.lineStart(line))
            return Fix(insertBefore: SourceLocation(file: site.file, line: line, column: 1), text: statement + "\n",
                       summary: "insert '\(statement)' before line \(line)",
                       edits: [TextEdit(file: source.path, start: at, end: at, replacement: indent + statement + "\n")],
                       sourceDigest: source.digest)
        }
        if points.isDominated(secondPoint, by: first.site), let lines = second.lines(in: source) {
            return deletion(lines, of: second, at: site, source: source)
        }
        if points.isPrivate(firstPoint, handles: []), leadsStraight(from: firstPoint, to: secondPoint, points: points),
           let lines = earlier.lines(in: source) {
            return deletion(lines, of: earlier, at: first.site, source: source)
        }
        return nil
    }

    private func deletion(_ lines: Range<Int>, of statement: StatementText, at location: SourceLocation, source: SourceText) -> Fix {
        Fix(insertBefore: location, text: "", summary: "delete '\(statement.text)' at line \(location.line)",
            edits: [TextEdit(file: source.path, start: source.position(offset: lines.lowerBound),
                             end: source.position(offset: lines.upperBound), replacement: "")],
            sourceDigest: source.digest)
    }

    /// `if(ip)` / `if (priv->buf)` just before the block holding the statement (or the
    /// statement itself as its body).
    private func guarded(_ statement: StatementText, by handle: String, in source: SourceText) -> Bool {
        var i = statement.range.lowerBound
        while let prev = source.previousSignificant(before: i) {
            switch source.bytes[prev] {
            case UInt8(ascii: "{"), UInt8(ascii: ";"):
                if source.bytes[prev] == UInt8(ascii: ";") { i = prev; continue }
                return condition(endingBefore: prev, in: source).map { $0 == handle } ?? false
            case UInt8(ascii: ")"): return condition(endingBefore: prev + 1, in: source).map { $0 == handle } ?? false
            default: return false
            }
        }
        return false
    }

    /// The text of `if (X)` ending just before `end`, trimmed: `X`.
    private func condition(endingBefore end: Int, in source: SourceText) -> String? {
        guard let close = source.previousSignificant(before: end), source.bytes[close] == UInt8(ascii: ")") else { return nil }
        var depth = 0
        var i = close
        while i >= 0 {
            if source.bytes[i] == UInt8(ascii: ")") { depth += 1 }
            if source.bytes[i] == UInt8(ascii: "(") { depth -= 1; if depth == 0 { break } }
            i -= 1
        }
        guard i > 0, let word = source.previousSignificant(before: i), source.endsWithWord("if", at: word) else { return nil }
        return source.text((i + 1)..<close).trimmingSpaces
    }

    /// The line after the first release and the release calls straight after it in its block.
    private func afterReleases(following point: FunctionPoints.Point, points: FunctionPoints, pack: RulePack,
                               source: SourceText) -> Int? {
        let block = points.block(point.block)
        var index = point.index
        while index + 1 < block.statements.count, case .call(let next) = block.statements[index + 1],
              let callee = next.callee, pack.releases[callee] != nil {
            index += 1
        }
        let last = block.statements[index].location
        guard let statement = StatementText(at: last, in: source), let lines = statement.lines(in: source) else { return nil }
        return source.position(offset: lines.upperBound).line
    }

    /// Whether the first release's block goes, through jumps alone, to the second's.
    private func leadsStraight(from a: FunctionPoints.Point, to b: FunctionPoints.Point, points: FunctionPoints) -> Bool {
        var current = a.block
        var seen: Set<BlockID> = []
        while seen.insert(current).inserted {
            if current == b.block { return true }
            guard case .jump(let next, _) = points.block(current).terminator else { return false }
            current = next
        }
        return false
    }
}
