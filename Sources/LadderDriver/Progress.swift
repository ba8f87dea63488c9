import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stages a long run reports progress through.
public enum ProgressStage: Sendable, Hashable, CustomStringConvertible {
    /// Phase 1 over this run's files.
    case summarize
    /// Reading other shards' phase-1 entries from the cache.
    case load
    /// Phase 2, round N over the database's functions.
    case check(round: Int)

    /// What the stage counts.
    var items: String {
        switch self {
        case .summarize, .load: "files"
        case .check: "functions"
        }
    }

    public var description: String {
        switch self {
        case .summarize: "parsing"
        case .load: "loading summaries"
        case .check(let round): round == 1 ? "checking" : "checking, round \(round)"
        }
    }
}

/// Told about progress by the driver's workers, from any thread.
public protocol ProgressObserver: Sendable {
    func begin(_ stage: ProgressStage, total: Int)
    /// A worker took up this item (a file).
    func start(_ item: String)
    /// A worker finished one item.
    func complete()
    /// The stage is over: anything drawn goes.
    func end()
}

/// One status line on a terminal's standard error, redrawn at most ten times a second and
/// erased when a stage ends, so it never mixes with the report (on standard output, or a
/// file) nor stays behind in a scrollback:
///
///     ladder: parsing 37/251 files, 0.8/s, ETA 4m27s  drivers/net/ethernet/intel/e1000/e1000_main.c
///
/// Only ever draws on a terminal the caller chose (`--progress`, or standard error being
/// one); it writes through the file descriptor it is given and nothing else.
public final class ProgressLine: ProgressObserver {
    private struct State {
        var stage: ProgressStage = .summarize
        var total = 0
        var done = 0
        var current = ""
        var started = Date()
        var drawn = Date.distantPast
        var visible = false
    }

    private let state = Mutex(State())
    private let descriptor: Int32
    /// The current directory with a slash: file names under it are shown relative.
    private let directory = FileManager.default.currentDirectoryPath + "/"

    public init(descriptor: Int32 = 2) {
        self.descriptor = descriptor
    }

    public func begin(_ stage: ProgressStage, total: Int) {
        state.withLock { state in
            state = State(stage: stage, total: total, started: Date())
            redraw(&state, force: true)
        }
    }

    public func start(_ item: String) {
        let shown = item.hasPrefix(directory) ? String(item.dropFirst(directory.count)) : item
        state.withLock { state in
            state.current = shown
            redraw(&state, force: false)
        }
    }

    public func complete() {
        state.withLock { state in
            state.done += 1
            redraw(&state, force: false)
        }
    }

    public func end() {
        state.withLock { state in
            if state.visible { write("\r\u{1B}[K") }
            state.visible = false
        }
    }

    private func redraw(_ state: inout State, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(state.drawn) >= 0.1 else { return }
        state.drawn = now
        let line = Self.line(stage: state.stage, done: state.done, total: state.total, current: state.current,
                             elapsed: now.timeIntervalSince(state.started))
        write("\r" + Self.fit(line, to: Self.columns(of: descriptor)) + "\u{1B}[K")
        state.visible = true
    }

    /// The text of the line, without terminal controls: what the tests read.
    static func line(stage: ProgressStage, done: Int, total: Int, current: String, elapsed: Double) -> String {
        var text = "ladder: \(stage) \(done)/\(total) \(stage.items)"
        if done > 0 && elapsed > 0 {
            let rate = Double(done) / elapsed
            text += String(format: ", %.1f/s", rate)
            if done < total { text += ", ETA " + duration(Double(total - done) / rate) }
        }
        if !current.isEmpty && done < total { text += "  " + current }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
    }

    /// A line longer than the terminal wraps, and `\r` then redraws only its last row: keep
    /// the counts and the time left whole, and shorten the file name from its start, where
    /// the directories every file shares are.
    static func fit(_ line: String, to columns: Int) -> String {
        let limit = max(columns - 1, 20)
        guard line.count > limit else { return line }
        if let gap = line.range(of: "  ") {
            let head = line[..<gap.upperBound]
            if head.count + 8 <= limit { return head + "…" + line.suffix(limit - head.count - 1) }
        }
        return String(line.prefix(limit - 1)) + "…"
    }

    private func write(_ text: String) {
        FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(Data(text.utf8))
    }

    private static func columns(of descriptor: Int32) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
