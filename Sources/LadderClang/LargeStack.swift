#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads with a stack sized for hostile input. libclang's parser and ladder's lowering
/// follow the C syntax tree by recursion, and the IR is walked, compared and freed
/// recursively too, so a deeply nested construct costs stack in proportion. Dispatch's
/// worker threads have 512 KB and libclang's own parse thread 8 MB, which a 20,000-term
/// `&&` chain overflows (clang takes about 650 bytes a term). These reserve `size`: address
/// space, committed only as it is touched.
///
/// What it holds, measured: 20,000-term `&&`, `,` and `+` chains with room to spare (about
/// 13 MB); `FunctionLowering.maximumDepth` levels of lowering; 20,000 nested unary
/// operators, but not 25,000 (clang's parser takes about 5 KB a level). Deeper than that, the
/// thread overflows and its process dies: one file's error with file workers, the whole run
/// in process.
public enum LargeStack {
    public static let size = 128 << 20

    /// `body` on a new thread with a `size` stack, waited for. When no such thread can be
    /// made (address space or thread limits), `body` runs on the caller's thread.
    public static func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { escapable in
            let job = Job(escapable)
            guard let thread = start(job) else { return escapable() }
            pthread_join(thread, nil)
            return job.result!
        }
    }

    /// `body(i)` for each of `0..<count`, each on its own large-stack thread, all at once;
    /// returns when every one has finished.
    public static func runAll(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let jobs = (0..<count).map { i in Job { escapable(i) } }
            var started: [pthread_t] = []
            for job in jobs {
                if let thread = start(job) { started.append(thread) } else { job.run() }
            }
            for thread in started { pthread_join(thread, nil) }
        }
    }

    private final class Job<T>: Runnable {
        let body: () -> T
        var result: T?

        init(_ body: @escaping () -> T) { self.body = body }

        func run() { result = body() }
    }

    private static func start(_ job: any Runnable) -> pthread_t? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, size) == 0 else { return nil }
        let context = Unmanaged.passRetained(Box(job)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attributes, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.job.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            return nil
        }
        #if canImport(Darwin)
        return thread
        #else
        return thread
        #endif
    }

    private final class Box {
        let job: any Runnable
        init(_ job: any Runnable) { self.job = job }
    }
}

private protocol Runnable: AnyObject {
    func run()
}
