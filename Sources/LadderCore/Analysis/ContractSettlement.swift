/// Settles the "returns holding" contracts functions infer from their shape (`HeldForCaller`):
/// the one place that decides which held-back leaks are reported, for `Analyzer.analyse`
/// over a whole unit and for the two-phase driver over a whole database alike, so that the
/// two cannot disagree on what a file shows.
///
/// Who could take the lock off the function's hands decides:
/// - callers in view that call it by name: the contract stands if one of them agrees
///   (`ContractUse.made`), and its held-back leaks are reported if none does;
/// - nothing in view calls it, but its address is taken (`.reg_access = demo_reg_access`,
///   xv6's `syscalls[]`): a callback. What calls it through the pointer is generic code that
///   releases nothing of the function's, so returning with the lock held is a leak. A kind
///   its partner callback drops (`PairedCallbacks`: `.lock`/`.unlock`) was never held back.
///   One that some error return does not hold (`PendingContract.failsWithout`: a `start`
///   that gets the runtime-PM reference and fails without it) is shaped like an acquisition
///   the framework asked for, and stands, unless the pack says no one keeps its kind
///   (`RulePack.neverKept`: xv6's `sys_sleep` holding tickslock at its success return while
///   its killed return drops it is a leak);
/// - a kind someone may keep that another function of the file drops and never takes
///   (`PendingContract.keptForLater`: a DMA completion's put of what `issue_pending` got, a
///   sensor's `stop_streaming`) is kept for that call when no caller in view confirms the
///   contract, whether callers go on holding it or only a pointer calls the function;
/// - nothing in view calls it or takes its address: its callers, if any, are in files the
///   run does not show. For precision the contract stands, except a partial one
///   (`HeldForCaller.partial`: held at some returns only by a function that never drops a
///   lock no one keeps), which only a releasing caller in view confirms.
///
/// Wrong (a callback whose unlock was forgotten; nothing hands its mutex back):
///
///     static int demo_reg_access(struct demo_state *st, …)
///     {
///         mutex_lock(&st->lock);
///         …
///         return 0;
///     }
///     const struct demo_reg_ops demo_reg_ops = { .reg_access = demo_reg_access };
///
/// Right: `mutex_unlock(&st->lock)` before each return.
///
/// Limits: a callback whose forgotten release sits on its success path while an error path
/// releases has the acquisition's shape and is not reported when the pack lets its kind be
/// kept (Linux's runtime-PM references and semaphores are not in `neverKept`; its mutexes,
/// spinlocks, rwlocks and RCU are). A callback also called by name somewhere in view counts as called, and its
/// callers decide. A function whose address is taken only in a file the run does not show
/// counts as having its callers out of view. A caller whose call names the lock in no way
/// the contract can be read in (`ContractUse.made` skips it) still counts as a caller in view.
public enum ContractSettlement {
    /// Who can consume a function's contract.
    public enum Callers: Sendable, Hashable {
        /// Called by name in view: the uses decide.
        case inView
        /// Never called by name in view, and its address is taken there.
        case callbackOnly
        /// Neither called nor referred to in view.
        case outOfView

        public init(calledInView: Bool, addressTaken: Bool) {
            if calledInView {
                self = .inView
            } else {
                self = addressTaken ? .callbackOnly : .outOfView
            }
        }
    }

