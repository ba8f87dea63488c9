@testable import LadderDriver
import Testing

/// How many file workers a cold run starts before it knows its files (`WorkerLaunches`).
@Suite struct WorkerLaunchesTests {
    @Test("started ahead: -j, but no more than the files when known, else no more than the cores")
    func aheadCount() {
        // Files named one by one: no more workers than files.
        #expect(WorkerLaunches.aheadCount(jobs: 4096, files: 20, cores: 2) == 20)
        #expect(WorkerLaunches.aheadCount(jobs: 8, files: 3, cores: 64) == 3)
        // A directory or a compile database: no more than the cores. `-j 4096` on a
        // directory once started 4,096 processes, each loading libclang.
        #expect(WorkerLaunches.aheadCount(jobs: 4096, files: nil, cores: 2) == 2)
        #expect(WorkerLaunches.aheadCount(jobs: 16, files: nil, cores: 16) == 16)
        // Never more than asked for.
        #expect(WorkerLaunches.aheadCount(jobs: 1, files: nil, cores: 8) == 1)
        #expect(WorkerLaunches.aheadCount(jobs: 2, files: 100, cores: 8) == 2)
        #expect(WorkerLaunches.aheadCount(jobs: 4, files: nil, cores: 0) == 1)
    }
}
