import Foundation
@testable import LadderCore
import Testing

/// The hand-rolled fast paths the walk and the fixes take must agree with what they stand
/// in for.
@Suite("Fast paths")
struct FastPathTests {
    /// Every string of up to `n` pieces, the empty one included: what each fast path is
    /// checked over against what it stands in for.
    static func strings(of pieces: [String], upTo n: Int) -> [String] {
        var strings = [""]
        var frontier = [""]
        for _ in 0..<n {
            frontier = frontier.flatMap { s in pieces.map { s + $0 } }
            strings += frontier
        }
        return strings
    }

    /// Every string of up to four characters over spaces, tabs, other Unicode spaces and
    /// text is trimmed exactly as Foundation trims `.whitespaces`.
    @Test("trimmingSpaces is trimmingCharacters(in: .whitespaces)")
    func trimmingAgreesWithFoundation() {
        let alphabet: [String] = [" ", "\t", "\u{00A0}", "\u{2003}", "a", "(", "é", "\n"]
        for s in Self.strings(of: alphabet, upTo: 4) {
            #expect(s.trimmingSpaces == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
            let sub = Substring("x" + s + "x").dropFirst().dropLast()
            #expect(sub.trimmingSpaces == s.trimmingCharacters(in: .whitespaces), "substring \(s.debugDescription)")
        }
    }

    /// A state's remembered hash is forgotten when it changes, whether the change copied
    /// its parts or changed them in place.
    @Test("a path state's cached hash follows its changes")
    func pathStateHashFollowsChanges() {
        var changed = PathState()
        changed.unchecked = true
        let a = PathState()
        let before = a.hashValue
        var shared = a
        shared.unchecked = true
        #expect(a.hashValue == before)
        #expect(shared != a)
        #expect(shared == changed && shared.hashValue == changed.hashValue)
        var inPlace = PathState()
        _ = inPlace.hashValue
        inPlace.unchecked = true
        #expect(inPlace == changed && inPlace.hashValue == changed.hashValue)
        inPlace.unchecked = false
        #expect(inPlace == a && inPlace.hashValue == a.hashValue)
    }