    /// The held-back leaks of one function that stand as findings, given who can call it and
    /// every use callers in view make of it.
    ///
    /// `partners` are the release rules of the summaries of the other functions in the
    /// function's file: a lock helper whose callers go on holding the lock stands when one of
    /// them releases that very lock, by kind and in the same terms (`&{0}->mp2_dev->c2p_lock`),
    /// an unlock helper the completion handler calls (`partnerReleases`). `actions`: the
    /// managed actions the file registers (`ManagedActions`), which may undo what
    /// `function` leaves behind. `passesOn`: whether a caller in the function's file is a
    /// static function others there call by name (`DisagreeingCallers`).
    public static func findings(_ pending: [PendingContract], of function: String = "", callers: Callers,
                                uses: [(caller: String, use: ContractUse)],
                                partners: [ReleaseRule] = [], actions: ManagedActions? = nil,
                                passesOn: (String) -> Bool = { _ in false }) -> [Finding] {
        var found: [Finding] = []
        var disagreeing = DisagreeingCallers()
        for entry in pending {
            if actions?.cover(entry.contract, leftBy: function) == true { continue }
            let consumers = uses.filter { $0.use.contract == entry.contract }
            let why: String
            if !consumers.isEmpty {
                // A lock helper needs one caller that releases; what a helper leaves in its
                // caller's objects on failure needs them all (`HandedToCaller`): a caller that
                // passes the failure up without releasing (`msdc_runtime_resume`) is told so at
                // its call when another caller releases (`DisagreeingCallers`), and leaves the
                // helper's error return a leak when none does.
                if entry.contract.callersRelease {
                    guard consumers.contains(where: { !$0.use.agrees }) else { continue }
                    if disagreeing.take(entry, callee: function, consumers: consumers, passesOn: passesOn) { continue }
                } else {
                    guard !consumers.contains(where: \.use.agrees) else { continue }
                }
                guard !partnerReleases(entry.contract, partners), !entry.keptForLater else { continue }
                let names = Set(consumers.filter { !$0.use.agrees }.map(\.caller)).sorted()
                let list = names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
                    + (names.count > 3 ? " and \(names.count - 3) more" : "")
                why = entry.contract.callersRelease
                    ? "no caller releases it after the call (\(list)), so the failure leaves it held"
                    : "no caller releases it after the call (\(list)), so returning with it held is no lock-helper contract"
            } else if entry.contract.callersRelease {
                // What the function put into its caller's object itself waits for a caller
                // in view to say whose it is on failure; what a helper left there is judged
                // as the function alone shows it.
                if entry.contract.inCallerObject && callers == .outOfView { continue }
                found += entry.findings
                continue
            } else if callers == .callbackOnly && (!entry.failsWithout || entry.contract.partial) && !entry.keptForLater {
                why = "nothing calls this function by name, only through a pointer to it, so no caller takes the lock over: returning with it held is no lock-helper contract"
            } else if entry.contract.partial {
                // Held on some returns only and never dropped: with no caller in view to
                // confirm a helper, the shape is that of a forgotten unlock.
                why = "the function never releases it and holds it at only some of its returns, and no caller in view releases it after the call: returning with it held is no lock-helper contract"
            } else {
                continue
            }
            for var finding in entry.findings {
                let exit = finding.path.last?.location ?? finding.location
                finding.path.append(PathStep(location: exit, message: why))
                found.append(finding)
            }
        }
        return found + disagreeing.findings
    }

    /// Whether a lock contract has an undo partner: another function of the file whose
    /// summary releases the same kind at the same place in its caller's terms, a lock it never
    /// took (a summary leaves out what a function drops and takes back, so `foo_stop` that
    /// locks and unlocks is none). That is the shape of a lock helper and its unlock helper
    /// (`amd_mp2_c2p_mutex_lock`/`_unlock`, `sdhci_pci_runtime_pm_forbid`/`_allow`): the
    /// release happens where the other half is called, a completion callback or a timeout,
    /// not in the helper's callers. Locks only, and not a lock inside the returned object,
    /// which no parameter of another function names; and not a partial contract (held at some
    /// returns only, never dropped): that is the shape of a forgotten unlock, and xv6's
    /// `iunlock` beside an `iput` that forgot its `releasesleep` is no partner to it. Such a
    /// helper's callers still confirm it by releasing after the call. What it cannot see: whether the partner
    /// is called on the paths that follow; a forgotten unlock in a helper that has an unlock
    /// helper beside it is not reported.
    static func partnerReleases(_ contract: HeldForCaller, _ partners: [ReleaseRule]) -> Bool {
        guard !contract.callersRelease, !contract.partial, contract.lock.root != .result else { return false }
        return partners.contains { $0.kinds.contains(contract.kind) && $0.handle == contract.lock }
    }

    /// The functions of `unit` some other function of it calls by name.
    public static func calledByName(in unit: TranslationUnit) -> Set<String> {
        var called: Set<String> = []
        for function in unit.functions {
            for block in function.blocks {
                for case .call(let call) in block.statements {
                    if let callee = call.callee, callee != function.name { called.insert(callee) }
                }
            }
        }
        return called
    }
}
