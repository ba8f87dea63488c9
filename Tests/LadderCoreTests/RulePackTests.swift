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
