import LadderCore
import Synchronization

/// What phase 2 reads of a unit only when one of its functions needs it, read at most once
/// per run whichever thread asks first: the records the store kept from the last run, the
/// file's text for fixes (only once a fix asks: a kernel-sized run must not hold every
/// file's text), and, when the IR blob vanished under the run, the unit parsed again.
final class UnitReads: Sendable {
    /// The names the unit defines: a call to one is a call within the file.
    let names: Set<String>
    let sources: FixSources
    private let key: Digest
    private let store: UnitStore
    private struct Read {
        var stored: [String: [CheckRecord]]?
        var reparsed: [Function]??
    }
    private let read = Mutex(Read())

    init(_ unit: FixedPoint.Unit, store: UnitStore) {
        names = Set(unit.entry.functions.map(\.name))
        sources = FixSources(readingOnDemand: unit.command.file)
        key = unit.key
        self.store = store
    }

    /// Each function's records from the last run (`UnitStore.checks`).
    func stored() -> [String: [CheckRecord]] {
        read.withLock { read in
            if let stored = read.stored { return stored }
            let stored = store.persistent ? store.checks(key) : [:]
            read.stored = stored
            return stored
        }
    }

    /// `parse()`'s functions, asked for once: nil when the unit no longer parses to the
    /// functions phase 1 stored.
    func reparsed(_ parse: () -> [Function]?) -> [Function]? {
        read.withLock { read in
            if let reparsed = read.reparsed { return reparsed }
            let reparsed = parse()
            read.reparsed = .some(reparsed)
            return reparsed
        }
    }
}

/// A worker thread's loader, made on first use: nearly every phase 2 never parses.
struct LazyLoader {
    let factory: any UnitLoaderFactory
    private var made: (any UnitLoader)?

    init(factory: any UnitLoaderFactory) {
        self.factory = factory
    }

    mutating func get() -> any UnitLoader {
        if let made { return made }
        let loader = factory.makeLoader()
        made = loader
        return loader
    }
}
