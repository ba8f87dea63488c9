import ArgumentParser
import Foundation
import LadderDriver

/// `ladder __file-worker`: what `ladder lint` runs in each of its worker processes (see
/// `FileWorker`). Not for people: it speaks a binary protocol on its standard streams.
struct FileWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: WorkerLimits.subcommand,
        abstract: "Serve files to a ladder lint driver (internal).",
        shouldDisplay: false)

    func run() throws {
        Foundation.exit(FileWorker.serve())
    }

    /// This binary, for the driver to start as a worker.
    static var executable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
