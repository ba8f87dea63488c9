import Foundation
import LadderCore
import Testing
@testable import LadderReport

@Suite struct TextFormatTests {
    @Test func firstLineIsWhatGccProblemMatchersRead() {
        let text = ReportRenderer.render(Report(findings: [SampleReport.missingUnmap]), as: .text, options: SampleReport.options)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "kernel/proc.c: In function 'proc_pagetable':")
        #expect(lines.dropFirst().first
                == "kernel/proc.c:215:5: error: mapping from mappages() is not released on this error path [missing-release]")
        #expect(lines.last == "kernel/proc.c:214:5: note: fix: insert 'uvmunmap(pagetable, TRAMPOLINE, 1, 0);' before line 214")
    }

    @Test func fixWithSeveralCallsListsThemInOrder() {
        let fix = Fix(insertBefore: SampleReport.loc("drivers/demo.c", 40, 2),
                      text: "clk_disable_unprepare(priv->clk);\n  clk_put(priv->clk);\n")
        #expect(TextFormat.describe(fix)
                == "fix: insert 'clk_disable_unprepare(priv->clk);' then 'clk_put(priv->clk);' before line 40")
    }

    @Test func oneFunctionHeaderPerRunOfFindings() {
        var second = SampleReport.missingUnmap
        second.location.line = 207
        second.message = "pagetable from uvmcreate() is not released on this error path"
        let text = ReportRenderer.render(Report(findings: [SampleReport.missingUnmap, second]), as: .text,
                                         options: SampleReport.options)
        #expect(text.components(separatedBy: "In function").count == 2)
    }

    @Test func colourOnlyWhenAsked() {
        let plain = ReportRenderer.render(SampleReport.report, as: .text, options: SampleReport.options)
        var options = SampleReport.options
        options.color = true
        let coloured = ReportRenderer.render(SampleReport.report, as: .text, options: options)
        #expect(!plain.contains("\u{1B}["))
        let boldRed = ["\u{1B}[1;31merror:\u{1B}[0m", "\u{1B}[31;1merror:\u{1B}[0m"]
        let hasBoldRedError = boldRed.contains { coloured.contains($0) }
        #expect(hasBoldRedError, "\(String(coloured.prefix(400)).debugDescription)")
        #expect(Self.strippingEscapes(coloured) == plain)
    }

    @Test func summaryCountsEverything() {
        #expect(ReportRenderer.summary(SampleReport.report)
                == "ladder: 23 files, 195 functions, 5 findings (4 errors, 1 warning), 2 processing errors, 0.09s")
        let clean = Report(stats: Stats(files: 1, functions: 1, seconds: 0.004))
        #expect(ReportRenderer.summary(clean) == "ladder: 1 file, 1 function, 0 findings, 0 processing errors, 0.00s")
    }

    @Test func summaryColourIsOptional() {
        #expect(!ReportRenderer.summary(SampleReport.report).contains("\u{1B}"))
        #expect(Self.strippingEscapes(ReportRenderer.summary(SampleReport.report, color: true))
                == ReportRenderer.summary(SampleReport.report))
    }

    static func strippingEscapes(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    }
}

@Suite struct ColorChoiceTests {
    @Test func explicitChoiceWins() {
        #expect(ColorChoice.resolve(flag: .always, isTerminal: false, environment: ["NO_COLOR": "1"]))
        #expect(!ColorChoice.resolve(flag: .never, isTerminal: true, environment: [:]))
    }

    @Test func autoFollowsTheTerminalAndNoColor() {
        #expect(ColorChoice.resolve(flag: .auto, isTerminal: true, environment: ["TERM": "xterm-256color"]))
        #expect(!ColorChoice.resolve(flag: .auto, isTerminal: false, environment: [:]))
        #expect(!ColorChoice.resolve(flag: .auto, isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(ColorChoice.resolve(flag: .auto, isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!ColorChoice.resolve(flag: .auto, isTerminal: true, environment: ["TERM": "dumb"]))
    }
}

@Suite struct ExitStatusTests {
    let warningOnly = Report(findings: [SampleReport.staleSuppression], stats: Stats(files: 1))

    @Test func thresholds() {
        // The sample has a processing error: judged by its findings only when that is allowed.
        #expect(ExitStatus.code(for: SampleReport.report, failOn: .error, allowIncomplete: true) == 1)
        #expect(ExitStatus.code(for: warningOnly, failOn: .error) == 0)
        #expect(ExitStatus.code(for: warningOnly, failOn: .warning) == 1)
        #expect(ExitStatus.code(for: SampleReport.report, failOn: .never, allowIncomplete: true) == 0)
        #expect(ExitStatus.code(for: Report(stats: Stats(files: 4)), failOn: .warning) == 0)
    }

    @Test func nothingProcessedIsUntrusted() {
        let empty = Report(errors: [ProcessingError(file: "kernel/proc.c", message: "cannot parse")], stats: Stats(files: 0))
        for failOn in FailOn.allCases {
            #expect(ExitStatus.code(for: empty, failOn: failOn) == 2)
        }
    }
}
