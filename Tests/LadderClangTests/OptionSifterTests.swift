@testable import LadderClang
import Testing

/// The sifter against a stand-in for libclang whose verdicts the test knows: bad options
/// that the diagnostics name, bad ones they do not, and pairs fine alone but not together.
@Suite struct OptionSifterTests {
    /// Fails a parse with any of `bad`, or with both options of a `conflicts` pair; names
    /// the culprit in its diagnostic only when it is in `named`.
    final class StandIn: OptionAsking {
        let bad: Set<String>
        let named: Set<String>
        let conflicts: [(String, String)]
        private(set) var probes = 0
        var seconds: Double { 0 }

        init(bad: Set<String>, named: Set<String> = [], conflicts: [(String, String)] = []) {
            self.bad = bad
            self.named = named
            self.conflicts = conflicts
        }

        func run(_ arguments: [String], directory: String?) -> OptionProbe.Outcome {
            probes += 1
            let present = Set(arguments)
            var diagnostics: [OptionProbe.Diagnostic] = []
            for option in arguments where bad.contains(option) {
                let text = named.contains(option) ? "unknown argument: '\(option)'" : "something is wrong"
                diagnostics.append(OptionProbe.Diagnostic(isError: true, text: text, flag: ""))
            }
            for (a, b) in conflicts where present.contains(a) && present.contains(b) {
                diagnostics.append(OptionProbe.Diagnostic(isError: true, text: "these do not go together", flag: ""))
            }
            return OptionProbe.Outcome(failed: !diagnostics.isEmpty, diagnostics: diagnostics)
        }
    }

    static let options = (0..<64).map { CompilerOption(tokens: ["-fopt\($0)"]) }
    static let context = OptionContext(directory: nil, target: [])

    func dropped(_ probe: StandIn) throws -> [String] {
        var sifter = OptionSifter(probe: probe)
        guard case .judged(let verdicts) = sifter.sift(Self.options, in: Self.context) else {
            throw Unjudged()
        }
        #expect(verdicts.count == Self.options.count)
        return Self.options.filter { verdicts[$0] != .kept }.map(\.spelling)
    }

    struct Unjudged: Error {}

    @Test func namedCulpritsCostOneProbeMore() throws {
        let bad: Set = ["-fopt3", "-fopt17", "-fopt40", "-fopt63"]
        let probe = StandIn(bad: bad, named: bad)
        #expect(try dropped(probe) == ["-fopt3", "-fopt17", "-fopt40", "-fopt63"])
        // The context alone, everything, and the rest once the named ones are out.
        #expect(probe.probes == 3)
    }

    @Test func unnamedCulpritsAreBisected() throws {
        let probe = StandIn(bad: ["-fopt5", "-fopt50"])
        #expect(try dropped(probe) == ["-fopt5", "-fopt50"])
        // Two culprits in 64: two questions per halving on each culprit's way down, about
        // 4·log2(64), where asking one option at a time would take 64.
        #expect(probe.probes <= 4 * 7, "\(probe.probes) probes")
    }

    @Test func conflictsKeepTheFirstInCommandOrder() throws {
        let probe = StandIn(bad: ["-fopt9"], conflicts: [("-fopt2", "-fopt60")])
        #expect(try dropped(probe) == ["-fopt9", "-fopt60"])
    }

    @Test func allGoodIsTwoProbes() throws {
        let probe = StandIn(bad: [])
        #expect(try dropped(probe) == [])
        #expect(probe.probes == 2)
    }

    @Test func aFailingContextJudgesNothing() {
        var sifter = OptionSifter(probe: StandIn(bad: ["--target=nowhere"]))
        let context = OptionContext(directory: nil, target: ["--target=nowhere"])
        guard case .contextFails = sifter.sift(Self.options, in: context) else {
            Issue.record("options judged under a target libclang refuses")
            return
        }
    }

    @Test func culpritIsWhatTheDiagnosticQuotesFirst() {
        let options = ["-fno-ipa-cp-clone", "-mcmodel=medany", "-march=rv64imac", "-mtune=rv64imac", "-O2"]
            .map { CompilerOption(tokens: [$0]) }
        func culprit(_ text: String) -> String? { OptionSifter<StandIn>.culprit(of: text, among: options)?.spelling }
        #expect(culprit("unknown argument: '-fno-ipa-cp-clone'") == "-fno-ipa-cp-clone")
        #expect(culprit("unsupported argument 'medany' to option '-mcmodel=' for target 'x86_64'") == "-mcmodel=medany")
        // A value two options carry names neither.
        #expect(culprit("unknown target CPU 'rv64imac'") == nil)
        #expect(culprit("unknown target CPU 'rv64imac'") == nil)
        #expect(culprit("something is wrong") == nil)
        #expect(culprit("unknown argument: '-fno-such-option'") == nil)
    }

    /// The same with libclang itself: a target it does not know fails the parse before any
    /// diagnostic exists, so only bisection can find it.
    @Test func libclangFailureWithoutDiagnosticIsBisected() throws {
        let spellings = ["-O2", "-fno-common", "--target=no-such-arch-anywhere", "-Wall", "-fno-ipa-cp-clone",
                         "-std=gnu11", "-g", "-fshort-wchar"]
        var sifter = OptionSifter(probe: OptionProbe())
        let options = spellings.map { CompilerOption(tokens: [$0]) }
        guard case .judged(let verdicts) = sifter.sift(options, in: .init(directory: nil, target: [])) else {
            Issue.record("libclang fails on an empty file")
            return
        }
        #expect(options.filter { verdicts[$0] != .kept }.map(\.spelling) == ["--target=no-such-arch-anywhere", "-fno-ipa-cp-clone"])
        #expect(sifter.probe.probes < 2 * options.count)
    }
}
