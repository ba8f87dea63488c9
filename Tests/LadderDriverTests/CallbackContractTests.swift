import LadderCore
import LadderDriver
import Testing

/// A "returns holding" contract read off a function's shape is settled over the whole run
/// (`ContractSettlement`, `CallerAgreement`): xv6's system calls are defined in one file and
/// called only through `syscalls[]` in another, so a lock one returns holding has no caller
/// to take it over, while a lock helper whose caller elsewhere releases it keeps its contract.
@Suite struct CallbackContractTests {
    static let uptime = """
        #include "include/xv6.h"
        uint64
        sys_uptime(void)
        {
          uint xticks;
          acquire(&tickslock);
          xticks = ticks;
          return xticks;
        }

        """

    static let table = """
        #include "include/xv6.h"
        uint64 sys_uptime(void);
        static uint64 (*syscalls[])(void) = {
        [14] = sys_uptime,
        };
        uint64
        syscall_dispatch(int num)
        {
          return syscalls[num]();
        }

        """

    @Test("a system call reached only through another file's table is judged at its returns")
    func callbackInAnotherFilesTable() throws {
        let scratch = try Scratch()
        let sysproc = try scratch.write(Self.uptime, to: "sysproc.c")
        try scratch.write(Self.table, to: "syscall.c")
        let findings = try LintDriver().run(.files([scratch.root])).report.findings
        #expect(findings.map { "\($0.location.line) \($0.rule.rawValue)" } == ["8 missing-release"],
                "\(findings.map { "\($0.location): \($0.message)" })")
        #expect(findings.first?.location.file == sysproc)
    }

    @Test("without the table's file nothing shows the function is a callback: its callers may be anywhere")
    func callbackAloneKeepsItsContract() throws {
        let scratch = try Scratch()
        try scratch.write(Self.uptime, to: "sysproc.c")
        let findings = try LintDriver().run(.files([scratch.path("sysproc.c")])).report.findings
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    @Test("a lock helper called by name from another file that releases the lock keeps its contract")
    func helperWithCallerElsewhere() throws {
        let scratch = try Scratch()
        try scratch.write("""
            #include "include/xv6.h"
            void
            lock_ticks(void)
            {
              acquire(&tickslock);
            }

            """, to: "a.c")
        try scratch.write("""
            #include "include/xv6.h"
            void lock_ticks(void);
            uint
            read_ticks(void)
            {
              uint t;
              lock_ticks();
              t = ticks;
              release(&tickslock);
              return t;
            }

            """, to: "b.c")
        let findings = try LintDriver().run(.files([scratch.root])).report.findings
        #expect(findings.isEmpty, "\(findings.map { "\($0.location): \($0.message)" })")
    }
}
