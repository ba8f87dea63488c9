import LadderCore
import Testing
@testable import LadderReport

@Suite struct SuppressionTests {
    static let file = "kernel/proc.c"

    /// A finding of `rule` on `line` of the test file.
    static func finding(_ line: Int, _ rule: RuleID = .missingRelease, function: String = "proc_pagetable") -> Finding {
        Finding(rule: rule, message: "\(rule.rawValue) at \(line)", function: function,
                location: SourceLocation(file: file, line: line, column: 5))
    }

    /// `source` is numbered from line 1; findings are placed on its lines.
    static func apply(_ source: String, _ findings: [Finding], files: [String] = []) -> Report {
        Suppressions.apply(to: Report(findings: findings, stats: Stats(files: 1)), files: files) { path in
            path == file ? source : nil
        }
    }

    static func problems(_ report: Report) -> [String] {
        report.findings.filter { $0.rule == .invalidSuppression }.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }

    // MARK: - Forms that suppress

    @Test func lineCommentOnTheFindingsLine() {
        let source = """
            uvmfree(pagetable, 0);
            return 0;   // ladder-ignore[missing-release]: the caller unmaps on failure
            """
        let result = Self.apply(source, [Self.finding(2)])
        #expect(result.findings.isEmpty)
    }

    @Test func lineCommentOnTheLineBefore() {
        let source = """
            // ladder-ignore[missing-release]: the caller unmaps on failure
            return 0;
            """
        #expect(Self.apply(source, [Self.finding(2)]).findings.isEmpty)
    }

    @Test func blockCommentOnOneLineActsLikeALineComment() {
        let source = """
            /* ladder-ignore[missing-release]: the caller unmaps on failure */
            return 0;
            """
        #expect(Self.apply(source, [Self.finding(2)]).findings.isEmpty)
    }

    @Test func onlyTheNamedRulesAreSuppressed() {
        let source = """
            kfree(mem);   // ladder-ignore[release-order]: mem is mapped read-only and never touched again
            """
        let order = Self.finding(1, .releaseOrder)
        let twice = Self.finding(1, .doubleRelease)
        #expect(Self.apply(source, [order, twice]).findings == [twice])
    }

    @Test func severalRulesInOneComment() {
        let source = """
            // ladder-ignore[release-order, double-release]: the pool allocator ignores frees
            kfree(mem);
            """
        #expect(Self.apply(source, [Self.finding(2, .releaseOrder), Self.finding(2, .doubleRelease)]).findings.isEmpty)
    }

    @Test func doesNotReachTwoLinesDown() {
        let source = """
            // ladder-ignore[missing-release]: reason
            uvmfree(pagetable, 0);
            return 0;
            """
        let result = Self.apply(source, [Self.finding(3)])
        #expect(result.findings.contains(Self.finding(3)))
        #expect(Self.problems(result) == ["1:1 suppression of missing-release matches no finding on this line or the next"])
    }

    @Test func region() {
        let source = """
            int
            legacy_probe(void)
            {
              /* ladder-ignore-begin[missing-release]: this driver is removed in the next release */
              if(a() < 0)
                return -1;
              if(b() < 0)
                return -1;
              /* ladder-ignore-end */
              return c();
            }
            """
        let result = Self.apply(source, [Self.finding(6), Self.finding(8), Self.finding(10)])
        #expect(result.findings == [Self.finding(10)])
    }

    @Test func nestedRegionsCloseInnermostFirst() {
        let source = """
            // ladder-ignore-begin[missing-release]: outer
            x();
            // ladder-ignore-begin[double-release]: inner
            y();
            // ladder-ignore-end
            z();
            // ladder-ignore-end
            """
        let result = Self.apply(source, [Self.finding(2), Self.finding(4, .doubleRelease), Self.finding(6),
                                         Self.finding(6, .doubleRelease)])
        #expect(result.findings == [Self.finding(6, .doubleRelease)])
    }

    @Test func commentsInsideStringsAreNotSuppressions() {
        let source = """
            printf("// ladder-ignore[missing-release]: not a comment\\n");
            return 0;
            """
        let result = Self.apply(source, [Self.finding(2)])
        #expect(result.findings == [Self.finding(2)])
    }

    @Test func invalidSuppressionFindingsAreNotThemselvesSuppressible() {
        let source = "// ladder-ignore[invalid-suppression]: quiet please\n"
        let result = Self.apply(source, [Self.finding(1, .invalidSuppression)])
        #expect(result.findings.count == 2)
        #expect(Self.problems(result).contains { $0.contains("unknown rule 'invalid-suppression'") })
    }

    // MARK: - Invalid forms

