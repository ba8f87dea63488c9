/// A strong reference to the kernel stored as a trivially destroyed value.
///
/// Guards need the kernel in `deinit`, and hand their resource on with `discard self`, which
/// Swift allows only for types whose stored properties are trivially destroyed. So a guard
/// keeps the kernel alive by an explicit retain (`init`) and gives it up exactly once, in
/// `deinit` or just before `discard self` (`relinquish()`).
struct KernelReference {
    private let unmanaged: Unmanaged<Kernel>

    init(_ kernel: Kernel) { unmanaged = .passRetained(kernel) }

    var kernel: Kernel { unmanaged.takeUnretainedValue() }

    /// Balances the retain taken in `init`. Call once per guard.
    func relinquish() { unmanaged.release() }
}
