import Foundation
import LadderCore
import LadderDriver
import Testing

/// Functions with more paths than the budget: the walk stops, the path-insensitive pass
/// covers the rest, and what only it finds is low confidence. Inputs are generated.
@Suite struct FallbackPassTests {
    /// `count` independent options, each acquiring a page that a shared cleanup frees if set.
    static func independentOptions(_ count: Int, forgetting forgotten: Int? = nil) -> String {
        var c = "#include \"include/xv6.h\"\nint\noptions(int flags, char *src)\n{\n"
        for i in 0..<count { c += "  char *a\(i) = 0;\n" }
        for i in 0..<count {
            c += "  if(flags & \(1 << i)){\n    a\(i) = kalloc();\n    if(a\(i) == 0)\n      goto bad;\n  }\n"
        }
        c += "  memmove(src, src, 1);\n"
        for i in 0..<count { c += "  if(a\(i)) kfree(a\(i));\n" }
        c += "  return 0;\n bad:\n"
        for i in 0..<count where i != forgotten { c += "  if(a\(i)) kfree(a\(i));\n" }
        return c + "  return -1;\n}\n"
    }

    static func run(_ source: String, budget: Int) throws -> LintOutcome {
        let scratch = try Scratch()
        let file = try scratch.write(source, to: "big.c")
        var options = LintOptions(paths: [file], compileDatabase: .none)
        options.rulePacks = ["xv6"]
        options.pathBudget = budget
        return try LintDriver().run(options)
    }

    @Test("twelve independent conditional acquisitions, released right: no finding, no error")
    func correctCleanupStaysQuiet() throws {
        let outcome = try Self.run(Self.independentOptions(12), budget: 100)
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.isEmpty, "\(outcome.report.findings.map(\.message))")
        #expect(outcome.report.stats.pathInsensitiveFunctions == 1)
    }

    @Test("the one page the shared cleanup forgets is found, at low confidence")
    func forgottenPageIsFound() throws {
        let outcome = try Self.run(Self.independentOptions(12, forgetting: 5), budget: 100)
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        let findings = outcome.report.findings
        #expect(findings.count == 1, "\(findings.map { "\($0.location.line): \($0.message) \($0.resource?.handle ?? "")" })")
        #expect(findings.first?.rule == .missingRelease)
        #expect(findings.first?.resource?.handle == "a5")
        #expect(findings.first?.confidence == .low)
    }

    @Test("a leak in the last case of a long switch is found past the budget")
    func longSwitch() throws {
        var c = "#include \"include/xv6.h\"\nint\nbig_switch(int op, char *src)\n{\n  char *mem = kalloc();\n"
        c += "  if(mem == 0)\n    return -1;\n  switch(op){\n"
        for i in 0..<3_000 { c += "  case \(i):\n    src[\(i % 7)] = \(i % 100);\n    break;\n" }
        c += "  case 3000:\n    return -1;\n  }\n  kfree(mem);\n  return 0;\n}\n"
        let outcome = try Self.run(c, budget: 500)
        #expect(outcome.report.errors.isEmpty, "\(outcome.report.errors)")
        #expect(outcome.report.findings.count == 1)
        #expect(outcome.report.findings.first?.rule == .missingRelease)
        #expect(outcome.report.stats.pathInsensitiveFunctions == 1)
    }

    @Test("within the budget nothing changes: the walk's findings are high confidence")
    func smallFunctionsAreWalked() throws {
        let outcome = try Self.run(Self.independentOptions(3, forgetting: 1), budget: 40_000)
        #expect(outcome.report.stats.pathInsensitiveFunctions == 0)
        #expect(outcome.report.findings.count == 1)
        #expect(outcome.report.findings.allSatisfy { $0.confidence == .high })
    }
}

/// Paths that differ only by a conditional acquisition are joined where they meet, so a
/// ladder of optional resources stays inside the path budget: states grow with its
/// length, not with 2^length.
@Suite struct ConditionalLadderTests {
    @Test("a 40-deep ladder of optional acquisitions is walked in a few thousand states, not 2^40")
    func statesStayLinear() throws {
        let scratch = try Scratch()
        let file = try scratch.write(FallbackPassTests.independentOptions(40), to: "ladder.c")
        var options = LintOptions(paths: [file], compileDatabase: .none)
        options.rulePacks = ["xv6"]
        let outcome = try LintDriver().run(options)
        #expect(outcome.report.errors.isEmpty)
        #expect(outcome.report.stats.pathInsensitiveFunctions == 0)
        #expect(outcome.report.findings.isEmpty)
        let states = outcome.costliest.first?.states ?? .max
        #expect(states < 10_000, "\(states) path states")
    }

    @Test("the same ladder missing one rung is found by the path walk, at high confidence")
    func missingRungStillFound() throws {
        let scratch = try Scratch()
        let file = try scratch.write(FallbackPassTests.independentOptions(40, forgetting: 17), to: "ladder.c")
        var options = LintOptions(paths: [file], compileDatabase: .none)
        options.rulePacks = ["xv6"]
        let outcome = try LintDriver().run(options)
        #expect(outcome.report.stats.pathInsensitiveFunctions == 0)
        #expect(outcome.report.findings.map { $0.resource?.handle } == ["a17"])
        #expect(outcome.report.findings.first?.confidence == .high)
    }
}

@Suite struct ConfidenceFilterTests {
    @Test("--min-confidence medium leaves the fallback's low finding out; baselines ignore confidence")
    func minConfidence() throws {
        let scratch = try Scratch()
        let file = try scratch.write(FallbackPassTests.independentOptions(12, forgetting: 5), to: "big.c")
        var options = LintOptions(paths: [file], compileDatabase: .none)
        options.rulePacks = ["xv6"]
        options.pathBudget = 100
        let all = try LintDriver().run(options).report
        #expect(all.findings.map(\.confidence) == [.low])
        options.minConfidence = .medium
        #expect(try LintDriver().run(options).report.findings.isEmpty)
        var high = all.findings[0]
        high.confidence = .high
        #expect(high.fingerprint == all.findings[0].fingerprint)
    }
}
