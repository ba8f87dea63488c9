import ArgumentParser
import Foundation
import GroundTruth
import KernelModel
import LadderReport

/// `ladder groundtruth`: without paths, prints the reference the RAII model of xv6's
/// page-table paths gives. With paths, runs the C code on the Sv39 model under every failure
/// point and holds ladder's findings against what happened, function by function.
struct GroundTruthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groundtruth",
        abstract: "Hold ladder's findings against the C code run on the Sv39 model, or print the model's reference.",
        discussion: """
            With no path: every modelled path (uvmcreate, mappages, uvmalloc, uvmcopy, \
            proc_pagetable, allocproc, fork, exec) runs on the Sv39 model once without failure \
            and once per failure point; each run lists the acquisitions (+) and the releases (-) \
            that undo them, in order.

            With paths (xv6-style cases of fixtures/checks, or the fixtures/xv6 tree): each is \
            compiled for this host with clang against the ground-truth runtime and the \
            harnesses in fixtures/groundtruth, and every scenario runs clean and then once per \
            failure point (each allocation, each injectable call). What really leaks, is \
            released twice or out of order is printed beside ladder's findings for the same \
            function, with the agreement. Each run is a child process of its own, killed after \
            --time-limit seconds.

            Disagreements a project has looked at and accepts live in an explanations file next \
            to its tree (--explained FILE; by default the nearest .ladder-groundtruth.json, or \
            groundtruth/explained.json, in a path's directory or an ancestor). --write-explained \
            FILE starts one from the current disagreements.

            Exit status: \(ExitStatus.GroundTruth.agrees) when ground truth ran (with \
            --fail-on-disagreement: and every disagreement is explained), \
            \(ExitStatus.GroundTruth.unexplained) with --fail-on-disagreement when one is not, \
            \(ExitStatus.GroundTruth.cannotRun) when ground truth could not run.
            """)

    @Argument(help: "An xv6-riscv tree (a checkout, or its kernel directory), or xv6-style cases; none: print the model's reference.")
    var paths: [String] = []

    @Option(help: "Output format: text or json (markdown: the agreement table of docs/groundtruth.md).")
    var format: GroundTruthFormat = .text

    @Option(name: .short, help: "Units built at the same time.")
    var j: Int = 2

    @Flag(help: "Also list the panics functions raise on purpose.")
    var verbose = false

    @Flag(name: .customLong("keep-work"), help: "Keep the generated sources and libraries, and print where.")
    var keepWork = false

    @Option(help: "The explanations file: disagreements accepted, with reasons (default: the nearest .ladder-groundtruth.json).")
    var explained: String?

    @Option(name: .customLong("write-explained"), help: "Write every current disagreement to this explanations file (accepted ones keep their reasons) and exit.")
    var writeExplained: String?

    @Flag(name: .customLong("fail-on-disagreement"), help: "Exit \(ExitStatus.GroundTruth.unexplained) when a disagreement is not explained.")
    var failOnDisagreement = false

    @Option(name: .customLong("time-limit"), help: "Seconds one run may take before it is killed and judged a hang.")
    var timeLimit: Double = 10

    @Option(help: "Only this function (repeatable): its scenarios run and it is reported.")
    var only: [String] = []

    func validate() throws {
        guard timeLimit > 0, timeLimit <= 1_000_000 else {
            throw ValidationError("--time-limit takes a number of seconds above 0, at most 1000000")
        }
    }

    func run() throws {
        if paths.isEmpty {
            try printReference()
            return
        }
        let report: GroundTruthReport
        do {
            let verifier = try GroundTruthVerifier(options: .init(jobs: j, keepWorkDirectory: keepWork, timeLimit: timeLimit,
                                                                  explanationsFile: explained, only: Set(only)))
            let verification = try verifier.run(paths: paths)
            report = verification.report
            if keepWork { FileHandle.standardError.write(Data("ladder groundtruth: work in \(verification.workDirectory)\n".utf8)) }
        } catch {
            FileHandle.standardError.write(Data("ladder groundtruth: \(error)\n".utf8))
            throw ExitCode(ExitStatus.GroundTruth.cannotRun)
        }
        if let writeExplained {
            let existing = (try? report.explanationsFile.map { try ExplanationSet.load($0) }) ?? nil
            // Paths relative to the file's own directory: it lives next to the tree.
            let output = URL(fileURLWithPath: writeExplained).standardizedFileURL
            let set = ExplanationSet.from(report, keeping: existing ?? .empty,
                                          relativeTo: output.deletingLastPathComponent().path)
            guard FileManager.default.createFile(atPath: writeExplained, contents: set.encoded() + Data("\n".utf8)) else {
                FileHandle.standardError.write(Data("ladder groundtruth: cannot write \(writeExplained)\n".utf8))
                throw ExitCode(ExitStatus.GroundTruth.cannotRun)
            }
            print("ladder groundtruth: \(set.explained.count) disagreement\(set.explained.count == 1 ? "" : "s") written to \(writeExplained)")
            return
        }
        switch format {
        case .text:
            print(AgreementTextRenderer.render(report, verbose: verbose), terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .markdown:
            print(AgreementMarkdownRenderer.render(report, relativeTo: FileManager.default.currentDirectoryPath),
                  terminator: "")
        }
        if report.units.isEmpty || report.units.allSatisfy({ $0.error != nil }) { throw ExitCode(ExitStatus.GroundTruth.cannotRun) }
        if failOnDisagreement && !report.unexplained.isEmpty { throw ExitCode(ExitStatus.GroundTruth.unexplained) }
    }

    func printReference() throws {
        let references: [PathReference]
        do {
            references = try ReferenceCatalogue.all()
        } catch {
            // The model itself failed to run: the output could not be trusted.
            FileHandle.standardError.write(Data("ladder groundtruth: \(error)\n".utf8))
            throw ExitCode(ExitStatus.GroundTruth.cannotRun)
        }
        switch format {
        case .text, .markdown:
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
    case markdown
}

/// The JSON document: versioned like ladder's findings output.
struct GroundTruthDocument: Encodable {
    var version = 1
    var paths: [PathReference]
}
