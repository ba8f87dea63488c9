// swift-tools-version:6.1
import Foundation
import PackageDescription

/// libclang comes from Debian (`libclang-NN-dev`), never from the Swift toolchain, whose
/// libclang has no headers and is not on the loader path. `LIBCLANG_PREFIX` overrides the
/// search; otherwise the newest `/usr/lib/llvm-NN` (NN >= 17) with `clang-c/Index.h` wins.
struct LibClang {
    let prefix: String
    let version: Int

    static func locate() -> LibClang? {
        let fm = FileManager.default
        if let prefix = ProcessInfo.processInfo.environment["LIBCLANG_PREFIX"], !prefix.isEmpty {
            let name = URL(fileURLWithPath: prefix).lastPathComponent
            let version = Int(name.split(separator: "-").last ?? "") ?? 0
            return LibClang(prefix: prefix, version: version)
        }
        let entries = (try? fm.contentsOfDirectory(atPath: "/usr/lib")) ?? []
        let versions = entries.compactMap { entry -> Int? in
            guard entry.hasPrefix("llvm-"), let v = Int(entry.dropFirst(5)), v >= 17 else { return nil }
            return fm.fileExists(atPath: "/usr/lib/\(entry)/include/clang-c/Index.h") ? v : nil
        }
        guard let newest = versions.max() else { return nil }
        return LibClang(prefix: "/usr/lib/llvm-\(newest)", version: newest)
    }
}

// When nothing is found, CLibClang's shim.h stops the build with one readable #error.
let libclang = LibClang.locate()
let clangInclude: [String] = libclang.map { ["-Xcc", "-I\($0.prefix)/include", "-Xcc", "-DLADDER_HAVE_LIBCLANG=1"] } ?? []
/// The libclang the binary loads on first use (CLibClangLoader): the versioned library the
/// build found, not linked, so that a process that never parses never loads it.
let libclangPath: String = libclang.map { found in
    let versioned = "\(found.prefix)/lib/libclang-\(found.version).so.\(found.version)"
    return found.version > 0 && FileManager.default.fileExists(atPath: versioned) ? versioned : "\(found.prefix)/lib/libclang.so"
} ?? ""
let clangLoaderFlags: [CSetting] = libclang.map {
    [.unsafeFlags(["-I\($0.prefix)/include", "-DLADDER_LIBCLANG_PATH=\"\(libclangPath)\"", "-fvisibility=hidden"])]
} ?? []

let package = Package(
    name: "ladder",
    // macOS 15 for the Synchronization module (Mutex, Atomic): shared state is checked, not asserted.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ladder", targets: ["ladder"]),
        .library(name: "LadderCore", targets: ["LadderCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CLibClang", path: "Sources/CLibClang"),
        .target(name: "CLibClangLoader", cSettings: clangLoaderFlags, linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "LadderCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            // `rules/` at the top of the repository, linked in so the packs ship with the binary.
            resources: [.copy("Resources/rules")]
        ),
        .target(
            name: "LadderClang",
            dependencies: ["CLibClang", "CLibClangLoader", "LadderCore"],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        .target(
            name: "LadderReport",
            dependencies: ["LadderCore", .product(name: "Rainbow", package: "Rainbow")]
        ),
        // Between the front end and the shells: inputs → parse → lower → analyse → suppressions → baseline.
        .target(
            name: "LadderDriver",
            dependencies: ["LadderCore", "LadderClang", "LadderReport"],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        // `ladder lsp`: the Language Server Protocol over stdio, on top of the driver.
        .target(name: "LadderLSP", dependencies: ["LadderDriver", "LadderClang", "LadderCore"],
                swiftSettings: [.unsafeFlags(clangInclude)]),
        .target(name: "Sv39"),
        .target(name: "KernelModel", dependencies: ["Sv39"]),
        .target(
            name: "GroundTruth",
            dependencies: ["Sv39", "KernelModel", "LadderCore", "LadderDriver"],
            // The C runtime the ground-truth libraries are built from, shipped with the binary.
            resources: [.copy("Resources/runtime")],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        .executableTarget(
            name: "ladder",
            dependencies: [
                "LadderCore", "LadderDriver", "LadderReport", "KernelModel", "GroundTruth", "LadderLSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        // What several test targets share (goldens and LADDER_BLESS, JSON-schema checks,
        // the repository root); test targets cannot import one another.
        .target(name: "LadderTestSupport", path: "Tests/LadderTestSupport"),
        .testTarget(name: "LadderCoreTests", dependencies: ["LadderCore", "LadderTestSupport"]),
        .testTarget(
            name: "LadderClangTests",
            dependencies: ["LadderClang", "LadderCore", "LadderDriver", "LadderTestSupport"],
            exclude: ["Goldens"],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        .testTarget(
            name: "LadderDriverTests",
            dependencies: ["LadderDriver", "LadderClang", "LadderCore", "LadderReport", "LadderTestSupport"],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        .testTarget(name: "LadderReportTests", dependencies: ["LadderReport", "LadderCore", "LadderTestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "LadderLSPTests", dependencies: ["LadderLSP", "LadderCore", "LadderDriver"],
                    swiftSettings: [.unsafeFlags(clangInclude)]),
        .testTarget(
            name: "Sv39Tests",
            dependencies: ["Sv39", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "KernelModelTests",
            dependencies: ["KernelModel", "Sv39", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "GroundTruthTests",
            dependencies: ["GroundTruth", "KernelModel", "Sv39", "LadderCore"],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
        .testTarget(
            name: "LadderCLITests",
            dependencies: ["ladder", "LadderDriver", "LadderCore", "LadderTestSupport"],
            exclude: ["Goldens"],
            swiftSettings: [.unsafeFlags(clangInclude)]
        ),
    ]
)
