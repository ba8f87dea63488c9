import Dispatch
import Foundation
import LadderCore
import LadderDriver
import Synchronization

/// `ladder lsp`: the Language Server Protocol over a pair of streams.
///
/// Threads: the caller's thread reads messages and answers requests; a timer queue waits out
/// the debounce; one serial queue runs analyses, one at a time, through `LintDriver` with the
/// editor's open buffers as unsaved files. Every edit bumps the document's generation and
/// cancels the analysis in flight for it: an analysis whose generation is no longer the
/// document's publishes nothing, so diagnostics never describe text older than what the
/// editor shows.
///
/// What cancellation cannot do: the driver checks it between files, and an editor's run has
/// one file, so an analysis already parsing runs to its end and is then discarded (a
/// second keystroke costs at most one stale parse, not one per keystroke).
public final class LanguageServer: Sendable {
    private let configuration: ServerConfiguration
    private let writer: MessageWriter
    private let state: Mutex<State>
    /// Only ever touched on `analysisQueue`, which serialises it; the lock is for the compiler.
    private let flags: Mutex<CompileFlags>
    private let analysisQueue = DispatchQueue(label: "ladder.lsp.analysis")
    private let timerQueue = DispatchQueue(label: "ladder.lsp.debounce")

    private struct OpenDocument {
        var path: String?
        var text: String
        var version: Int
        var generation: Int
    }

    /// The last published analysis of a document: what its code actions are built from.
    private struct Analysed {
        var version: Int
        var findings: [Finding]
        var mapper: DiagnosticMapper
    }

    private struct State {
        var initialized = false
        var shutdownRequested = false
        var encoding = PositionEncoding.utf16
        var documents: [DocumentURI: OpenDocument] = [:]
        var analysed: [DocumentURI: Analysed] = [:]
        var running: [DocumentURI: CancellationFlag] = [:]
        var generations = 0
        var driver: LintDriver
        var notesSaid: Set<String> = []
        var watchesFiles = false
        var outgoing = 0
    }

    private struct Job: Sendable {
        var uri: DocumentURI
        var path: String
        var version: Int
        var generation: Int
        var buffers: [String: String]
        var flag: CancellationFlag
        var driver: LintDriver
    }

    public init(configuration: ServerConfiguration, writer: MessageWriter) {
        self.configuration = configuration
        self.writer = writer
        state = Mutex(State(driver: LintDriver(isolation: configuration.isolation)))
        flags = Mutex(CompileFlags(clangArguments: configuration.clangArguments, rulePacks: configuration.rulePacks))
    }

    /// Serves until `exit` or the end of the input; returns the process's exit status:
    /// 0 after `shutdown` then `exit`, 1 otherwise, as the protocol asks.
    public func run(reading reader: inout MessageReader) -> Int32 {
        while true {
            let body: Data?
            do { body = try reader.next() } catch {
                FileHandle.standardError.write(Data("ladder lsp: \(error)\n".utf8))
                return 1
            }
            guard let body else { return state.withLock { $0.shutdownRequested } ? 0 : 1 }
            let message: JSON
            do { message = try JSON.parse(body) } catch {
                writer.send(["jsonrpc": "2.0", "id": nil, "error": ["code": -32700, "message": "parse error: the message is not JSON"]])
                continue
            }
            if let status = handle(message) { return status }
        }
    }

    /// One message; a status when it was `exit`.
    public func handle(_ message: JSON) -> Int32? {
        guard let method = message["method"]?.string else { return nil }  // a reply to our request
        let params = message["params"] ?? .null
        guard let id = message["id"] else { return notification(method, params) }
        let (initialized, shuttingDown) = state.withLock { ($0.initialized, $0.shutdownRequested) }
        if method != "initialize" && !initialized {
            return reply(id, error: -32002, "the server is not initialized")
        }
        if shuttingDown && method != "shutdown" {
            return reply(id, error: -32600, "the server is shutting down")
        }
        switch method {
        case "initialize": return reply(id, result: initialize(params))
        case "shutdown":
            state.withLock { state in
                state.shutdownRequested = true
                for flag in state.running.values { flag.cancel() }
            }
            return reply(id, result: .null)
        case "textDocument/codeAction": return reply(id, result: codeActions(params))
        default: return reply(id, error: -32601, "ladder does not handle \(method)")
        }
    }

