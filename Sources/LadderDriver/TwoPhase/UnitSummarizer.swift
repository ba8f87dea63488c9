import Dispatch
import Foundation
import LadderClang
import LadderCore

/// Phase 1 for one translation unit: reuse its cache entry when nothing it was made from
/// changed, else parse, lower, check each function against its own file alone, and store
/// the IR and those records. The AST is gone once the loader returns; what stays in memory
/// is the entry (records and summaries), not the IR.
struct UnitSummarizer: Sendable {
    let store: UnitStore
    let hashes: ContentHashes
    /// What every key of this run shares: cache format, ladder build, libclang, pack, budget.
    let runDigest: Digest
    let packDigest: Digest
    let analyzer: Analyzer
    let unsavedFiles: [String: String]
    /// Whether each function is also checked against its own file now (`FunctionRecord.local`).
    /// Only worth it when the entry is for other runs: the shards of a sharded run, each of
    /// which reuses those checks in its phase 2 for every function whose callees elsewhere
    /// change nothing. A run that goes on to phase 2 itself walks each function there once,
    /// callees first, and a walk against the file alone would mostly be done again.
    let walksLocally: Bool

    enum Outcome: Sendable {
        /// A valid entry from an earlier run (or another shard, or another process).
        case reused(UnitEntry)
        /// Parsed now. `stored`: written to a persistent cache.
        case parsed(UnitEntry, stored: Bool, analyseSeconds: Double)
        case failed(ProcessingError)
    }

    /// `packDigest`: `StableDigest.of(pack)`, when the caller has it (a file worker is given
    /// the driver's: it reflects over the whole pack, ten milliseconds of each worker's start).
    /// A run's private store needs none: its keys only tell its own units apart, and every
    /// unit of the run is checked with the one pack.
    init(store: UnitStore, unsavedFiles: [String: String], toolIdentity: String, pack: RulePack, analyzer: Analyzer,
         walksLocally: Bool = true, packDigest: Digest? = nil) {
        self.store = store
        self.walksLocally = walksLocally
        self.unsavedFiles = unsavedFiles
        self.analyzer = analyzer
        hashes = ContentHashes(unsavedFiles: unsavedFiles)
        var builder = DigestBuilder()
        builder.add(UnitStore.format)
        builder.add(toolIdentity)
        builder.add(ClangEnvironment.libraryIdentity)
        self.packDigest = packDigest ?? (store.persistent ? StableDigest.of(pack) : Digest.of("one run's pack"))
        builder.add(self.packDigest)
        builder.add(UInt64(analyzer.budget))
        runDigest = builder.finish()
    }

    /// Flags, paths and the run's digest; not the contents, which `isValid` checks, so an
    /// edited file replaces its entry instead of adding one.
    func key(for command: CompileCommand) -> Digest {
        var builder = DigestBuilder()
        builder.add(runDigest)
        builder.add(command.file)
        builder.add(command.directory ?? "")
        builder.add(ContentHashes.absolute(command.file, directory: command.directory))
        builder.add(command.arguments)
        return builder.finish()
    }

    /// The unit's entry, if one exists, the unit parsed, and every file it read still holds
    /// what it held.
    func cached(_ command: CompileCommand, key: Digest) -> UnitEntry? {
        guard let entry = valid(command, key: key), entry.failure == nil else { return nil }
        return entry
    }

    /// What the cache knows of the unit: its entry, or the compile error it gave, while
    /// every file it read still holds what it held.
    func cachedOutcome(_ command: CompileCommand, key: Digest) -> Outcome? {
        guard let entry = valid(command, key: key) else { return nil }
        return entry.failure.map { .failed($0) } ?? .reused(entry)
    }

    private func valid(_ command: CompileCommand, key: Digest) -> UnitEntry? {
        guard store.persistent, let entry = store.entry(key), entry.file == command.file,
              !entry.inclusions.isEmpty,
              entry.inclusions.allSatisfy({ hashes.digest(of: $0.path) == $0.digest }) else { return nil }
        store.touch(key)
        return entry
    }

    func summarize(_ command: CompileCommand, key: Digest, with loader: any UnitLoader) -> Outcome {
        guard store.persistent else { return parse(command, key: key, with: loader) }
        if let outcome = cachedOutcome(command, key: key) { return outcome }
        // Another run may be parsing this very unit: wait for it, then use what it wrote.
        return store.locked(key) { held in
            if held, let outcome = cachedOutcome(command, key: key) { return outcome }
            return parse(command, key: key, with: loader)
        }
    }

