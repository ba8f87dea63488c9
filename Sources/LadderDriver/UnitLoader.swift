import LadderClang
import LadderCore

/// The front-end stage: parse one file and lower its functions. A loader belongs to one
/// worker at a time (libclang's index is not thread-safe), so it need not be `Sendable`;
/// the factory that makes one per worker is.
///
/// This is the seam for a parse worker in a child process: a loader that sends the command
/// and the unsaved buffers to a child and reads back the lowered unit, so a libclang crash
/// costs one file rather than the run.
public protocol UnitLoader {
    func load(_ command: CompileCommand, lowering: Bool, unsavedFiles: [String: String]) -> Result<LoadedUnit, ProcessingError>
}

/// Makes the loader each worker uses.
public protocol UnitLoaderFactory: Sendable {
    func makeLoader() -> any UnitLoader
}

extension Frontend: UnitLoader {}

/// libclang in this process: one `Frontend` (one index) per worker.
public struct InProcessFrontends: UnitLoaderFactory {
    public init() {}

    public func makeLoader() -> any UnitLoader { Frontend() }
}
