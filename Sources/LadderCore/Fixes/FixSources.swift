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

    public init(_ texts: [SourceText] = []) {
        self.texts = Dictionary(texts.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The file at `path` as given, else as it is on disk now.
    public func text(of path: String) -> SourceText? {
        texts[path] ?? SourceText.load(path)
    }
}
