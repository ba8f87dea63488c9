import LadderClang
import LadderCore
import Testing

/// What a helper's summary says it does with a caller's pointer, read off the fixtures'
/// real C: callers rely on the return values it names to know on which branch the buffer
/// is still theirs to free.
@Suite struct ParameterHandOffTests {
    func summaries(_ relative: String) throws -> SummaryTable {
        let path = Paths.fixtures(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard case .success(let loaded) = Frontend().load(CompileCommand(file: path)) else {
            Issue.record("\(relative) does not load")
            return SummaryTable()
        }
        return Analyzer(pack: try BuiltinPacks.load(Expectation.rules(in: text))).analyse(loaded.unit).summaries
    }

    @Test("a helper that stores its argument in a ring slot only when it returns 0 hands it on on 0, and so does the helper returning its result")
    func storedOnSuccess() throws {
        let table = try summaries("checks/missing-release/ok_exit_buffer_queued_by_nested_helpers.c")
        #expect(table["demo_post"]?.transfers == [TransferRule(call: "demo_post", argument: 0, success: .zero)])
        #expect(table["demo_send"]?.transfers == [TransferRule(call: "demo_send", argument: 1, success: .zero)])
    }

    @Test("a helper that frees its argument before returning an error hands it on on negative returns only")
    func freedOnFailure() throws {
        let table = try summaries("checks/missing-release/ok_callee_frees_argument_on_failure.c")
        #expect(table["demo_ctx_up"]?.transfers == [TransferRule(call: "demo_ctx_up", argument: 1, success: .negative)])
    }

    @Test("a request filled on the helper's own stack hands nothing on")
    func stackStructKeepsNothing() throws {
        let table = try summaries("checks/missing-release/exit_stack_struct_is_no_hand_off.c")
        #expect(table["demo_exec"]?.transfers ?? [] == [])
    }

    @Test("device_initialize, device_register and auxiliary_device_init give the enclosing object to the device reference")
    func packTakesContainers() throws {
        let pack = try BuiltinPacks.load("linux")
        for call in ["device_initialize", "device_register", "auxiliary_device_init"] {
            #expect(pack.acquires[call]?.takesContainer == [0], "\(call)")
        }
        #expect(pack.releases["auxiliary_device_uninit"] != nil)
    }
}
