import Foundation
import LadderClang
import LadderCore
import Testing

/// Seeds single bugs into a copy of the bundled kernel: every release call on an error path
/// deleted in turn must be reported in its function, except the documented limits below.
/// `bench/seed-releases.py` runs the same experiment (also with swaps) on any tree.
@Suite struct SeedingTests {
    static let releases = ["kfree", "uvmunmap", "uvmfree", "freewalk", "proc_freepagetable", "uvmdealloc", "release",
                           "releasesleep", "end_op", "iput", "iunlock", "iunlockput", "brelse", "fileclose", "freeproc"]

    /// Deletions the checker does not report, each for a stated reason (docs/evaluation.md).
    static let knownLimits: [String: String] = [
        "pipealloc:kfree#1": "dead code: `pi` is allocated last, so no failure reaches `bad:` holding it",
        "allocproc:freeproc#1": "the proc slot is found in a table, not acquired, so freeproc frees nothing tracked",
        "allocproc:freeproc#2": "the proc slot is found in a table, not acquired, so freeproc frees nothing tracked",
        "sys_pipe:fileclose#3": "after fdalloc, the files count as handed on; clearing p->ofile[fd] undoes that unseen",
        "sys_pipe:fileclose#4": "after fdalloc, the files count as handed on; clearing p->ofile[fd] undoes that unseen",
    ]

    struct Mutant: CustomStringConvertible {
        var file: String
        var line: Int
        var function: String
        var call: String
        /// Which call of that name in the function (1-based), so limits survive line moves.
        var occurrence: Int
        var key: String { "\(function):\(call)#\(occurrence)" }
        var description: String { "\(file):\(line) \(key)" }
    }

    static let mutants: [Mutant] = {
        var result: [Mutant] = []
        let dir = Paths.fixtures("xv6")
        for file in SourceSet.cFiles(under: dir) {
            let lines = (try? String(contentsOfFile: file, encoding: .utf8))?.components(separatedBy: "\n") ?? []
            var seen: [String: Int] = [:]
            for (i, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard let call = releases.first(where: { trimmed.hasPrefix($0 + "(") && trimmed.hasSuffix(");") }),
                      let (function, zeroIsError) = enclosingFunction(lines, i) else { continue }
                seen[function + ":" + call, default: 0] += 1
                guard onErrorPath(lines, i, zeroIsError: zeroIsError) else { continue }
                result.append(Mutant(file: (file as NSString).lastPathComponent, line: i + 1, function: function, call: call,
                                     occurrence: seen[function + ":" + call]!))
            }
        }
        return result
    }()

    /// Kernel style puts the return type on the line before `name(` at column 0.
    static func enclosingFunction(_ lines: [String], _ i: Int) -> (String, Bool)? {
        for j in stride(from: i, to: 0, by: -1) where lines[j].first?.isLetter == true && lines[j].contains("(") {
            let name = String(lines[j].prefix { $0 != "(" })
            let type = lines[j - 1].trimmingCharacters(in: .whitespaces)
            let zeroIsError = (type.contains("*") || type == "pagetable_t" || type == "uint64") && !name.hasPrefix("sys_")
            return (name, zeroIsError)
        }
        return nil
    }

    /// The first `return` or `goto` after the line is an error exit.
    static func onErrorPath(_ lines: [String], _ i: Int, zeroIsError: Bool) -> Bool {
        for line in lines[(i + 1)...] {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("goto ") { return true }
            if t.hasPrefix("return") {
                let value = t.dropFirst(6).trimmingCharacters(in: CharacterSet(charactersIn: " ;"))
                return value == "-1" || value.hasPrefix("-E") || (value == "0" && zeroIsError)
            }
            if line.first?.isLetter == true && line.contains("(") { return false }
        }
        return false
    }

    @Test func thereAreEnoughMutants() {
        #expect(Self.mutants.count >= 50)
    }

    @Test("a deleted release on an error path is reported", arguments: mutants)
    func deletedRelease(_ mutant: Mutant) throws {
        let work = NSTemporaryDirectory() + "ladder-seed-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: Paths.fixtures("xv6"), toPath: work)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let path = work + "/" + mutant.file
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        lines[mutant.line - 1] = ";"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let unit = try Frontend().load(CompileCommand(file: path)).get().unit
        let findings = Analyzer(pack: try BuiltinPacks.load("xv6")).analyse(unit).findings
        let reported = findings.contains { $0.function == mutant.function }
        if let reason = Self.knownLimits[mutant.key] {
            // A documented limit that starts being reported should have its entry removed.
            #expect(!reported, "\(mutant) is now reported; drop its known-limit entry (\(reason))")
        } else {
            #expect(reported, "\(mutant) deleted but nothing reported in \(mutant.function)")
        }
    }
}
