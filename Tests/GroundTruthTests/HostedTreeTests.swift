// Ground truth runs C built for this host as ELF shared libraries: Linux only.
#if os(Linux)
import Foundation
import Testing

@testable import GroundTruth

/// An xv6 tree hosted as it is: fixtures/xv6 here (the same path a user's xv6-riscv
/// checkout takes; bench/groundtruth-seeded.sh does the same on one).
@Suite struct HostedTreeTests {
    @Test("every entry point of the hosted tree runs under its failure points, or says why it cannot")
    func everyEntryPoint() throws {
        let report = try SharedRun.get()
        guard let unit = report.units.first(where: { $0.name.hasSuffix("fixtures/xv6") }) else {
            Issue.record("fixtures/xv6 was not hosted")
            return
        }
        #expect(unit.error == nil, "\(unit.error ?? "")")
        let entryPoints = unit.functions.filter { $0.entryPoint == true }
        #expect(entryPoints.count > 70)
        for f in entryPoints {
            #expect(!f.scenarios.isEmpty || f.notHosted != nil, "\(f.function): an entry point with no scenario and no reason")
        }
        // Every checked file is there, and the real file system ran: fs.c, log.c and bio.c.
        let files = Set(unit.functions.map { ($0.file as NSString).lastPathComponent })
        #expect(files == Set(HostedTree.checkedFiles))
        for name in ["namei", "begin_op", "bread", "sys_open", "exec", "fork", "pipealloc"] {
            #expect(unit.functions.first { $0.function == name }?.runs ?? 0 > 0, "\(name) did not run")
        }
        #expect(report.totals.entryPointsRun == report.totals.entryPoints - unit.functions.filter { $0.notHosted != nil && $0.entryPoint == true }.count)
    }

    /// Missing releases, one per file, in a copy of fixtures/xv6: (file, function, a regex
    /// whose first group is the release to delete).
    static let seeds: [(file: String, function: String, pattern: String)] = [
        ("vm.c", "uvmalloc", #"if\(mappages\(pagetable, a, PGSIZE[^\n]*\{\n(?:\s*//[^\n]*\n)*(\s*kfree\(mem\);\n)"#),
        ("proc.c", "fork", #"freeproc\(np\);\n(\s*release\(&np->lock\);\n)"#),
        ("sysfile.c", "sys_open", #"T_DIR && omode != O_RDONLY\)\{\n(\s*iunlockput\(ip\);\n)"#),
        ("fs.c", "dirlink", #"dirlookup\(dp, name, 0\)\) != 0\)\{\n(\s*iput\(ip\);\n)"#),
        ("file.c", "filealloc", #"f->ref = 1;\n(\s*release\(&ftable\.lock\);\n)"#),
    ]

    @Test("missing releases seeded in five files of the tree are seen happening by the runs")
    func seededMissingReleases() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ladder-gt-seeded-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: SharedRun.root + "/fixtures/xv6", toPath: dir)
        for seed in Self.seeds {
            let path = dir + "/" + seed.file
            var text = try String(contentsOfFile: path, encoding: .utf8)
            let re = try NSRegularExpression(pattern: seed.pattern)
            let match = try #require(re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                                     "\(seed.file): the seed's release is not there")
            // One line for one: the lines after it keep their numbers.
            text.replaceSubrange(Range(match.range(at: 1), in: text)!, with: "\n")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let verifier = try GroundTruthVerifier(options: .init(only: Set(Self.seeds.map(\.function))))
        let report = try verifier.verify(paths: [dir])
        #expect(report.errors.isEmpty, "\(report.errors)")
        for seed in Self.seeds {
            let f = try #require(report.allFunctions.first { $0.file.hasSuffix("/" + seed.file) && $0.function == seed.function })
            let caught = f.problems.filter { !$0.problem.outsideTheRules }
            #expect(!caught.isEmpty, "\(seed.file) \(seed.function): no run shows the missing release (\(f.dynamicVerdict))")
        }
        // The pristine tree's versions of the same functions are clean.
        let pristine = try SharedRun.get().allFunctions.filter { f in
            f.file.contains("fixtures/xv6/") && Self.seeds.contains { f.file.hasSuffix("/" + $0.file) && f.function == $0.function }
        }
        #expect(pristine.count == Self.seeds.count)
        #expect(pristine.allSatisfy { $0.problems.isEmpty }, "\(pristine.map(\.dynamicVerdict))")
    }
}
#endif
