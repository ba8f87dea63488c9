import Foundation
import LadderClang
import LadderCore

/// What the driver and a file worker (`ladder __file-worker`) say to each other over the
/// worker's standard input and output: one `WorkerSetup` answered by `WorkerReady`, then for
/// each file a `WorkerRequest` answered by a `WorkerAnswer`. Each message is one frame: its length as
/// 8 bytes, little-endian, then that many bytes of JSON.
///
/// A request names one file and one `WorkerTask`, and everything libclang and the analysis
/// do for it happens in the worker, so whatever one file does to it (a crash in libclang or
/// in ladder, a hang, memory without end) costs that file and nothing else.
struct WorkerSetup: Codable, Sendable {
    /// Rule pack names or files, loaded by the worker as the driver loaded them (the driver
    /// has already checked that they load).
    var rulePacks: [String]
    var stopAfter: String
    var pathBudget: Int?
    /// Address space the worker may use, in bytes (RLIMIT_AS); nil: no limit.
    var memoryLimit: UInt64?
    /// The driver's limit on one file's time. The worker also bounds its own CPU time per
    /// file by it, so that a worker whose driver was killed does not run on alone.
    var secondsPerFile: Double?
    /// How the worker's libclang parses (`Frontend.options`).
    var parseOptions: ParseOptions = .standard
    /// The run's database of units, for `.summarize`: the worker writes each unit's IR and
    /// entry there itself (a private directory when the run keeps no cache), so only the
    /// entry, not the IR, comes back over the pipe.
    var store: UnitStore?
    /// Part of every unit's key; the worker's keys must be the driver's.
    var toolIdentity: String = ""
    /// `UnitSummarizer.walksLocally`.
    var walksLocally = true
    /// The driver's digest of the rule packs, part of every unit's key.
    var packDigest: Digest?
}

/// The worker's reply to its setup: the limit is in force and the rules are loaded, so a
/// worker that dies from here on died of a file.
struct WorkerReady: Codable, Sendable {
    var pid: Int32
}

/// What a worker does with a file.
enum WorkerTask: Codable, Sendable, Hashable {
    /// The whole `FileStage` (parse, lower, and analyse against the file alone); the answer
    /// is findings, not the lowered code. Runs that stop before analysis go this way.
    case check
    /// Phase 1 of a two-phase run (`UnitSummarizer.summarize`) under this unit key.
    case summarize(key: Digest)
    /// Parse and lower, and send the IR back (`UnitLoader.load`): phase 2's fallback when
    /// a unit's IR has gone from the database under it.
    case load
}

struct WorkerRequest: Codable, Sendable {
    var task: WorkerTask
    var file: String
    var directory: String?
    var arguments: [String]
    var unsavedFiles: [String: String]

    init(_ task: WorkerTask, _ command: CompileCommand, unsavedFiles: [String: String]) {
        self.task = task
        file = command.file
        directory = command.directory
        arguments = command.arguments
        self.unsavedFiles = unsavedFiles
    }

    var command: CompileCommand { CompileCommand(file: file, directory: directory, arguments: arguments) }
}

/// One answer per request, shaped by its task.
struct WorkerAnswer: Codable, Sendable {
    enum Reply: Codable, Sendable {
        case checked(CheckedFile)
        case summarized(SummarizedUnit)
        case loaded(LoadedUnit)
        /// The file could not be used (parse error, unreadable, crashed parse).
        case failed(ProcessingError)
    }

    var reply: Reply
    /// The worker ends after this answer (libclang crashed in it): the driver starts another
    /// for the next file rather than sending it to one that is going away.
    var retiring = false
}

/// `FileStage.Result` without the command, which the driver already has.
struct CheckedFile: Codable, Sendable {
    var functions: [DefinedFunction]?
    var findings: [Finding]
    var errors: [ProcessingError]
    var parseSeconds: Double
    var lowerSeconds: Double
    var analyseSeconds: Double
    var costs: [FunctionCost]
    var pathInsensitive: Int

    init(_ result: FileStage.Result) {
        functions = result.functions
        findings = result.findings
        errors = result.errors
        parseSeconds = result.parseSeconds
        lowerSeconds = result.lowerSeconds
        analyseSeconds = result.analyseSeconds
        costs = result.costs
        pathInsensitive = result.pathInsensitive
    }

    func result(for command: CompileCommand) -> FileStage.Result {
        FileStage.Result(command: command, functions: functions, findings: findings, errors: errors,
                         parseSeconds: parseSeconds, lowerSeconds: lowerSeconds, analyseSeconds: analyseSeconds,
                         costs: costs, pathInsensitive: pathInsensitive)
    }
}

/// Phase 1's outcome for a unit the worker parsed (or found cached after waiting for its
/// lock): the entry, whose IR is already in the store.
struct SummarizedUnit: Codable, Sendable {
    var entry: UnitEntry
    var parsed: Bool
    var stored: Bool
    var analyseSeconds: Double
}

/// Length-prefixed frames on a pipe.
enum Frame {
    enum Received {
        case message(Data)
        /// The other end closed before a whole frame arrived.
        case closed
        case timedOut
        case failed(Int32)
    }

    /// A larger length is a corrupt stream, not a message.
    static let largest = 1 << 34

    static func deliver<T: Encodable>(_ value: T, to fd: Int32) -> Int32? {
        guard let body = try? JSONEncoder().encode(value) else { return EINVAL }
        var length = UInt64(body.count).littleEndian
        var bytes = [UInt8](repeating: 0, count: 8)
        withUnsafeBytes(of: &length) { bytes.replaceSubrange(0..<8, with: $0) }
        bytes.append(contentsOf: body)
        var written = 0
        while written < bytes.count {
            // MSG_NOSIGNAL: a peer that has gone is EPIPE here, not SIGPIPE for the process.
            var n = bytes[written...].withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == ENOTSOCK {
                n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += n
        }
        return nil
    }

    /// Reads one frame. With a deadline, gives up when it passes (the frame may be half read:
    /// the stream is then unusable, and the caller ends the worker).
    static func receive(from fd: Int32, deadline: DispatchTime? = nil) -> Received {
        var header = [UInt8]()
        switch readExactly(8, from: fd, into: &header, deadline: deadline) {
        case .some(let failure): return failure
        case .none: break
        }
        let length = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= largest else { return .failed(EPROTO) }
        var body = [UInt8]()
        body.reserveCapacity(Int(length))
        if let failure = readExactly(Int(length), from: fd, into: &body, deadline: deadline) { return failure }
        return .message(Data(body))
    }

    /// nil when `count` bytes were appended to `buffer`.
    private static func readExactly(_ count: Int, from fd: Int32, into buffer: inout [UInt8],
                                    deadline: DispatchTime?) -> Received? {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var remaining = count
        while remaining > 0 {
            if let deadline {
                let now = DispatchTime.now()
                guard now < deadline else { return .timedOut }
                let milliseconds = (deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(clamping: milliseconds))
                if ready < 0 {
                    if errno == EINTR { continue }
                    return .failed(errno)
                }
                if ready == 0 { continue }
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, min(remaining, $0.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(errno)
            }
            if n == 0 { return .closed }
            buffer.append(contentsOf: chunk[0..<n])
            remaining -= n
        }
        return nil
    }
}