    @Test(arguments: [
        ("// ladder-ignore: the caller frees it",
         "suppression names no rule: write 'ladder-ignore[rule-id]: reason'"),
        ("// ladder-ignore[]: the caller frees it",
         "suppression names no rule: write 'ladder-ignore[rule-id]: reason'"),
        ("// ladder-ignore[missing-release]",
         "suppression of missing-release gives no reason: write 'ladder-ignore[missing-release]: why this is safe'"),
        ("// ladder-ignore[missing-release]:   ",
         "suppression of missing-release gives no reason: write 'ladder-ignore[missing-release]: why this is safe'"),
        ("// ladder-ignore[leak]: x",
         "unknown rule 'leak' in suppression (rules: \(Registry.rules.map(\.id).filter { $0 != .invalidSuppression }.map(\.rawValue).joined(separator: ", ")))"),
        ("// ladder-ignore[missing-release: x",
         "suppression's rule list has no closing ']'"),
        ("// ladder-ignore-next-line[missing-release]: x",
         "unknown suppression 'ladder-ignore-next-line': write 'ladder-ignore[rule-id]: reason', 'ladder-ignore-begin[rule-id]: reason' or 'ladder-ignore-end'"),
        ("/* ladder-ignore-begin: legacy */",
         "suppression names no rule: write 'ladder-ignore-begin[rule-id]: reason'"),
    ])
    func malformedSuppressionIsReportedAndSuppressesNothing(comment: String, message: String) {
        let source = "return 0;   \(comment)\n"
        let result = Self.apply(source, [Self.finding(1)])
        #expect(result.findings.contains(Self.finding(1)))
        #expect(Self.problems(result) == ["1:13 \(message)"])
        let problem = result.findings.first { $0.rule == .invalidSuppression }
        #expect(problem?.severity == .warning)
    }

    @Test func staleSuppressionInAFileWithoutFindings() {
        let source = "\n\n  kfree(mem);  // ladder-ignore[double-release]: fixed long ago\n"
        let result = Self.apply(source, [], files: [Self.file])
        #expect(Self.problems(result) == ["3:16 suppression of double-release matches no finding on this line or the next"])
        #expect(result.findings.first?.location.file == Self.file)
    }

    @Test func staleRegion() {
        let source = "/* ladder-ignore-begin[release-order]: x */\nf();\n/* ladder-ignore-end */\n"
        let result = Self.apply(source, [Self.finding(2)])
        #expect(Self.problems(result)
                == ["1:1 suppression of release-order matches no finding between ladder-ignore-begin and ladder-ignore-end"])
    }

    @Test func unbalancedRegions() {
        let source = """
            /* ladder-ignore-end */
            /* ladder-ignore-begin[missing-release]: never closed */
            return 0;
            """
        let result = Self.apply(source, [Self.finding(3)])
        #expect(result.findings.contains(Self.finding(3)))
        #expect(Self.problems(result) == [
            "1:1 ladder-ignore-end without a ladder-ignore-begin",
            "2:1 ladder-ignore-begin[missing-release] has no ladder-ignore-end",
        ])
    }

    @Test func proseMentioningTheKeywordIsIgnored() {
        let source = """
            // See docs/ci.md for ladder-ignore comments.
            // ladder-ignored files are listed elsewhere
            return 0;
            """
        #expect(Self.apply(source, [Self.finding(3)]).findings == [Self.finding(3)])
    }

    @Test func unreadableSourceKeepsFindings() {
        let report = Report(findings: [Self.finding(1)], stats: Stats(files: 1))
        #expect(Suppressions.apply(to: report) { _ in nil } == report)
    }

    /// Suppression problems are ordinary findings: line-independent fingerprints, so they
    /// can be baselined, and distinct per file.
    @Test func problemFingerprintsIgnoreLinesButNotFiles() {
        let a = Suppressions.problem("m", at: SourceLocation(file: "a.c", line: 3, column: 1))
        let moved = Suppressions.problem("m", at: SourceLocation(file: "a.c", line: 30, column: 1))
        let other = Suppressions.problem("m", at: SourceLocation(file: "b.c", line: 3, column: 1))
        #expect(a.fingerprint == moved.fingerprint)
        #expect(a.fingerprint != other.fingerprint)
    }
}

@Suite struct CommentScannerTests {
    @Test func positionsAreOneBasedByteColumns() {
        let source = "int x; /* a */\n  // b\n\"/* no */\" 'x' /* multi\nline */ y;\n"
        let comments = CommentScanner.comments(in: source)
        #expect(comments.map(\.body) == [" a ", " b", " multi\nline "])
        #expect(comments.map(\.line) == [1, 2, 3])
        #expect(comments.map(\.column) == [8, 3, 16])
        #expect(comments.map(\.endLine) == [1, 2, 4])
    }

    @Test func escapedQuotesAndContinuations() {
        let source = "s = \"\\\" // not\"; c = '\\''; // yes \\\n still\nnext\n"
        let comments = CommentScanner.comments(in: source)
        #expect(comments.count == 1)
        #expect(comments.first?.body == " yes \\\n still")
        #expect(comments.first?.endLine == 2)
    }
}
