import Foundation
import LadderCore

/// A compilation database read from disk, by ladder rather than libclang, whose loader says
/// only "cannot load": every entry that can be used, and for each one that cannot, a
/// message naming the database, the entry's index (from 0, as `jq '.[N]'` counts), its line
/// and the field at fault.
struct CompileDatabase {
    /// One usable entry, its paths made absolute.
    struct Entry {
        /// `directory`, joined to the database's own folder when relative.
        var directory: String
        /// `file`, joined to `directory` when relative.
        var file: String
        /// `file` as the entry spells it, which the command line may repeat.
        var spelledFile: String
        /// The whole command line, compiler first.
        var arguments: [String]
    }

    let path: String
    var entries: [Entry] = []
    var problems: [EntryFailure] = []

    /// A malformed entry, and the file it is for when that much could be read, so a run
    /// restricted to other files need not hear about it.
    struct EntryFailure {
        var error: ProcessingError
        var file: String?
    }

    /// `location` is the database file, whatever its name, or a folder holding
    /// `compile_commands.json`.
    static func locate(_ location: String) throws(ProcessingError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
            throw ProcessingError(file: location, message: "no such file")
        }
        guard isDirectory.boolValue else { return location }
        let file = (location as NSString).appendingPathComponent("compile_commands.json")
        guard FileManager.default.fileExists(atPath: file) else {
            throw ProcessingError(file: file, message: "no compilation database here")
        }
        return file
    }

    init(contentsOf path: String) throws(ProcessingError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProcessingError(file: path, message: "cannot read the compilation database")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ProcessingError(file: path, message: "malformed compilation database: not valid JSON")
        }
        guard let array = json as? [Any] else {
            throw ProcessingError(file: path, message: "malformed compilation database: expected a JSON array of commands")
        }
        guard !array.isEmpty else {
            throw ProcessingError(file: path, message: "the compilation database has no entries")
        }
        let lines = JSONElementLines.lines(in: data)
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        for (index, element) in array.enumerated() {
            let line = index < lines.count ? lines[index] : nil
            do {
                entries.append(try Self.entry(element, folder: folder))
            } catch {
                problems.append(EntryFailure(error: ProcessingError(file: path, line: line, message: "entry \(index): \(error)"),
                                             file: Self.readableFile(element, folder: folder)))
            }
        }
    }

    static func entry(_ element: Any, folder: String) throws(EntryProblem) -> Entry {
        guard let object = element as? [String: Any] else { throw .notAnObject }
        let directory = try string(object, .directory)
        let file = try string(object, .file)
        let arguments: [String]
        if let value = object[Field.arguments.rawValue] {
            guard let strings = value as? [String] else { throw .argumentsNotStrings }
            arguments = strings
        } else if object[Field.command.rawValue] != nil {
            let command = try string(object, .command)
            do throws(ShellWords.Unterminated) {
                arguments = try ShellWords.split(command)
            } catch {
                throw .unterminatedQuote
            }
        } else {
            throw .noCommand
        }
        guard !arguments.isEmpty else {
            throw .empty(object[Field.arguments.rawValue] != nil ? .arguments : .command)
        }
        let absoluteDirectory = absolute(directory, from: folder)
        return Entry(directory: absoluteDirectory,
                     file: absolute(file, from: absoluteDirectory), spelledFile: file, arguments: arguments)
    }

    /// The absolute file a malformed entry names, when its `file` (and `directory`, if the
    /// file is relative) can be read.
    static func readableFile(_ element: Any, folder: String) -> String? {
        guard let object = element as? [String: Any], let file = object[Field.file.rawValue] as? String,
              !file.isEmpty else { return nil }
        if file.hasPrefix("/") { return absolute(file, from: "/") }
        guard let directory = object[Field.directory.rawValue] as? String, !directory.isEmpty else { return nil }
        return absolute(file, from: absolute(directory, from: folder))
    }

    static func string(_ object: [String: Any], _ field: Field) throws(EntryProblem) -> String {
        guard let value = object[field.rawValue] else { throw .missing(field) }
        guard let text = value as? String else { throw .notAString(field) }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .empty(field) }
        return text
    }

    /// `path` made absolute from `base`, `.` and `..` resolved by name (not through links).
    static func absolute(_ path: String, from base: String) -> String {
        let joined = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}

/// The fields of a compilation database entry ladder reads.
enum Field: String, Sendable {
    case directory, file, arguments, command
}

/// What is wrong with one entry; the message follows "entry N: ".
enum EntryProblem: Error, CustomStringConvertible {
    case notAnObject
    case missing(Field)
    case notAString(Field)
    case empty(Field)
    case noCommand
    case argumentsNotStrings
    case unterminatedQuote

    var description: String {
        switch self {
        case .notAnObject: "is not a JSON object"
        case .missing(let field): "'\(field.rawValue)' is missing"
        case .notAString(let field): "'\(field.rawValue)' is not a string"
        case .empty(let field): "'\(field.rawValue)' is empty"
        case .noCommand: "neither 'arguments' nor 'command' is given"
        case .argumentsNotStrings: "'arguments' is not an array of strings"
        case .unterminatedQuote: "'command' has an unterminated quote"
        }
    }
}
