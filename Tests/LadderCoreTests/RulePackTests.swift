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

    @Test("merged packs read either pack's failures: xv6's NULL and Linux's ERR_PTR, in either order")
    func mergedConventionsUnite() throws {
        let xv6 = try BuiltinPacks.load("xv6"), linux = try BuiltinPacks.load("linux")
        #expect(xv6.convention.pointer == [.zero])
        for merged in [xv6.merged(with: linux), linux.merged(with: xv6)] {
            #expect(merged.convention.pointer == [.zero, .negative])
            #expect(merged.convention.signed == [.negative])
            #expect(merged.convention.unsignedValues == [-1])
        }
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

    /// A `callsBack` entry either names the callback's arguments or walks an argument's
    /// children (`ChildWalks`), never both or neither; the walk reads back as written.
    @Test func callsBackEitherArgumentsOrChildren() throws {
        let head = "name: t\nkinds:\n  page: a page\ncallsBack:\n  walk: "
        let walk = try RulePackLoader(file: "t.yaml").parse(head + "{function: 2, childrenOf: 0}\n")
        #expect(walk.callsBack["walk"] == CallBack(function: 2, arguments: [], childrenOf: 0))
        for entry in ["{function: 2, arguments: [0], childrenOf: 0}", "{function: 2}", "{function: 2, childrenOf: -1}"] {
            do {
                _ = try RulePackLoader(file: "t.yaml").parse(head + entry + "\n")
                Issue.record("\(entry) was accepted")
            } catch {
                #expect(error.line == 5, "\(entry)")
            }
        }
    }

    /// A fix template whose hole is not `{ret}`, `{N}` or `{N/DIVISOR:NAME}` is an error at
    /// its line. `{}` once crashed the loader (an empty hole was split and its first part
    /// read); `{-1}` and `{2/-1}` were accepted and crashed ladder when a fix was filled (a
    /// negative index past a bound check of `i < count` alone; `Int64.min / -1`).
    @Test func malformedFixHolesAreErrorsNotCrashes() {
        for hole in ["{}", "{-1}", "{/4096}", "{1/}", "{1/x}", "{1/4096:}", "{x}", "{1/0}", "{2/-1}", "{2/-4096:PGSIZE}"] {
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
        let fields: [(name: String, fragment: (Int) -> String)] = [
            ("takes", { "    takes: [\($0)]" }),
            ("dependsOn", { "    dependsOn: [\($0)]" }),
            ("takesContainer", { "    takesContainer: [\($0)]" }),
            ("needs", { "    resources:\n      - {kind: page, handle: \"{ret}\"}\n      - {kind: other, handle: \"{ret}->x\", needs: [\($0)]}" }),
            ("whenArgumentNonZero", { "    success: nonzero\nrelease:\n  kfree: {kind: page, freesContents: {whenArgumentNonZero: \($0)}}" }),
            ("predicate argument", { "    success: nonzero\npredicates:\n  IS_ERR: {argument: \($0), whenTrue: [negative]}" }),
            ("store value", { "    success: nonzero\nstores:\n  dev_set_drvdata: {value: \($0), at: \"{0}->driver_data\"}" }),
            ("transfer argument", { "    success: nonzero\ntransfer:\n  list_add: {argument: \($0)}" }),
            ("transfer action", { "    success: nonzero\ntransfer:\n  devm_add_action: {argument: 2, action: \($0)}" }),
            ("range bound", { "    range: {start: \"{\($0)}\", length: \"{2}\"}" }),
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
                // The line of the value itself.
                let line = pack(-1).split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("-1") }.map { $0 + 1 }
                #expect(error.line == line && error.message == said, "\(field.name): \(error)")
            }
        }
    }

    /// `needs` names another resource of the same call: one past the call's resources, or
    /// the resource itself, is an error at its line.
    @Test func needsNamesAnotherResourceOfTheCall() throws {
        func pack(_ needs: Int) -> String {
            "name: t\nkinds:\n  proc: a slot\n  spinlock: a lock\nacquire:\n  allocproc:\n    resources:\n"
                + "      - {kind: proc, handle: \"{ret}\", needs: [\(needs)]}\n      - {kind: spinlock, handle: \"&{ret}->lock\"}\n"
        }
        #expect(try RulePackLoader(file: "t.yaml").parse(pack(1)).acquires["allocproc"]?.resources.first?.needs == [1])
        for needs in [0, 2, 9_223_372_036_854_775_807] {
            do {
                _ = try RulePackLoader(file: "t.yaml").parse(pack(needs))
                Issue.record("needs \(needs) was accepted")
            } catch {
                #expect(error.line == 8 && error.message == "needs \(needs): 'allocproc' acquires resources 0 to 1, and this is 0", "\(error)")
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
