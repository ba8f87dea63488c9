import Foundation
import Synchronization

/// The host tools ground truth needs: a C compiler that builds shared libraries for this
/// machine (the Swift toolchain's `clang`, which every Swift install has) and
/// `llvm-symbolizer` (shipped beside it) to turn return addresses into functions and lines.
public struct Toolchain: Sendable {
    public var clang: String
    /// nil when no symbolizer was found: verdicts then carry no lines.
    public var symbolizer: String?

    public init(clang: String, symbolizer: String?) {
        self.clang = clang
        self.symbolizer = symbolizer
    }

    /// `LADDER_CC` and `LADDER_SYMBOLIZER` override the search; otherwise `clang` on PATH and
    /// `llvm-symbolizer` in the same directory (then on PATH).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(GroundTruthError) -> Toolchain
    {
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        guard let clang = environment["LADDER_CC"].flatMap({ $0.isEmpty ? nil : $0 }) ?? which("clang", path: path) else {
            throw .toolchain("no clang on PATH (the Swift toolchain's clang builds the ground-truth libraries); set LADDER_CC")
        }
        var symbolizer = environment["LADDER_SYMBOLIZER"].flatMap { $0.isEmpty ? nil : $0 }
        if symbolizer == nil {
            let resolved = URL(fileURLWithPath: clang).resolvingSymlinksInPath().deletingLastPathComponent()
            let beside = [URL(fileURLWithPath: clang).deletingLastPathComponent(), resolved]
                .map { $0.appendingPathComponent("llvm-symbolizer").path }
            symbolizer = beside.first { FileManager.default.isExecutableFile(atPath: $0) } ?? which("llvm-symbolizer", path: path)
        }
        return Toolchain(clang: clang, symbolizer: symbolizer)
    }

    static func which(_ name: String, path: String) -> String? {
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Why ground truth could not run at all (as opposed to a fixture it could not use).
public enum GroundTruthError: Error, CustomStringConvertible, Sendable {
    case toolchain(String)
    case runtime(String)
    case build(file: String, message: String)
    case load(String)
    case explanations(file: String, message: String)

    public var description: String {
        switch self {
        case .toolchain(let m): "toolchain: \(m)"
        case .runtime(let m): "runtime: \(m)"
        case .build(let file, let m): "\(file): could not build the ground-truth library: \(m)"
        case .load(let m): "cannot load the ground-truth library: \(m)"
        case .explanations(let file, let m): "\(file): \(m)"
        }
    }
}

/// Runs a program and collects its output; used for clang and llvm-symbolizer.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = input.map { _ in Pipe() }
        if let inPipe { process.standardInput = inPipe }
        try process.run()
        // Read both pipes while the process runs, so neither fills up and blocks it.
        let outData = Box()
        let errData = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData.set(out.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        if let inPipe, let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData.get(), as: UTF8.self),
                      stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// One reader's bytes, handed from its thread to the waiting one. The group's wait
    /// already orders the write before the read; the mutex makes the compiler check it.
    final class Box: Sendable {
        private let data = Mutex(Data())

        func set(_ bytes: Data) { data.withLock { $0 = bytes } }

        func get() -> Data { data.withLock { $0 } }
    }
}