    /// Holes are found byte by byte; the braces are ASCII, so that finds what walking the
    /// text as characters found, for every template of up to four pieces. (The one way the
    /// two differ: a combining mark right after a brace makes one character of the two,
    /// which the character walk did not take for a brace. No pack writes one, and the
    /// loader now counts braces by bytes too.)
    @Test("a template is filled as walking it by characters filled it")
    func templateFillAgreesWithCharacterWalk() {
        func byCharacters(_ text: String, result: Expr?, arguments: [Expr]) -> String? {
            var out = ""
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                out += rest[..<open]
                guard let close = rest[open...].firstIndex(of: "}"),
                      let hole = HandleTemplate.Hole(String(rest[rest.index(after: open)..<close])) else { return nil }
                switch hole {
                case .result:
                    guard let result else { return nil }
                    out += result.text
                case .argument(let i, let divisor, let name):
                    guard i < arguments.count else { return nil }
                    if let divisor {
                        if let v = arguments[i].constantValue, divisor != 0 { out += String(v / divisor) }
                        else { out += arguments[i].text + "/" + (name ?? String(divisor)) }
                    } else {
                        out += arguments[i].text
                    }
                }
                rest = rest[rest.index(after: close)...]
            }
            return out + rest
        }
        let pieces = ["{", "}", "{0}", "{1}", "{ret}", "{2/4096:PGSIZE}", "{1/0}", "é", "x(", ", "]
        let arguments = [Expr.variable(Variable("pt", .local)), Expr(.constant(8192), text: "2*PGSIZE")]
        let result = Expr.variable(Variable("mem", .local))
        for text in Self.strings(of: pieces, upTo: 4) {
            let template = HandleTemplate(text)
            for r in [nil, result] {
                #expect(template.fill(result: r, arguments: arguments, render: \.text) == byCharacters(text, result: r, arguments: arguments),
                        "\(text.debugDescription)")
            }
        }
        #expect(HandleTemplate("f({0}, {ret}/{2/4096:PGSIZE})").holes
                == [.argument(0, divisor: nil, divisorName: nil), .result, .argument(2, divisor: 4096, divisorName: "PGSIZE")])
    }

    /// A state's facts are hashed as a sum over their entries: the same facts reached in
    /// any order hash alike, and a fact that differs in any field is told apart.
    @Test("a path state's facts hash alike in any order")
    func factsHashInAnyOrder() {
        let paths = (0..<6).map { AccessPath(variable: Variable("v\($0)", .local)) }
        let facts = [ValueFact.constant(0), .constant(-1), ValueFact(signs: .positive, exact: nil),
                     ValueFact(signs: .always, exact: nil, excluded: [3, 4]), ValueFact(signs: .nonZero, exact: nil, lower: 1, upper: 9),
                     ValueFact(signs: .zero, exact: 0, assumed: true)]
        var forward = PathState(), backward = PathState()
        for i in paths.indices { forward.facts[paths[i]] = facts[i] }
        for i in paths.indices.reversed() { backward.facts[paths[i]] = facts[i] }
        #expect(forward == backward && forward.hashValue == backward.hashValue)
        for change in 0..<4 {
            var other = forward
            switch change {
            case 0: other.facts[paths[3]]?.excluded = [4, 3]
            case 1: other.facts[paths[4]]?.upper = 8
            case 2: other.facts[paths[5]]?.assumed = false
            default: other.facts[paths[0]]?.exact = nil
            }
            #expect(other != forward)
            // Equal hashes would be allowed, only slower; these differ.
            #expect(other.hashValue != forward.hashValue, "change \(change)")
        }
    }

    @Test("foldingAddressOfDeref folds every *& and leaves other text alone")
    func addressOfDerefFolding() {
        #expect(HandleTemplate.foldingAddressOfDeref("release_firmware(*&fw)") == "release_firmware(fw)")
        #expect(HandleTemplate.foldingAddressOfDeref("f(*&*&x, *&y)") == "f(x, y)")
        #expect(HandleTemplate.foldingAddressOfDeref("f(*p, &q)") == "f(*p, &q)")
        #expect(HandleTemplate.foldingAddressOfDeref("") == "")
        #expect(HandleTemplate.foldingAddressOfDeref("*") == "*")
        #expect(HandleTemplate.foldingAddressOfDeref("f(**&&x)") == "f(x)")
        // Every string of up to six of `*`, `&` and `x`, against removing the first `*&`
        // until none is left.
        for s in Self.strings(of: ["*", "&", "x"], upTo: 6) {
            var slow = s
            while let range = slow.range(of: "*&") { slow.removeSubrange(range) }
            #expect(HandleTemplate.foldingAddressOfDeref(s) == slow, "\(s)")
        }
    }

    /// The layout habits a fix follows, read over bytes, agree with reading the same file
    /// as Swift strings line by line (what they were until the byte scan, which also reads
    /// a CRLF file's lines as lines), over files
    /// generated from C-like fragments: conditions with and without a space, both block
    /// openers, tabs, spaces, blank lines and CRLF endings.
    @Test("layout habits read over bytes agree with reading them as strings")
    func layoutHabitsAgreeWithStringReading() {
        let indents = ["", "\t", "\t\t", "  ", "    ", "        ", " \t", "   "]
        let bodies = ["if(x){", "if (x) {", "if(x)", "for(i = 0; i < n; i++){", "for (;;) {", "while(p) {",
                      "while (p){", "} else if(y){", "} else if (y) {", "} else {", "return 0;", "x = f(a);",
                      "}", "", "iff(x){", "if(x){ ", "  if (x) {\t", "/* if(x){ */"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed &+= 0x9E37_79B9_7F4A_7C15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        for _ in 0..<400 {
            let ending = next(4) == 0 ? "\r\n" : "\n"
            let lines = (0..<next(12)).map { _ in indents[next(indents.count)] + bodies[next(bodies.count)] }
            let text = lines.joined(separator: ending) + (next(2) == 0 ? ending : "")
            let source = SourceText(path: "generated.c", bytes: Array(text.utf8))
            #expect(source.blockOpener == Self.blockOpenerAsStrings(text), "\(text.debugDescription)")
            #expect(source.indentUnit == Self.indentUnitAsStrings(source), "\(text.debugDescription)")
        }
    }

    /// A CRLF file's blank lines are blank: its indent unit is its LF twin's.
    @Test("a CRLF file's indent unit is its LF twin's")
    func crlfIndentUnit() {
        let lf = "int f(void)\n{\n    if (x) {\n\n        y();\n\n        z();\n    }\n}\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(SourceText(path: "lf.c", bytes: Array(lf.utf8)).indentUnit == "    ")
        #expect(SourceText(path: "crlf.c", bytes: Array(crlf.utf8)).indentUnit == "    ")
    }

    private static func blockOpenerAsStrings(_ text: String) -> String {
        var tight = 0, spaced = 0, conditions = (tight: 0, spaced: 0)
        // Lines as the file's editor sees them: a CRLF ending is one line break.
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            let control = ["if", "for", "while", "} else if"].contains { t.hasPrefix($0 + "(") || t.hasPrefix($0 + " (") }
            guard control else { continue }
            if t.hasSuffix("){") { tight += 1 } else if t.hasSuffix(") {") { spaced += 1 }
            if t.contains("if(") || t.contains("while(") || t.contains("for(") { conditions.tight += 1 } else { conditions.spaced += 1 }
        }
        if tight == spaced { (tight, spaced) = conditions }
        return tight > spaced ? "{" : " {"
    }

    private static func indentUnitAsStrings(_ source: SourceText) -> String {
        var tabs = 0, spaced = 0
        var steps: [Int: Int] = [:]
        var previous = 0
        for line in 1...source.lineCount {
            let indent = source.indentation(of: line)
            // A CRLF line's `\r` is its break, not its text.
            let text = source.text(source.lineStart(line)..<source.lineEnd(line))
            let end = source.lineEnd(line) - (text.utf8.last == UInt8(ascii: "\r") ? 1 : 0)
            guard end > source.lineStart(line) + indent.utf8.count else { continue }
            if indent.hasPrefix("\t") { tabs += 1 } else if !indent.isEmpty { spaced += 1 }
            let width = indent.hasPrefix("\t") ? 0 : indent.count
            if width > previous { steps[width - previous, default: 0] += 1 }
            previous = width
        }
        if tabs >= spaced && tabs > 0 { return "\t" }
        let step = steps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 2
        return String(repeating: " ", count: step)
    }

    /// A held resource's remembered hash and its equality follow its changes, made in place
    /// or on a copy that shares its fields.
    @Test("a held resource's cached hash follows its changes")
    func heldResourceHashFollowsChanges() {
        let site = SourceLocation(file: "a.c", line: 3, column: 5)
        let a = HeldResource(id: 1, kind: ResourceKind("page"), handles: [AccessPath(variable: Variable("mem", .local))], handleText: "mem",
                             acquiredBy: "kalloc", site: site, dependsOn: [], contents: [], managed: false)
        let before = a.hashValue
        var copy = a
        #expect(copy == a)
        copy.handles.append(AccessPath(variable: Variable("p", .local)))
        #expect(a.hashValue == before && a.handles.count == 1)
        #expect(copy != a && copy.hashValue != before)
        copy.handles.removeLast()
        #expect(copy == a && copy.hashValue == before)
        // Fields left out of the hash still tell two resources apart.
        var elsewhere = a
        elsewhere.acquiredBy = "kmalloc"
        #expect(elsewhere != a && elsewhere.hashValue == before)
        var inPlace = a
        _ = inPlace.hashValue
        inPlace.callerOwned = true
        #expect(inPlace != a)
        inPlace.callerOwned = false
        #expect(inPlace == a && inPlace.hashValue == before)
    }

    /// Every string of up to five characters over a small alphabet (ASCII, a multi-byte
    /// letter, a CRLF) contains each pattern exactly when Foundation says it does.
    @Test("containsBytes is contains over ASCII patterns")
    func containsBytesAgreesWithContains() {
        let alphabet = ["n", "o", "r", "_", "N", "é", "\r\n"]
        let strings = Self.strings(of: alphabet, upTo: 5)
        let patterns = ["", "n", "no", "nor", "_N", "rn", "oo", "\r", "\n"]
        for s in strings {
            for p in patterns {
                #expect(s.containsBytes(p) == (p.isEmpty || s.utf8.count >= p.utf8.count && Self.naive(Array(s.utf8), Array(p.utf8))),
                        "\(s.debugDescription) \(p.debugDescription)")
                if !p.contains("\r") && !p.contains("\n") && !p.isEmpty {
                    #expect(s.containsBytes(p) == s.contains(p), "\(s.debugDescription) \(p.debugDescription)")
                }
            }
        }
    }

    private static func naive(_ text: [UInt8], _ part: [UInt8]) -> Bool {
        (0...(text.count - part.count)).contains { Array(text[$0..<($0 + part.count)]) == part }
    }
}