    private func notification(_ method: String, _ params: JSON) -> Int32? {
        switch method {
        case "exit": return state.withLock { $0.shutdownRequested } ? 0 : 1
        case "initialized": registerWatchers()
        case "textDocument/didOpen":
            let document = params["textDocument"]
            guard let uri = document?["uri"]?.string, let text = document?["text"]?.string else { return nil }
            open(DocumentURI(uri), text: text, version: document?["version"]?.int ?? 0)
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.string,
                  let text = params["contentChanges"]?.array?.last?["text"]?.string else { return nil }
            change(DocumentURI(uri), text: text, version: params["textDocument"]?["version"]?.int)
        case "textDocument/didSave":
            // A saved header changes what other open files include: check them all again.
            let uris = state.withLock { Array($0.documents.keys) }
            for uri in uris { schedule(uri, delay: 0) }
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.string else { return nil }
            close(DocumentURI(uri))
        case "workspace/didChangeWatchedFiles":
            reload()
        default:
            break  // `$/cancelRequest`, `$/setTrace` and the like: nothing to do.
        }
        return nil
    }

    // MARK: Requests

    private func initialize(_ params: JSON) -> JSON {
        let offered = params["capabilities"]?["general"]?["positionEncodings"]?.array?.compactMap(\.string)
        let encoding = PositionEncoding.negotiate(offered: offered)
        let watches = params["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.bool ?? false
        state.withLock { state in
            state.initialized = true
            state.encoding = encoding
            state.watchesFiles = watches
        }
        return [
            "capabilities": [
                "positionEncoding": .string(encoding.rawValue),
                // Full text on each change: a kernel file is small next to a parse.
                "textDocumentSync": ["openClose": true, "change": 1, "save": ["includeText": false]],
                "codeActionProvider": ["codeActionKinds": ["quickfix"]],
            ],
            "serverInfo": ["name": "ladder", "version": .string(configuration.toolVersion)],
        ]
    }

    private func codeActions(_ params: JSON) -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.string, let range = Range(params["range"]) else { return [] }
        if let only = params["context"]?["only"]?.array?.compactMap(\.string),
           !only.contains(where: { $0 == "quickfix" || "quickfix".hasPrefix($0 + ".") || $0.isEmpty }) {
            return []
        }
        return state.withLock { state -> JSON in
            // Positions are only right for the text they were computed on.
            guard let analysed = state.analysed[DocumentURI(uri)],
                  state.documents[DocumentURI(uri)]?.version == analysed.version else { return [] }
            let mapper = analysed.mapper
            let actions = analysed.findings.compactMap { finding -> JSON? in
                guard finding.fix != nil, mapper.range(finding.location).touches(range) else { return nil }
                return QuickFix.action(for: finding, diagnostic: mapper.diagnostic(finding), mapper: mapper)
            }
            return .array(actions)
        }
    }

    // MARK: Documents

    private func open(_ uri: DocumentURI, text: String, version: Int) {
        state.withLock { state in
            state.documents[uri] = OpenDocument(path: uri.path, text: text, version: version, generation: 0)
        }
        schedule(uri, delay: 0)
    }

    private func change(_ uri: DocumentURI, text: String, version: Int?) {
        state.withLock { state in
            guard var document = state.documents[uri] else { return }
            document.text = text
            document.version = version ?? document.version + 1
            state.documents[uri] = document
        }
        schedule(uri, delay: configuration.debounceSeconds)
    }

    private func close(_ uri: DocumentURI) {
        state.withLock { state in
            state.documents[uri] = nil
            state.analysed[uri] = nil
            state.running.removeValue(forKey: uri)?.cancel()
            // Under the lock, so no analysis finishing now can publish after this.
            publish(uri, version: nil, diagnostics: [])
        }
    }

    /// Compile databases or packs changed: forget what was learnt from them and check every
    /// open document again.
    private func reload() {
        analysisQueue.async { [self] in flags.withLock { $0.reload() } }
        let uris = state.withLock { state in
            state.driver = LintDriver(packs: RulePackCache(), isolation: configuration.isolation)
            return Array(state.documents.keys)
        }
        for uri in uris { schedule(uri, delay: 0) }
    }

    // MARK: Analysis

    /// A new generation for the document: whatever is in flight for it is cancelled, and
    /// after `delay` the newest generation, if still newest, is analysed.
    private func schedule(_ uri: DocumentURI, delay: Double) {
        let generation = state.withLock { state -> Int? in
            guard var document = state.documents[uri] else { return nil }
            state.generations += 1
            document.generation = state.generations
            state.documents[uri] = document
            state.running.removeValue(forKey: uri)?.cancel()
            return state.generations
        }
        guard let generation else { return }
        timerQueue.asyncAfter(deadline: .now() + delay) { [self] in start(uri, generation: generation) }
    }

