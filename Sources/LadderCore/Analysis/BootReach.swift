/// The functions that run only at boot: the pack's boot entry points (`RulePack.boot`,
/// xv6's `main`), and each function whose every caller is boot code and whose address is
/// never taken. They run once, on a fresh system, before any other code: xv6's `kvmmake`
/// and `userinit` allocate from a free list `kinit` has just filled, so their unchecked
/// `kalloc` and `allocproc` cannot fail, and `unchecked-acquire` says nothing there
/// (`droppingUnchecked`). Every other rule still judges them.
///
/// `Analyzer.analyse` asks it over one whole unit; the driver over every file of a run
/// (`BootCode`), where `main` and `userinit` are in different files. What it cannot see: a
/// caller outside what it is given (a lint of `proc.c` alone finds `userinit`'s only
/// caller missing, and reports it), nor an interrupt or another hart reaching a function
/// through a path no call shows.
public enum BootReach {
    /// `callers[f]`: the functions that call `f`. `defined`: the functions with a body.
    public static func functions<Key: Hashable>(entries: Set<Key>, defined: Set<Key>, callers: [Key: Set<Key>],
                                                addressTaken: Set<Key>) -> Set<Key> {
        var boot = entries.intersection(defined)
        var changed = !boot.isEmpty
        while changed {
            changed = false
            for function in defined where !boot.contains(function) && !addressTaken.contains(function) {
                guard let from = callers[function], !from.isEmpty, from.isSubset(of: boot) else { continue }
                boot.insert(function)
                changed = true
            }
        }
        return boot
    }

    /// The findings without the `unchecked-acquire` ones of boot functions.
    public static func droppingUnchecked(_ findings: [Finding], inBoot isBoot: (String) -> Bool) -> [Finding] {
        findings.filter { $0.rule != .uncheckedAcquire || !isBoot($0.function) }
    }
}
