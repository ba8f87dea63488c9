import LadderCore

/// What callers see of every function of the database during phase 2: its latest summary as
/// widened (`Widening.visible`), and that summary's digest for the inputs of its callers
/// (nil when empty: `SummaryDigest`), each worked out once per change rather than once per
/// caller.
struct SummaryView: Sendable {
    private(set) var summaries: [[FunctionSummary?]]
    private(set) var digests: [[Digest?]]

    init(_ units: [FixedPoint.Unit], _ widening: Widening) {
        summaries = []
        digests = []
        for (u, unit) in units.enumerated() {
            var row: [FunctionSummary?] = []
            var rowDigests: [Digest?] = []
            for (record, check) in zip(unit.entry.functions, unit.current) {
                let summary = widening.visible(FunctionKey(unit: u, file: unit.command.file, name: record.name), computed: check.summary)
                row.append(summary.isEmpty ? nil : summary)
                rowDigests.append(summary.isEmpty ? nil : SummaryDigest.of(summary))
            }
            summaries.append(row)
            digests.append(rowDigests)
        }
    }

    mutating func update(_ node: CallGraph.Node, _ summary: FunctionSummary) {
        let known = summary.isEmpty ? nil : summary
        guard summaries[node.unit][node.function] != known else { return }
        summaries[node.unit][node.function] = known
        digests[node.unit][node.function] = known.map(SummaryDigest.of)
    }
}
