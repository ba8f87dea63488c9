import Foundation
import LadderClang
import LadderCore
import LadderReport

/// `ladder-ignore` comments, read from the same text the front end parsed: the unsaved
/// buffer when there is one, else the file on disk.
enum SuppressionStage {
    static func apply(to report: Report, files: [AnalysedFile], unsavedFiles: [String: String]) -> Report {
        // Database entries name files relative to their own directory, not ours.
        let directories = Dictionary(files.map { ($0.file, $0.command.directory) }, uniquingKeysWith: { first, _ in first })
        return Suppressions.apply(to: report, files: files.map(\.file), bytes: { file in
            let directory = directories[file] ?? nil
            if let buffer = Frontend.unsavedContents(of: file, directory: directory, in: unsavedFiles) { return Array(buffer.utf8) }
            var path = file
            if !file.hasPrefix("/"), let directory { path = directory + "/" + file }
            // Bytes, not text: a file that is not UTF-8 still has its suppressions read.
            return FileManager.default.contents(atPath: path).map { Array($0) }
        })
    }
}
