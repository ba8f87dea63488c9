import Foundation

/// The repair of a `release-order` finding: the early release and the late one swap places,
/// when both are statements of one straight run of code (no branch or label between them)
/// and nothing between them names either handle. Otherwise no fix: moving a release across
/// code that uses what it releases, or across a branch, changes more than the order.
struct ReleaseOrderFix: FixBuilder {
    func fix(for finding: Finding, from evidence: Evidence) -> Fix? {
        guard case .event(.releasedOutOfOrder(let order, let later), let context) = evidence,
              let source = context.sources.text(of: order.site.file), order.site.file == later.file,
              let early = StatementText(at: order.site, in: source), let late = StatementText(at: later, in: source),
              early.range.upperBound <= late.range.lowerBound else { return nil }
        let points = FunctionPoints(function: context.function)
        guard let a = points.point(of: order.site), let b = points.point(of: later), a.block == b.block else { return nil }
        let between = source.text(early.range.upperBound..<late.range.lowerBound)
        let handles = [order.released.handleText, order.dependent.handleText].filter { !$0.isEmpty }
        guard !handles.contains(where: { StatementText.mentions(between, $0) }) else { return nil }
        func replace(_ range: Range<Int>, with text: String) -> TextEdit {
            TextEdit(file: source.path, start: source.position(offset: range.lowerBound),
                     end: source.position(offset: range.upperBound), replacement: text)
        }
        return Fix(insertBefore: order.site, text: late.text + "\n",
                   summary: "swap '\(early.text)' (line \(order.site.line)) and '\(late.text)' (line \(later.line))",
                   edits: [replace(early.range, with: late.text), replace(late.range, with: early.text)],
                   sourceDigest: source.digest)
    }
}
