import Sv39

/// Why a modelled kernel function failed: the cases where xv6 returns 0 or -1.
public enum KernelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `kalloc()` returned 0 (memory exhausted, or the fault plan failed that allocation).
    case outOfMemory(site: String)
    /// The fault plan failed this call of a named operation.
    case injected(operation: String)
    /// `copyin`/`copyout` met an address the user may not access.
    case badUserAddress(TranslationFault)
    /// `allocproc` found no UNUSED slot.
    case noFreeProcess
    /// `exec` rejected the program (xv6's `goto bad` before anything is loaded).
    case invalidProgram(String)
    /// `exec` was given more than MAXARG arguments, or more than fit in the stack page.
    case argumentsDoNotFit
    /// The operation hit a condition xv6 panics on; also recorded in `Kernel.panics`.
    case panic(KernelPanic)

    public var description: String {
        switch self {
        case .outOfMemory(let site): "kalloc() returned 0 in \(site)"
        case .injected(let operation): "\(operation)() failed (injected)"
        case .badUserAddress(let fault): "bad user address: \(fault)"
        case .noFreeProcess: "no UNUSED proc slot"
        case .invalidProgram(let why): "invalid program: \(why)"
        case .argumentsDoNotFit: "arguments do not fit"
        case .panic(let panic): panic.description
        }
    }
}

/// Why a kernel could not boot.
public enum KernelBootError: Error, Hashable, Sendable {
    case memory(PhysicalMemoryError)
    /// Not even one frame for the trampoline.
    case noFrameForTrampoline
}
