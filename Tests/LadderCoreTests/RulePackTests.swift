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

    @Test func templatesFillFromCalls() {
        let t = HandleTemplate("uvmunmap({0}, {1}, {2/4096:PGSIZE}, 0)")
        let args = [Expr.variable(Variable("pt", .local)), Expr(.constant(0x3ffffff000), text: "TRAMPOLINE"),
                    Expr(.constant(4096), text: "PGSIZE")]
        #expect(t.fill(result: nil, arguments: args, render: \.text) == "uvmunmap(pt, TRAMPOLINE, 1, 0)")
    }
}
