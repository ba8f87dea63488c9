import Foundation
import LadderCore
import LadderTestSupport
import Testing
@testable import LadderReport

/// Every format over the sample report, against files in Goldens/ (re-bless with
/// `LADDER_BLESS=1`), and the machine formats against their schemas.
@Suite struct GoldenTests {
    let report = SampleReport.report
    let options = SampleReport.options

    @Test func text() throws {
        try Support.assertGolden(ReportRenderer.render(report, as: .text, options: options), named: "sample.txt")
    }

    @Test func json() throws {
        try Support.assertGolden(ReportRenderer.render(report, as: .json, options: options), named: "sample.json")
    }

    @Test func sarif() throws {
        try Support.assertGolden(ReportRenderer.render(report, as: .sarif, options: options), named: "sample.sarif")
    }

    @Test func github() throws {
        try Support.assertGolden(ReportRenderer.render(report, as: .github, options: options), named: "sample.github.txt")
    }

    /// Clean runs have their own shape (empty arrays, no codeFlows), so they get goldens too.
    @Test(arguments: [OutputFormat.text, .json, .sarif, .github])
    func emptyReport(format: OutputFormat) throws {
        let empty = Report(stats: Stats(files: 3, functions: 12, seconds: 0.01))
        let name = "empty.\(format == .github ? "github.txt" : format == .text ? "txt" : format.rawValue)"
        try Support.assertGolden(ReportRenderer.render(empty, as: format, options: options), named: name)
    }

    @Test func renderingIsIndependentOfInputOrder() {
        var reversed = report
        reversed.findings.reverse()
        reversed.errors.reverse()
        for format in OutputFormat.allCases {
            #expect(ReportRenderer.render(reversed, as: format, options: options)
                    == ReportRenderer.render(report, as: format, options: options), "\(format)")
        }
    }

    /// The JSON goldens, validated against docs/json-report.schema.json.
    @Test(arguments: ["sample.json", "empty.json"])
    func jsonGoldenMatchesSchema(name: String) throws {
        let errors = try JSONSchemaCheck.errors(documentAt: Support.goldens.appendingPathComponent(name).path,
                                                schemaAt: JSONSchemaCheck.jsonReportSchema)
        #expect(errors.isEmpty, "\(name) against json-report.schema.json:\n\(errors.joined(separator: "\n"))")
    }

    /// The SARIF goldens, validated against the SARIF 2.1.0 schema in ../shared/schemas.
    @Test(.enabled(if: JSONSchemaCheck.sarifSchemaAvailable, "needs ../shared/schemas/sarif-schema-2.1.0.json beside the package"),
          arguments: ["sample.sarif", "empty.sarif"])
    func sarifGoldenMatchesSchema(name: String) throws {
        let errors = try JSONSchemaCheck.errors(documentAt: Support.goldens.appendingPathComponent(name).path,
                                                schemaAt: JSONSchemaCheck.sarifSchema)
        #expect(errors.isEmpty, "\(name) against the SARIF 2.1.0 schema:\n\(errors.joined(separator: "\n"))")
    }

    /// The schema must reject what the documentation forbids, or validating against it
    /// proves nothing.
    @Test func jsonSchemaRejectsAWrongShape() throws {
        let bad = #"{"version": 2, "tool": {"name": "ladder"}, "findings": [{"rule": "leak"}], "errors": [], "stats": {}}"#
        let errors = try JSONSchemaCheck.errors(document: bad, schemaAt: JSONSchemaCheck.jsonReportSchema)
        #expect(errors.count >= 4, "\(errors)")
    }
}
