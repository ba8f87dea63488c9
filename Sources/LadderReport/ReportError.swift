/// Why a report, a baseline or an output file could not be read or written.
///
/// Always names the file, so the CLI can print `description` as its one-line error and exit
/// with status 2 (ExitStatus: the run could not be trusted).
public struct ReportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
