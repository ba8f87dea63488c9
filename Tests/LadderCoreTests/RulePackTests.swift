import LadderCore
import Testing

@Suite struct RulePackTests {
    @Test func builtInPacksLoad() throws {
        let xv6 = try BuiltinPacks.load("xv6")
        #expect(xv6.acquires["kalloc"]?.resources.first?.kind == "page")
        #expect(xv6.releases["iunlockput"]?.count == 2)
        #expect(xv6.declaredErrors(of: "sys_open") == [-1])
        #expect(xv6.declaredErrors(of: "uvmalloc") == [0])
    }

    @Test func errorsNameLineAndColumn() {
        let yaml = """
            name: bad
            kinds:
              page: a page
            acquire:
              kalloc: {kind: pgae, handle: "{ret}"}
            """
        do {
            _ = try RulePackLoader(file: "bad.yaml").parse(yaml)
            Issue.record("an unknown kind must be rejected")
        } catch {
            #expect(error.file == "bad.yaml" && error.line == 5)
            #expect(error.message.contains("unknown resource kind 'pgae'"))
        }
    }

    @Test func unknownFieldAndBadYAML() {
        #expect(throws: RulePackError.self) { try RulePackLoader(file: "x.yaml").parse("name: x\nacquier: {}\n") }
        #expect(throws: RulePackError.self) { try RulePackLoader(file: "x.yaml").parse("name: [unclosed\n") }
        #expect(throws: RulePackError.self) { try BuiltinPacks.load("no-such-pack") }
    }

    /// A fix template whose hole is not `{ret}`, `{N}` or `{N/DIVISOR:NAME}` is an error at
    /// its line; `{}` and `{-1}` crashed the loader once (an empty hole was split and its
    /// first part read; a negative index passed the bound check).
    @Test func malformedFixHolesAreErrorsNotCrashes() {
        for hole in ["{}", "{-1}", "{/4096}", "{1/}", "{1/x}", "{1/4096:}", "{x}"] {
            let yaml = "name: t\nkinds:\n  page: a page\nacquire:\n  kalloc: {kind: page, handle: \"{ret}\", fix: \"kfree(\(hole))\"}\n"
            do {
                _ = try RulePackLoader(file: "t.yaml").parse(yaml)
                Issue.record("\(hole) was accepted")
            } catch {
                #expect(error.line == 5 && error.message.contains("holes are {ret}, {N} or {N/DIVISOR:NAME}"), "\(hole): \(error.message)")
            }
        }
        for hole in ["{ret}", "{0}", "{2/4096:PGSIZE}", "{2/4096}"] {
            let yaml = "name: t\nkinds:\n  page: a page\nacquire:\n  kalloc: {kind: page, handle: \"{ret}\", fix: \"kfree(\(hole))\"}\n"
            #expect(throws: Never.self, "\(hole)") { try RulePackLoader(file: "t.yaml").parse(yaml) }
        }
    }