    private func parse(_ command: CompileCommand, key: Digest, with loader: any UnitLoader) -> Outcome {
        let started = Date()
        switch loader.load(command, lowering: true, unsavedFiles: unsavedFiles) {
        case .failure(var error):
            let read = error.readFiles
            error.readFiles = nil
            if store.persistent, let read, let stamps = stamps(read, command: command, parsedSince: started) {
                var entry = UnitEntry(file: command.file, inclusions: stamps, functions: [], ir: Self.blobDigest([]),
                                      parseSeconds: 0, lowerSeconds: 0, loweringErrors: [])
                entry.failure = error
                _ = store.write(entry, ir: [], for: key)
            }
            return .failed(error)
        case .success(let loaded):
            // Paired callbacks and owned fields are known only from the whole unit: kept with each function's IR.
            let annotated = loaded.unit.annotated(for: analyzer.pack)
            let functions = Analyzer.calleesFirst(annotated.functions)
            // The functions' encodings one after another, each where its record says.
            var blob: [UInt8] = []
            var partial: [FunctionRecord] = []
            // From the annotated unit, as `Analyzer.analyse` reads it: the calls of callbacks
            // `CalledBack` adds are calls in view there too.
            let callers = CallersInView(annotated)
            for function in functions {
                let bytes = UnitStore.encodeIR(function)
                partial.append(FunctionRecord(name: function.name, location: function.location, isStatic: function.isStatic,
                                              ir: Digest.of(bytes), offset: blob.count, length: bytes.count,
                                              callees: CalleeNames.of(function),
                                              noCallerInView: callers.hasNoCaller(function.name), local: .unchecked))
                blob += bytes
            }
            var records = partial
            var seconds = 0.0
            if walksLocally, let check = FileCheck(analyzer: analyzer).run(file: command.file, functions: partial, function: { functions[$0] }) {
                for i in records.indices { records[i].local = check.records[i] }
                seconds = check.seconds
            }
            var entry = UnitEntry(file: command.file, inclusions: [], functions: records, ir: Self.blobDigest(partial),
                                  parseSeconds: loaded.parseSeconds, lowerSeconds: loaded.lowerSeconds,
                                  loweringErrors: loaded.errors,
                                  calledByName: ContractSettlement.calledByName(in: annotated).sorted(),
                                  addressTaken: loaded.unit.addressTaken?.sorted())
            var stored = false
            if store.persistent {
                if let stamps = stamps(loaded.inclusions, command: command, parsedSince: started) {
                    entry.inclusions = stamps
                    stored = store.write(entry, ir: blob, for: key)
                }
            } else {
                stored = store.write(entry, ir: blob, for: key)
            }
            return .parsed(entry, stored: stored, analyseSeconds: seconds)
        }
    }

    /// The digest of every file the parse read, or nil when the entry could not be trusted
    /// later: the loader recorded no inclusions, a file is gone, or a file changed while
    /// it was being parsed (modified less than a second before the parse began: the digest
    /// taken now might not be of what libclang read).
    private func stamps(_ inclusions: [String], command: CompileCommand, parsedSince start: Date) -> [FileStamp]? {
        guard !inclusions.isEmpty else { return nil }
        let main = ContentHashes.absolute(command.file, directory: command.directory)
        let paths = Set(inclusions).union([main]).sorted()
        let threshold = start.addingTimeInterval(-1)
        var stamps: [FileStamp] = []
        stamps.reserveCapacity(paths.count)
        for path in paths {
            if Frontend.unsavedContents(of: path, directory: nil, in: unsavedFiles) == nil {
                guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      modified < threshold else { return nil }
            }
            guard let digest = hashes.digest(of: path) else { return nil }
            stamps.append(FileStamp(path: path, digest: digest))
        }
        return stamps
    }

    /// The blob is its functions' texts in order, so the digest of their digests names it as
    /// surely as one of its bytes would, and the IR is hashed once rather than twice (a
    /// hostile unit's IR runs to tens of megabytes).
    static func blobDigest(_ records: [FunctionRecord]) -> Digest {
        var builder = DigestBuilder()
        builder.add(records.map(\.ir.hex))
        return builder.finish()
    }
}
