import Foundation
import Testing

/// What a lint pays before its first file: libclang (and libLLVM behind it) is loaded only
/// by a process that parses (CLibClangLoader), and a cold run's workers start before the
/// driver has loaded its packs (`WorkerLaunches`). Timing is for bench/; these hold the
/// behaviour that makes the time.
@Suite struct StartCostCLITests {
    /// Whether the driver process of `ladder lint leak.c ARGS` loaded libclang, as the
    /// dynamic loader says (`LD_DEBUG=files`; file workers write to files of their own).
    static func driverLoadsLibclang(_ arguments: [String], in directory: String) throws -> Bool {
        let run = try CLI.run(["lint", "leak.c"] + arguments, in: directory, environment: ["LD_DEBUG": "files"])
        #expect(run.status == 1, "the leak is found whichever process parses it: \(String(run.err.suffix(2000)))")
        #expect(run.out.contains("missing-release"), "\(run.out)")
        return run.err.contains("libclang")
    }

    @Test("only a process that parses loads libclang: not the driver of worker processes, not a run the cache answers")
    func libclangOnlyWhereParsed() throws {
        let dir = try HardeningCLITests.scratch()
        // The loader's report is seen: a parse in the driver's own process loads it.
        #expect(try Self.driverLoadsLibclang(["--in-process", "--no-cache"], in: dir.url.path))
        #expect(try !Self.driverLoadsLibclang(["--no-cache"], in: dir.url.path))
        let cache = dir.path("cache")
        #expect(try !Self.driverLoadsLibclang(["--cache", cache], in: dir.url.path))
        // Every unit from the cache: nothing parses, even with no workers to parse in.
        #expect(try !Self.driverLoadsLibclang(["--cache", cache, "--in-process"], in: dir.url.path))
    }

    @Test("a cold run with more workers than files: the same report as with one worker")
    func moreWorkersThanFiles() throws {
        let dir = try HardeningCLITests.scratch()
        // A directory: the run cannot know how many files it holds before it starts its
        // workers (six, or as many as the cores if fewer); all but one never get a setup
        // and are ended unused.
        let one = try CLI.run(["lint", ".", "--no-cache", "-j1", "--format", "json"], in: dir.url.path)
        #expect(one.status == 1, "\(one.err)")
        let six = try CLI.run(["lint", ".", "--no-cache", "-j6", "--format", "json"], in: dir.url.path)
        #expect(six.status == 1, "\(six.err)")
        #expect(ReportGoldenTests.normalise(six.out) == ReportGoldenTests.normalise(one.out))
        #expect(six.out.contains("missing-release"), "\(six.out)")
    }

    @Test("a libclang that cannot be loaded (LADDER_LIBCLANG) is each file's error, in workers and in process, with a report")
    func unloadableLibclang() throws {
        let dir = try HardeningCLITests.scratch()
        // No such file; and a library that is no libclang (it lacks the functions ladder calls).
        let libraries = [("/nonexistent/libclang-19.so.19", ""), ("/lib/x86_64-linux-gnu/libz.so.1", "it has no clang_")]
        for (library, why) in libraries {
            for mode in [[], ["--in-process"]] {
                let run = try CLI.run(["lint", "leak.c", "--no-cache", "--format", "json"] + mode, in: dir.url.path,
                                      environment: ["LADDER_LIBCLANG": library])
                #expect(run.status == 2, "\(library) \(mode): a file not checked makes the run untrusted: \(run.err)")
                let report = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
                let errors = report?["errors"] as? [[String: Any]] ?? []
                #expect(errors.count == 1, "\(library) \(mode): \(run.out)")
                #expect(errors.first?["file"] as? String == "leak.c")
                let message = errors.first?["message"] as? String ?? ""
                #expect(message.hasPrefix("not checked: cannot load libclang (\(library)): \(why)"), "\(mode): \(message)")
            }
        }
    }
}
