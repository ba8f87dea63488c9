/// The exceptions translation can raise, with their `scause` codes (§4.1.8, Table
/// "Supervisor cause register (scause) values after trap").
public enum TrapCause: Int, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case instructionAccessFault = 1
    case loadAccessFault = 5
    case storeAccessFault = 7
    case instructionPageFault = 12
    case loadPageFault = 13
    case storePageFault = 15

    /// "A page-fault exception corresponding to the original access type" (§4.3.2).
    public static func pageFault(for access: AccessType) -> TrapCause {
        switch access {
        case .fetch: .instructionPageFault
        case .load: .loadPageFault
        case .store: .storePageFault
        }
    }

    /// "An access-fault exception corresponding to the original access type" (§4.3.2 step 2).
    public static func accessFault(for access: AccessType) -> TrapCause {
        switch access {
        case .fetch: .instructionAccessFault
        case .load: .loadAccessFault
        case .store: .storeAccessFault
        }
    }

    public var isPageFault: Bool { rawValue >= 12 }

    public var description: String {
        switch self {
        case .instructionAccessFault: "instruction access fault (1)"
        case .loadAccessFault: "load access fault (5)"
        case .storeAccessFault: "store/AMO access fault (7)"
        case .instructionPageFault: "instruction page fault (12)"
        case .loadPageFault: "load page fault (13)"
        case .storePageFault: "store/AMO page fault (15)"
        }
    }
}