    /// Every field that names a position (an argument, or for `needs` another resource of
    /// the call; a range's `{N}` bound) rejects a negative one at its line: each crashed the walk at the first call
    /// it named, `Index out of range` behind a bound check of `i < count` alone.
    @Test func negativePositionsAreErrorsNotCrashes() throws {
        let fields: [(name: String, line: Int, fragment: (Int) -> String)] = [
            ("takes", 8, { "    takes: [\($0)]" }),
            ("dependsOn", 8, { "    dependsOn: [\($0)]" }),
            ("takesContainer", 8, { "    takesContainer: [\($0)]" }),
            ("needs", 8, { "    resources:\n      - {kind: page, handle: \"{ret}\"}\n      - {kind: other, handle: \"{ret}->x\", needs: [\($0)]}" }),
            ("whenArgumentNonZero", 8, { "    success: nonzero\nrelease:\n  kfree: {kind: page, freesContents: {whenArgumentNonZero: \($0)}}" }),
            ("predicate argument", 8, { "    success: nonzero\npredicates:\n  IS_ERR: {argument: \($0), whenTrue: [negative]}" }),
            ("store value", 8, { "    success: nonzero\nstores:\n  dev_set_drvdata: {value: \($0), at: \"{0}->driver_data\"}" }),
            ("transfer argument", 8, { "    success: nonzero\ntransfer:\n  list_add: {argument: \($0)}" }),
            ("transfer action", 8, { "    success: nonzero\ntransfer:\n  devm_add_action: {argument: 2, action: \($0)}" }),
            ("range bound", 8, { "    range: {start: \"{\($0)}\", length: \"{2}\"}" }),
        ]
        for field in fields {
            func pack(_ position: Int) -> String {
                "name: t\nkinds:\n  page: a page\n  other: another\nacquire:\n  kalloc:\n    kind: page\n" + field.fragment(position) + "\n"
            }
            #expect(throws: Never.self, "\(field.name)") { try RulePackLoader(file: "t.yaml").parse(pack(0)) }
            do {
                _ = try RulePackLoader(file: "t.yaml").parse(pack(-1))
                Issue.record("\(field.name): -1 was accepted")
            } catch {
                let said = field.name == "range bound" ? "a range bound is {N} (an argument) or an integer" : "expected a position (0 or more), not -1"
                #expect(error.line >= field.line && error.message == said, "\(field.name): \(error)")
            }
        }
    }

    /// The loader has no implicit types (`RulePackLoader.resolver`): truth values are read
    /// where a field wants one, as they were read before (checked against session 25's
    /// build: any case of true, yes, on and their negatives; not `y`, `1` or a quoted one).
    @Test func truthValuesAsYAMLSpellsThem() throws {
        func release(_ value: String) throws -> ReleaseRule? {
            let yaml = """
                name: t
                kinds:
                  heap: memory
                release:
                  free: {kind: heap, nullSafe: \(value)}
                """
            return try RulePackLoader(file: "t.yaml").parse(yaml).releases["free"]?.first
        }
        for spelling in ["true", "True", "TRUE", "tRUE", "yes", "Yes", "YES", "yEs", "on", "On", "ON", "oN"] {
            #expect(try release(spelling)?.nullSafe == true, "\(spelling)")
        }
        for spelling in ["false", "False", "FALSE", "fAlSe", "no", "No", "NO", "nO", "off", "Off", "OFF", "oFF"] {
            #expect(try release(spelling)?.nullSafe == false, "\(spelling)")
        }
        #expect(try release("!!bool \"true\"")?.nullSafe == true)
        for text in ["\"true\"", "'yes'", "1", "0", "y", "n", "~", "truely"] {
            #expect(throws: RulePackError.self, "\(text)") { try release(text) }
        }
        // A field left out has its default template, and freesContents takes a truth value.
        let pack = try RulePackLoader(file: "t.yaml").parse("""
            name: t
            kinds:
              heap: memory
            acquire:
              alloc: {kind: heap}
            release:
              free: {kind: heap, freesContents: no}
            """)
        #expect(pack.acquires["alloc"]?.resources.first?.handle == (try PathTemplate(parsing: "{ret}")))
        #expect(pack.releases["free"]?.first?.handle == (try PathTemplate(parsing: "{0}")))
        #expect(pack.releases["free"]?.first?.freesContents == .never)
    }

    @Test func templatesFillFromCalls() {
        let t = HandleTemplate("uvmunmap({0}, {1}, {2/4096:PGSIZE}, 0)")
        let args = [Expr.variable(Variable("pt", .local)), Expr(.constant(0x3ffffff000), text: "TRAMPOLINE"),
                    Expr(.constant(4096), text: "PGSIZE")]
        #expect(t.fill(result: nil, arguments: args, render: \.text) == "uvmunmap(pt, TRAMPOLINE, 1, 0)")
    }
}
