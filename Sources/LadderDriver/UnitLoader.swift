import LadderClang
import LadderCore

/// The front-end stage: parse one file and lower its functions. A loader belongs to one
/// worker at a time (libclang's index is not thread-safe), so it need not be `Sendable`;
/// the factory that makes one per worker is.
///
/// Process isolation sits one level up, around the whole `FileStage` (`FileIsolation`): a
/// worker process loads with its own `Frontend` and sends back findings, so a crash in
/// parsing, lowering or analysis costs one file rather than the run. (The IR is `Codable`,
/// so a loader that returns the lowered unit from elsewhere, a cache say, fits here too.)
public protocol UnitLoader {
    func load(_ command: CompileCommand, lowering: Bool, unsavedFiles: [String: String]) -> Result<LoadedUnit, ProcessingError>
}

/// Makes the loader each worker uses.
public protocol UnitLoaderFactory: Sendable {
    func makeLoader() -> any UnitLoader
}

extension Frontend: UnitLoader {}

/// libclang in this process: one `Frontend` (one index) per worker, parsing with `options`.
public struct InProcessFrontends: UnitLoaderFactory {
    public let options: ParseOptions

    public init(options: ParseOptions = .standard) {
        self.options = options
    }

    public func makeLoader() -> any UnitLoader { Frontend(options: options) }
}
