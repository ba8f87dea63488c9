import ArgumentParser
import Foundation
import LadderClang
import LadderCore

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check C files for error paths that leak, release out of order, release twice, or release what was never acquired.")

    @Argument(help: "C files or directories (walked for *.c).")
    var paths: [String] = []

    @Option(name: .short, help: "A build directory holding compile_commands.json, or the file itself.")
    var p: String?

    @Flag(help: "Print where the time went.")
    var stats = false

    @Argument(parsing: .postTerminator, help: "Arguments for clang, after --.")
    var clangArguments: [String] = []

    func run() throws {
        let start = DispatchTime.now()
        var sources: SourceSet
        if let database = p ?? (paths.isEmpty ? SourceSet.discoverDatabase() : nil) {
            do {
                sources = try SourceSet.fromDatabase(database, paths: paths, extraArguments: clangArguments)
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        } else {
            sources = SourceSet.fromPaths(paths.isEmpty ? ["."] : paths, extraArguments: clangArguments)
        }
        let frontend = Frontend()
        var report = Report(errors: sources.errors)
        for command in sources.commands {
            switch frontend.load(command) {
            case .failure(let error): report.errors.append(error)
            case .success(let loaded):
                report.stats.files += 1
                report.stats.functions += loaded.unit.functions.count
                report.stats.parseSeconds += loaded.parseSeconds
                report.stats.lowerSeconds += loaded.lowerSeconds
            }
        }
        report.stats.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        for error in report.errors { printError(error.description) }
        print("\(report.stats.files) files, \(report.stats.functions) functions, \(report.findings.count) findings, \(report.errors.count) errors")
        if stats {
            let s = report.stats
            print(String(format: "parse %.3fs, lower %.3fs, analyse %.3fs, total %.3fs", s.parseSeconds, s.lowerSeconds, s.analyseSeconds, s.seconds))
        }
        if report.stats.files == 0 { throw ExitCode(2) }
    }
}
