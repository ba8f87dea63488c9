import Foundation
import LadderCore
import Testing
@testable import LadderReport

@Suite struct BaselineTests {
    let report = SampleReport.report

    @Test func roundTripThroughAFile() throws {
        let dir = try TemporaryDirectory()
        let baseline = Baseline.make(from: report)
        try baseline.write(to: dir.path("ladder-baseline.json"))
        let loaded = try Baseline.load(path: dir.path("ladder-baseline.json"))
        #expect(loaded == baseline)
        #expect(loaded.entries.count == report.findings.count)
        #expect(loaded.filter(report).findings.isEmpty)
        #expect(loaded.filter(report).errors == report.errors.sorted { $0.file < $1.file })
    }

    /// The file is sorted and line-free, so the order findings come in does not matter.
    @Test func serializationIsSortedAndReadable() throws {
        var shuffled = report
        shuffled.findings.reverse()
        let text = Baseline.make(from: shuffled).serialized()
        #expect(text == Baseline.make(from: report).serialized())
        #expect(text.hasPrefix("{\n  \"version\": 1,\n"))
        #expect(text.contains("\"function\": \"proc_pagetable\""))
        #expect(!text.contains("\"line\""))
        let files = Baseline.make(from: report).entries.map(\.file)
        #expect(files == files.sorted())
    }

    @Test func duplicatesAreCounted() {
        let one = Report(findings: [SampleReport.missingUnmap], stats: Stats(files: 1))
        let baseline = Baseline.make(from: one)
        var twice = SampleReport.missingUnmap
        twice.location.line = 230
        let two = Report(findings: [SampleReport.missingUnmap, twice], stats: Stats(files: 1))
        let left = baseline.filter(two).findings
        #expect(left.count == 1)
        #expect(left.first?.fingerprint == SampleReport.missingUnmap.fingerprint)
        #expect(Baseline.make(from: two).filter(two).findings.isEmpty)
    }

    /// A baseline survives unrelated edits above a function (every line moves),
    /// but not a different bug in the same function.
    @Test func fingerprintsIgnoreLineNumbers() {
        let baseline = Baseline.make(from: report)
        var moved = report
        for i in moved.findings.indices {
            let f = moved.findings[i]
            func shift(_ l: LadderCore.SourceLocation) -> LadderCore.SourceLocation { LadderCore.SourceLocation(file: l.file, line: l.line + 20, column: l.column) }
            moved.findings[i] = Finding(
                rule: f.rule, severity: f.severity, message: f.message, function: f.function, location: shift(f.location),
                resource: f.resource.map { ResourceInfo(kind: $0.kind, handle: $0.handle, acquiredBy: $0.acquiredBy,
                                                        acquiredAt: shift($0.acquiredAt)) },
                path: f.path.map { PathStep(location: shift($0.location), message: $0.message) },
                fix: f.fix.map { Fix(insertBefore: shift($0.insertBefore), text: $0.text) },
                fingerprint: f.rule == .missingRelease ? nil : f.fingerprint)
        }
        #expect(moved.findings.map(\.fingerprint) == report.findings.map(\.fingerprint))
        #expect(baseline.filter(moved).findings.isEmpty)

        let otherLeak = Finding(
            rule: .missingRelease, message: "pagetable from uvmcreate() is not released on this error path",
            function: "proc_pagetable", location: SampleReport.loc("kernel/proc.c", 207, 5),
            resource: ResourceInfo(kind: "pagetable", handle: "pagetable", acquiredBy: "uvmcreate",
                                   acquiredAt: SampleReport.loc("kernel/proc.c", 198, 15)))
        #expect(baseline.filter(Report(findings: [otherLeak], stats: Stats(files: 1))).findings == [otherLeak])
    }

    @Test(arguments: [
        ("{not json", "not a ladder baseline: not valid JSON"),
        ("[1, 2]", "not a ladder baseline: the top level is not an object"),
        (#"{"findings": []}"#, "not a ladder baseline: no \"version\" field"),
        (#"{"version": "1", "findings": []}"#, "not a ladder baseline: \"version\" is not a number"),
        (#"{"version": 2, "findings": []}"#,
         "baseline version 2 is not supported (this ladder reads version 1); rewrite it with --write-baseline"),
        (#"{"version": 1}"#, "not a ladder baseline: no \"findings\" array"),
        (#"{"version": 1, "findings": [{"rule": "missing-release"}]}"#,
         "not a ladder baseline: finding 1 has no \"fingerprint\""),
    ])
    func badFilesGiveOneLineErrorsNamingTheFile(contents: String, message: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("baseline.json")
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ReportError.self) { try Baseline.load(path: path) }
        #expect(error?.file == path)
        #expect(error?.message == message)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func missingFile() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: ReportError.self) { try Baseline.load(path: dir.path("nope.json")) }
        #expect(error?.description == "\(dir.path("nope.json")): cannot read baseline: no such file")
    }

    /// Entries from a newer ladder (unknown rules, extra fields) load and match nothing new.
    @Test func toleratesUnknownRulesAndFields() throws {
        let text = #"{"version": 1, "tool": "ladder", "findings": [{"fingerprint": "00000000deadbeef", "rule": "use-after-free", "extra": 3}]}"#
        let baseline = try Baseline.parse(Data(text.utf8), file: "b.json")
        #expect(baseline.entries.map(\.rule) == ["use-after-free"])
        #expect(baseline.filter(report).findings.count == report.findings.count)
    }
}
