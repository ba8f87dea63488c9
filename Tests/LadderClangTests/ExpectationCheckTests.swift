import LadderCore
import Testing

/// The fixture checker itself, on synthetic findings: every way a fixture can disagree with
/// what was reported must fail it, or the fixture suite proves nothing.
@Suite struct ExpectationCheckTests {
    static let file = "case.c"

    static func at(_ line: Int) -> LadderCore.SourceLocation { LadderCore.SourceLocation(file: file, line: line, column: 5) }

    /// A leak reported at line 9: acquired at 3, the acquisition fails at 6, fix before 8.
    static let leak = Finding(
        rule: .missingRelease, message: "page from kalloc() is not released on this error path", function: "f",
        location: at(9),
        path: [PathStep(location: at(3), message: "kalloc() succeeds"), PathStep(location: at(6), message: "mappages() fails"),
               PathStep(location: at(9), message: "returns '-1' with it still held")],
        fix: insertion("kfree(mem);\n", before: 8))

    /// A fix inserting `text` at the start of `line` (offsets are not read: the checker places
    /// edits by line and column).
    static func insertion(_ text: String, before line: Int) -> Fix {
        let at = TextPosition(line: line, column: 1, offset: 0)
        return Fix(insertBefore: Self.at(line), text: text, edits: [TextEdit(file: file, start: at, end: at, replacement: text)])
    }

    static let findingLine = "  return -1; // expected-error {{page from kalloc() is not released}} [missing-release]"

    /// A fixture of eleven lines: `lines` placed by line number, the rest blank.
    static func fixture(_ lines: [Int: String]) -> String {
        (1...11).map { lines[$0] ?? "" }.joined(separator: "\n")
    }

    static func mismatches(_ lines: [Int: String], _ findings: [Finding] = [leak]) throws -> [Mismatch] {
        let text = fixture(lines)
        return ExpectationCheck.mismatches(try Expectation.parse(text, file: file), findings, file: file,
                                           source: SourceText(path: file, bytes: Array(text.utf8)))
    }

    static let allNotes: [Int: String] = [
        3: "// expected-note {{kalloc() succeeds}}",
        6: "// expected-note {{mappages() fails}}",
        9: findingLine + " expected-note {{still held}}",
    ]

    @Test func aFullyStatedCasePasses() throws {
        var lines = Self.allNotes
        lines[8] = #"// expected-fix {{kfree(mem);\n}}"#
        #expect(try Self.mismatches(lines).isEmpty)
    }

    @Test func notesAndFixesAreNotCheckedWhereNoneIsStated() throws {
        #expect(try Self.mismatches([9: Self.findingLine]).isEmpty)
    }

    @Test func findingsAreCheckedBothWays() throws {
        #expect(try Self.mismatches([:]) == [.unexpectedFinding(Self.leak)])
        let wrongLine = try Self.mismatches([8: Self.findingLine])
        #expect(wrongLine.count == 2 && wrongLine.contains(.unexpectedFinding(Self.leak)), "\(wrongLine)")
        let wrongRule = try Self.mismatches([9: "// expected-error {{not released}} [double-release]"])
        #expect(wrongRule.count == 2, "\(wrongRule)")
    }

    @Test func severityMustMatch() throws {
        let asWarning = try Self.mismatches([9: "// expected-warning {{not released}} [missing-release]"])
        #expect(asWarning.count == 2 && asWarning.contains(.unexpectedFinding(Self.leak)), "\(asWarning)")
        var warning = Self.leak
        warning.severity = .warning
        #expect(try Self.mismatches([9: "// expected-warning {{not released}} [missing-release]"], [warning]).isEmpty)
        #expect(try Self.mismatches([9: Self.findingLine], [warning]).count == 2)
    }

    @Test func aMissingNoteFails() throws {
        var lines = Self.allNotes
        lines[6] = nil
        let result = try Self.mismatches(lines)
        #expect(result == [.unexpectedNote(Self.leak.path[1], of: Self.leak)], "\(result)")
    }

    @Test func aWrongNoteFails() throws {
        var lines = Self.allNotes
        lines[6] = "// expected-note {{mappages() succeeds}}"
        let result = try Self.mismatches(lines)
        #expect(result.count == 2 && result.contains(.unexpectedNote(Self.leak.path[1], of: Self.leak)), "\(result)")
        #expect(result.contains { if case .missingNote(let e) = $0 { e.line == 6 } else { false } }, "\(result)")
    }

    @Test func aNoteOnTheWrongLineFails() throws {
        var lines = Self.allNotes
        lines[6] = nil
        lines[5] = "// expected-note@+2 {{mappages() fails}}"
        #expect(try Self.mismatches(lines).count == 2)
        lines[5] = "// expected-note@+1 {{mappages() fails}}"
        #expect(try Self.mismatches(lines).isEmpty)
    }

