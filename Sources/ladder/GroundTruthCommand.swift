import ArgumentParser
import Foundation
import KernelModel

/// `ladder groundtruth`: prints the reference the RAII model of xv6's page-table paths
/// gives — for each path, each failure point, what is acquired and the releases that undo
/// it, in order.
struct GroundTruthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groundtruth",
        abstract: "Print the reference cleanup order of xv6's page-table paths, from the Sv39 model.",
        discussion: """
            Every modelled path (uvmcreate, mappages, uvmalloc, uvmcopy, proc_pagetable, \
            allocproc, fork, exec) runs on the Sv39 model once without failure and once per \
            failure point: each allocation and each injectable operation. Each run lists the \
            acquisitions (+) and the releases (-) that undo them, in order.
            """)

    @Argument(help: "C sources to compare with the reference (not used yet).")
    var paths: [String] = []

    @Option(help: "Output format: text or json.")
    var format: GroundTruthFormat = .text

    func run() throws {
        let references: [PathReference]
        do {
            references = try ReferenceCatalogue.all()
        } catch {
            // The model itself failed to run: the output could not be trusted (exit 2).
            FileHandle.standardError.write(Data("ladder groundtruth: \(error)\n".utf8))
            throw ExitCode(2)
        }
        switch format {
        case .text:
            print(ReferenceTextRenderer.render(references), terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(GroundTruthDocument(paths: references))
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

enum GroundTruthFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}

/// The JSON document: versioned like ladder's findings output.
struct GroundTruthDocument: Encodable {
    var version = 1
    var paths: [PathReference]
}
