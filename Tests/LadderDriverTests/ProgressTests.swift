import Foundation
@testable import LadderDriver
import Synchronization
import Testing

/// The progress line: what it says, that it fits a terminal's width, that it erases itself,
/// and that a run reports every file to it.
@Suite struct ProgressTests {
    @Test("files done of total, rate, time left, current file")
    func text() {
        #expect(ProgressLine.line(stage: .summarize, done: 37, total: 251, current: "drivers/a.c", elapsed: 46.25)
            == "ladder: parsing 37/251 files, 0.8/s, ETA 4m28s  drivers/a.c")
        #expect(ProgressLine.line(stage: .check(round: 2), done: 0, total: 9, current: "", elapsed: 1)
            == "ladder: checking, round 2 0/9 functions")
        #expect(ProgressLine.line(stage: .summarize, done: 3, total: 3, current: "c.c", elapsed: 1.5)
            == "ladder: parsing 3/3 files, 2.0/s")
        #expect(ProgressLine.duration(3725) == "1h02m")
        #expect(ProgressLine.duration(59.4) == "59s")
    }

    @Test("a line wider than the terminal loses the start of the file name, never the counts")
    func fits() {
        let head = "ladder: parsing 1/2 files, 0.5/s, ETA 2s  "
        let long = head + String(repeating: "x", count: 200) + "/end.c"
        let fitted = ProgressLine.fit(long, to: 80)
        #expect(fitted.count == 79)
        #expect(fitted.hasPrefix(head + "…x"))
        #expect(fitted.hasSuffix("x/end.c"))
        #expect(ProgressLine.fit("short", to: 80) == "short")
        #expect(ProgressLine.fit(String(repeating: "y", count: 100), to: 40).count == 39)
    }

    @Test("what is drawn is erased at the end, on the descriptor given and nowhere else")
    func erases() throws {
        let pipe = Pipe()
        let line = ProgressLine(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        line.begin(.summarize, total: 2)
        line.start("a.c")
        line.complete()
        line.end()
        try pipe.fileHandleForWriting.close()
        let written = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(written.hasPrefix("\r"))
        #expect(written.contains("ladder: parsing 0/2 files"))
        #expect(written.hasSuffix("\r\u{1B}[K"))
    }

    final class Recorder: ProgressObserver {
        let events = Mutex<[String]>([])
        func begin(_ stage: ProgressStage, total: Int) { events.withLock { $0.append("begin \(stage) \(total)") } }
        func start(_ item: String) { events.withLock { $0.append("start") } }
        func complete() { events.withLock { $0.append("complete") } }
        func end() { events.withLock { $0.append("end") } }
    }

    @Test("a run reports each file of each stage")
    func runReports() throws {
        let recorder = Recorder()
        var options = LintOptions.files([Repository.path("fixtures/crossfile/leak")])
        options.jobs = 2
        _ = try LintDriver().run(options, progress: recorder)
        let events = recorder.events.withLock { $0 }
        #expect(events.first == "begin parsing 2")
        // Phase 1 counts files, phase 2 functions (callees first, across files).
        #expect(events.contains("begin checking 3"))
        #expect(events.filter { $0 == "complete" }.count == events.filter { $0 == "start" }.count)
        #expect(events.filter { $0 == "complete" }.count >= 4)
        #expect(events.last == "end")
    }
}
