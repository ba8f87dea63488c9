import Synchronization

/// The text of the files fixes are built against, each read once by whoever walks a file
/// (the driver) and handed down to every finding's fix builder in it.
///
/// Fixes used to read the file per finding: a file of thousands of functions, analysed one
/// function at a time, read itself thousands of times. The text belongs to the file, not to
/// one analysis, so it is loaded where the file is known, not cached inside the analyser.
///
/// A file not given (a fix whose place is in a header, or an analysis run without a driver,
/// as the unit tests do) is read from disk when asked for, as before.
public struct FixSources: Sendable {
    private let texts: [String: SourceText]
    private let onDemand: OnDemand?

    public init(_ texts: [SourceText] = []) {
        self.texts = Dictionary(texts.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        onDemand = nil
    }

    /// `path` read from disk the first time a fix asks for it, then kept: a driver walking a
    /// whole database holds the text of only the files that had a finding with a fix.
    public init(readingOnDemand path: String) {
        texts = [:]
        onDemand = OnDemand(path: path)
    }

    /// The file at `path` as given, else as it is on disk now.
    public func text(of path: String) -> SourceText? {
        if let text = texts[path] { return text }
        if let onDemand, onDemand.path == path { return onDemand.text() }
        return SourceText.load(path)
    }

    private final class OnDemand: Sendable {
        let path: String
        private let loaded = Mutex<SourceText??>(nil)

        init(path: String) { self.path = path }

        func text() -> SourceText? {
            loaded.withLock { loaded in
                if let text = loaded { return text }
                let text = SourceText.load(path)
                loaded = .some(text)
                return text
            }
        }
    }
}
