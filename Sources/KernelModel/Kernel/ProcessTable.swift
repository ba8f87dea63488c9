/// The state of a proc slot that matters to allocation (`proc.h`'s `enum procstate`, cut
/// down to the two states the modelled paths move between).
public enum ProcessState: String, Hashable, Sendable, Codable {
    case unused
    case used
}

/// xv6's `proc[NPROC]` table, without the parts the modelled paths do not touch: each slot's
/// state, pid and whether its `p->lock` is held. The memory a process owns is held by the
/// `Proc` value, whose guards give it back.
struct ProcessTable {
    struct Slot {
        var state = ProcessState.unused
        var pid = 0
        var locked = false
    }

    var slots: [Slot]
    /// xv6's `nextpid`, starting at 1.
    var nextPid = 1

    init(count: Int) {
        slots = Array(repeating: Slot(), count: count)
    }
}

extension Kernel {
    public var processSlotCount: Int { processTable.slots.count }

    public func processState(ofSlot slot: Int) -> ProcessState { processTable.slots[slot].state }

    public func isLocked(slot: Int) -> Bool { processTable.slots[slot].locked }

    public func pid(ofSlot slot: Int) -> Int { processTable.slots[slot].pid }

    /// xv6's `allocpid()` (its `pid_lock` is not modelled: no other hart competes).
    func allocpid() -> Int {
        defer { processTable.nextPid += 1 }
        return processTable.nextPid
    }
}
