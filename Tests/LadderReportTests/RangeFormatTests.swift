import Foundation
import LadderCore
import Testing
@testable import LadderReport

/// Ranges in the formats, on hand-built findings: a statement over two lines, a file that
/// cannot be read, an unknown extent.
@Suite struct RangeFormatTests {
    /// `kfree(` on line 40, its argument on 41: bytes 5..<10 of line 41 end it.
    static let wide: Finding = {
        var at = LadderCore.SourceLocation(file: "kernel/nowhere.c", line: 40, column: 5)
        at.end = SourcePosition(line: 41, column: 10)
        return Finding(rule: .doubleRelease, message: "page 'mem' from kalloc() is released twice", function: "f", location: at)
    }()

    static func render(_ finding: Finding, _ format: OutputFormat) -> String {
        ReportRenderer.render(Report(findings: [finding], stats: Stats(files: 1)), as: format, options: SampleReport.options)
    }

    @Test("a statement over two lines: JSON's range, SARIF's region, Code Quality's lines, GitHub's endLine")
    func overTwoLines() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Self.render(Self.wide, .json).utf8)) as? [String: Any])
        let range = (json["findings"] as? [[String: Any]])?.first?["range"] as? [String: [String: Int]]
        #expect(range == ["start": ["line": 40, "column": 5], "end": ["line": 41, "column": 10]])
        // The file cannot be read: SARIF keeps the byte columns.
        #expect(Self.render(Self.wide, .sarif).contains(#""region": {"startLine": 40, "startColumn": 5, "endLine": 41, "endColumn": 10}"#))
        #expect(Self.render(Self.wide, .codeclimate).contains(#""lines": {"begin": 40, "end": 41}"#))
        #expect(Self.render(Self.wide, .github).hasPrefix("::error file=kernel/nowhere.c,line=40,endLine=41,col=5,"))
    }

    @Test("an unknown extent: JSON's range is empty at the start; SARIF leaves the end out")
    func unknownExtent() throws {
        let point = Finding(rule: .doubleRelease, message: "m", function: "f",
                            location: LadderCore.SourceLocation(file: "kernel/nowhere.c", line: 7, column: 3))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(Self.render(point, .json).utf8)) as? [String: Any])
        let range = (json["findings"] as? [[String: Any]])?.first?["range"] as? [String: [String: Int]]
        #expect(range == ["start": ["line": 7, "column": 3], "end": ["line": 7, "column": 3]])
        #expect(Self.render(point, .sarif).contains(#""region": {"startLine": 7, "startColumn": 3}"#))
        #expect(Self.render(point, .codeclimate).contains(#""lines": {"begin": 7, "end": 7}"#))
    }
}