    private func start(_ uri: DocumentURI, generation: Int) {
        let job = state.withLock { state -> Job? in
            guard !state.shutdownRequested, let document = state.documents[uri], document.generation == generation else { return nil }
            guard let path = document.path else { return nil }
            var buffers: [String: String] = [:]
            for open in state.documents.values { if let p = open.path { buffers[p] = open.text } }
            let flag = CancellationFlag()
            state.running[uri] = flag
            return Job(uri: uri, path: path, version: document.version, generation: generation, buffers: buffers,
                       flag: flag, driver: state.driver)
        }
        guard let job else { return }
        analysisQueue.async { [self] in analyse(job) }
    }

    private func analyse(_ job: Job) {
        guard !job.flag.isCancelled else { return }
        let options = flags.withLock { $0.options(for: job.path, unsavedFiles: job.buffers) }
        var report: Report
        do {
            let outcome = try job.driver.run(options, cancellation: job.flag.cancellation)
            if outcome.cancelled || job.flag.isCancelled { return }
            report = outcome.report
        } catch {
            report = Report(errors: [ProcessingError(file: job.path, message: error.description)])
        }
        let texts = AnalysisTexts.read(for: report, buffers: job.buffers)
        let mine = report.findings.filter { AnalysisTexts.standard($0.location.file) == job.path }
        state.withLock { state in
            guard state.documents[job.uri]?.generation == job.generation, !job.flag.isCancelled else { return }
            state.running[job.uri] = nil
            let mapper = DiagnosticMapper(encoding: state.encoding, ruleDocs: configuration.ruleDocs, texts: texts)
            state.analysed[job.uri] = Analysed(version: job.version, findings: mine, mapper: mapper)
            // An error about this document is a diagnostic on it; one about anything else (a
            // malformed database entry, a pack) is said once in the log, not pinned to line 1
            // of every open file.
            let ownErrors = report.errors.filter { AnalysisTexts.standard($0.file) == job.path }
            let diagnostics = mine.map(mapper.diagnostic) + ownErrors.map { mapper.diagnostic($0, in: job.path) }
            publish(job.uri, version: job.version, diagnostics: diagnostics)
            for error in report.errors where AnalysisTexts.standard(error.file) != job.path
                && state.notesSaid.insert(error.description).inserted {
                writer.send(["jsonrpc": "2.0", "method": "window/logMessage",
                             "params": ["type": 2, "message": .string("ladder: \(error.description)")]])
            }
            for note in report.notes where state.notesSaid.insert(note).inserted {
                writer.send(["jsonrpc": "2.0", "method": "window/logMessage",
                             "params": ["type": 3, "message": .string("ladder: \(note)")]])
            }
        }
    }

    // MARK: Output

    private func publish(_ uri: DocumentURI, version: Int?, diagnostics: [JSON]) {
        var params: [String: JSON] = ["uri": .string(uri.string), "diagnostics": .array(diagnostics)]
        if let version { params["version"] = .int(version) }
        writer.send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": .object(params)])
    }

    /// Asks the client to report changes to compile databases and rule packs, when it can
    /// watch files for a server.
    private func registerWatchers() {
        let id = state.withLock { state -> Int? in
            guard state.watchesFiles else { return nil }
            state.outgoing += 1
            return state.outgoing
        }
        guard let id else { return }
        let watchers: JSON = [["globPattern": "**/compile_commands.json"], ["globPattern": "**/*.yaml"], ["globPattern": "**/*.yml"]]
        writer.send(["jsonrpc": "2.0", "id": .string("ladder-\(id)"), "method": "client/registerCapability",
                     "params": ["registrations": [["id": "ladder-watch", "method": "workspace/didChangeWatchedFiles",
                                                   "registerOptions": ["watchers": watchers]]]]])
    }

    private func reply(_ id: JSON, result: JSON) -> Int32? {
        writer.send(["jsonrpc": "2.0", "id": id, "result": result])
        return nil
    }

    private func reply(_ id: JSON, error code: Int, _ message: String) -> Int32? {
        writer.send(["jsonrpc": "2.0", "id": id, "error": ["code": .int(code), "message": .string(message)]])
        return nil
    }
}