    @Test func anUnexpectedNoteFails() throws {
        var lines = Self.allNotes
        lines[10] = "// expected-note {{kalloc() succeeds}}"
        let result = try Self.mismatches(lines)
        #expect(result.count == 1 && result.contains { if case .missingNote(let e) = $0 { e.line == 10 } else { false } },
                "a stated note that no finding has: \(result)")
    }

    @Test func aWrongFixFails() throws {
        for stated in [#"// expected-fix {{kfree(mem);}}"#,                // the newline is part of the text
                       #"// expected-fix {{kfree(pa);\n}}"#,
                       #"// expected-fix@-1 {{kfree(mem);\n}}"#] {         // inserted before line 7
            let result = try Self.mismatches([8: stated, 9: Self.findingLine])
            #expect(result.count == 2 && result.contains(.unexpectedFix(Self.leak.fix!, of: Self.leak)), "\(stated): \(result)")
        }
    }

    @Test func anUnexpectedFixFails() throws {
        var other = Self.leak
        other.location = Self.at(11)
        other.fix = Self.insertion("kfree(pa);\n", before: 10)
        let lines = [8: #"// expected-fix {{kfree(mem);\n}}"#, 9: Self.findingLine, 11: Self.findingLine]
        #expect(try Self.mismatches(lines, [Self.leak, other]) == [.unexpectedFix(other.fix!, of: other)])
    }

    @Test func aMissingFixFails() throws {
        var fixless = Self.leak
        fixless.fix = nil
        let result = try Self.mismatches([8: #"// expected-fix {{kfree(mem);\n}}"#, 9: Self.findingLine], [fixless])
        #expect(result.count == 1 && result.contains { if case .missingFix = $0 { true } else { false } }, "\(result)")
    }

    @Test func stepsInAnotherFileCannotBeStated() throws {
        var elsewhere = Self.leak
        elsewhere.path[0].location.file = "include/xv6.h"
        let result = try Self.mismatches(Self.allNotes, [elsewhere])
        #expect(result.count == 2 && result.contains(.unexpectedNote(elsewhere.path[0], of: elsewhere)), "\(result)")
    }

    /// Findings at one place share their fix; it is stated once, and a second statement of it
    /// is a fix not reported.
    @Test func oneFixSharedByTwoFindingsIsStatedOnce() throws {
        var twin = Self.leak
        twin.message = "page from kalloc() is not released on this error path (twin)"
        let lines = [8: #"// expected-fix {{kfree(mem);\n}}"#, 9: Self.findingLine + " expected-error {{twin}} [missing-release]"]
        #expect(try Self.mismatches(lines, [Self.leak, twin]).isEmpty)
        var twice = lines
        twice[7] = #"// expected-fix@+1 {{kfree(mem);\n}}"#
        #expect(try Self.mismatches(twice, [Self.leak, twin]).count == 1)
    }

    /// The stated text is the touched lines after the fix, indentation included.
    @Test func theEditedLinesAreCompared() throws {
        var wrapped = Self.leak
        let brace = TextPosition(line: 8, column: 1, offset: 0)
        wrapped.fix = Fix(insertBefore: Self.at(8), text: "kfree(mem);\n",
                          edits: [TextEdit(file: Self.file, start: brace, end: brace, replacement: "\tkfree(mem);\n\t")])
        #expect(try Self.mismatches([8: #"x; // expected-fix {{\tkfree(mem);\n\tx;\n}}"#, 9: Self.findingLine], [wrapped]).isEmpty)
        #expect(try Self.mismatches([8: #"x; // expected-fix {{kfree(mem);\nx;\n}}"#, 9: Self.findingLine], [wrapped]).count == 2)
    }

    @Test func parsing() throws {
        let text = Self.fixture([
            2: #"x; // expected-fix@+1 {{a(b);\nc(d);\n}} expected-note@-1 {{one}}"#,
            4: "// expected-error {{m}} [release-order] expected-warning@+2 {{w}} [invalid-suppression]",
        ])
        let parsed = try Expectation.parse(text, file: Self.file)
        #expect(parsed == [
            Expectation(line: 3, kind: .fix(text: "a(b);\nc(d);\n")),
            Expectation(line: 1, kind: .note(substring: "one")),
            Expectation(line: 4, kind: .finding(.error, .releaseOrder, substring: "m")),
            Expectation(line: 6, kind: .finding(.warning, .invalidSuppression, substring: "w")),
        ])
    }

    /// A malformed expectation stops the test instead of being skipped.
    @Test(arguments: [
        "// expected-error {{no rule}}",
        "// expected-error {{x}} [no-such-rule]",
        "// expected-eror {{typo}} [missing-release]",
        "// expected-note no braces",
        "// expected-note {{unclosed",
        "// expected-note@2 {{absolute lines are not supported}}",
        #"// expected-fix {{a\qb}}"#,
        "// expected-note@+20 {{past the end}}",
    ])
    func malformed(_ line: String) {
        #expect(throws: ExpectationSyntaxError.self) { try Expectation.parse(Self.fixture([5: line]), file: Self.file) }
    }
}
