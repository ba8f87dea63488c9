// gt_runtime.h -- the ground-truth runtime's interface for environments and harnesses.
//
// C kernel code runs on the host inside a shared library that `ladder groundtruth` builds,
// loads and drives. The runtime (gt_runtime.c) supplies the primitives the kernel calls
// (kalloc, kfree, memset, memmove, panic, spinlocks, sleep-locks) and forwards frame
// allocation, fault injection and events to the Swift side, which owns the Sv39 model.
// Environments (gt_env.c, gt_*_support.c) model the rest of the kernel (log, inodes,
// files, buffers, processes) on top of the holdings table below. Harnesses
// (fixtures/groundtruth/*.c) declare scenarios with GT_SCENARIO.
//
// This header uses no system header and no kernel header, so every translation unit of a
// ground-truth library can include it whatever types its kernel headers define.

#ifndef LADDER_GT_RUNTIME_H
#define LADDER_GT_RUNTIME_H

typedef unsigned long long gt_u64;
typedef long long gt_i64;

// ---- events sent to the Swift side ------------------------------------------------
enum {
  GT_EV_ACQUIRE = 1,      // a resource was acquired (kind, name, handle, sub)
  GT_EV_RELEASE = 2,      // a resource was released
  GT_EV_PROBLEM = 3,      // code = GT_P_*
  GT_EV_PANIC = 4,        // detail = the panic string
  GT_EV_RETURN = 5,       // handle = the return value, code = 1 when it is an error return
  GT_EV_FRAME_ALLOC = 6,  // handle = the frame kalloc returned
  GT_EV_FRAME_FREE = 7,   // handle = the frame kfree gave back
  GT_EV_PHASE = 8,        // code = GT_PHASE_*
  GT_EV_INJECTED = 9,     // detail = the operation the plan failed ("kalloc" for an allocation)
  GT_EV_NAME = 10,        // handle is called name from now on
  GT_EV_COUNT = 11,       // detail = a failure point was counted: "kalloc" or the operation
  GT_EV_CRASH = 12,       // code = the signal, handle = the faulting address, sub = the phase
  GT_EV_BLOCK = 13,       // detail = the call that would block forever on one hart
  GT_EV_END = 14,         // code = GT_EXIT_*: the run is over
};

// How the child that ran a scenario exits.
enum {
  GT_EXIT_RAN = 0,        // the scenario ran to its end
  GT_EXIT_PANIC = 1,      // the kernel panicked (GT_EV_PANIC says why)
  GT_EXIT_LOST = 2,       // the run could not start or report
  GT_EXIT_CRASH = 3,      // the host faulted (GT_EV_CRASH says where)
  GT_EXIT_BLOCKED = 4,    // a call would block forever (GT_EV_BLOCK says which)
};

// Problems: what really went wrong, judged while the code runs.
enum {
  GT_P_DOUBLE_RELEASE = 1,   // released twice: acquired in this run, released, released again
  GT_P_RELEASE_UNHELD = 2,   // released while not held (never acquired here, or a failed acquire)
  GT_P_ORDER = 3,            // released while something that depends on it is still held
  GT_P_HELD_AT_ERROR = 4,    // still held when the function returned its error value
  GT_P_LEAK = 5,             // still held after the caller's teardown
  GT_P_NULL_DEREF = 6,       // a null pointer reached memset/memmove/a stub
  GT_P_DEADLOCK = 7,         // acquired again while held (xv6 panics or hangs)
  GT_P_CRASH = 8,            // the host faulted (SIGSEGV/SIGBUS): a wild or null pointer
  GT_P_HELD_AT_RETURN = 9,   // a lock taken in the call still held when it returned success
};

enum { GT_PHASE_SETUP = 0, GT_PHASE_CALL = 1, GT_PHASE_TEARDOWN = 2 };

// How a scenario's call reports failure.
enum {
  GT_RET_VOID = 0,      // never an error exit
  GT_RET_NEGATIVE = 1,  // int: < 0 is an error (xv6's -1)
  GT_RET_ZERO = 2,      // pointer or size: 0 is an error
  GT_RET_MINUS1 = 3,    // uint64 system call: (uint64)-1 is an error
};

// ---- the runtime -------------------------------------------------------------------
void gt_event(int type, int code, const char *kind, const char *name, const void *handle,
              gt_u64 sub, const char *detail);
void gt_problem(int problem, const char *kind, const char *name, const void *handle, gt_u64 sub,
                const char *detail);
__attribute__((noreturn)) void gt_panic(const char *message);
// Events of boot work are not sent while quiet (gt_quiet(1) … gt_quiet(0)).
void gt_quiet(int on);
// Ends the run as 'would block' (sleep with its condition false, a context switch).
__attribute__((noreturn)) void gt_would_block(const char *what);

// Fault injection: counts one call of op inside the call window and says whether the plan
// fails it. Outside the window nothing fails and nothing is counted.
int gt_should_fail(const char *op);

// Physical memory, as the Swift model has it.
int gt_in_memory(gt_u64 pa, gt_u64 length);
int gt_frame_live(gt_u64 pa);

// Names for addresses (locks, inodes, processes): used in events and reports.
void gt_set_name(const void *handle, const char *name);
const char *gt_name(const void *handle, const char *fallback);

// Holdings: a count per (kind, handle, sub). gt_hold counts an acquisition; gt_unhold checks
// that one is held, reports a double or unheld release otherwise and panics with
// panic_message; gt_held says how many are held.
void gt_hold(const char *kind, const void *handle, gt_u64 sub, const char *name);
void gt_unhold(const char *kind, const void *handle, gt_u64 sub, const char *name,
               const char *panic_message);
int gt_held(const char *kind, const void *handle, gt_u64 sub);
// Releases one if held (with its event) and returns 1; returns 0 and reports nothing if not.
int gt_release_if_held(const char *kind, const void *handle, gt_u64 sub, const char *name);
// Reports a double or unheld release of (kind, handle, sub), without panicking.
void gt_report_unheld(const char *kind, const void *handle, gt_u64 sub, const char *name);

// Page tables: roots are registered when created so that kfree can tell a frame still
// mapped by a user leaf (a release-order problem), and teardown can destroy what is left.
void gt_pt_register(void *root);
void gt_pt_unregister(void *root);
int gt_pt_is_root(const void *root);
// Nonzero when a user (PTE_U) leaf in a registered, live table maps pa; *root and *va say where.
int gt_pt_user_mapping(gt_u64 pa, void **root, gt_u64 *va);
// uvmunmap with do_free is about to free [va, va + npages*PGSIZE) of root: exempt from the check.
void gt_pt_unmapping(void *root, gt_u64 va, gt_u64 npages);
// Teardown: unmap every leaf (freeing live user pages), free the tree; no panics.
void gt_pt_destroy(void *root);
// Teardown: destroy every registered live table.
void gt_pt_destroy_all(void);

// ---- scenarios ---------------------------------------------------------------------
struct gt_scenario {
  const char *function;   // the function under test
  const char *name;       // the variant
  const char *setup;      // what exists before the call, in words
  const char *call;       // the call as C writes it
  int returns;            // GT_RET_*
  void (*body)(void);     // setup; GT_CALL(...); teardown
};
void gt_register(const struct gt_scenario *scenario);

// The call window: failure points are counted, and resources judged, only inside it.
void gt_call_begin(void);
gt_i64 gt_call_end(gt_i64 value);
// After GT_CALL: did the call take an error exit?
int gt_failed(void);

#define GT_WEAK __attribute__((weak))

#define GT_CALL(expr) (gt_call_begin(), gt_call_end((gt_i64)(expr)))

#define GT_CONCAT2(a, b) a##b
#define GT_CONCAT(a, b) GT_CONCAT2(a, b)

// GT_SCENARIO(function, "variant", "setup in words", "the call", GT_RET_...) { body }
#define GT_SCENARIO(fn, variant, setup_text, call_text, ret)                              \
  static void GT_CONCAT(gt_body_, __LINE__)(void);                                         \
  static const struct gt_scenario GT_CONCAT(gt_desc_, __LINE__) = {                        \
    #fn, variant, setup_text, call_text, ret, GT_CONCAT(gt_body_, __LINE__) };              \
  __attribute__((constructor)) static void GT_CONCAT(gt_reg_, __LINE__)(void) {            \
    gt_register(&GT_CONCAT(gt_desc_, __LINE__));                                           \
  }                                                                                        \
  static void GT_CONCAT(gt_body_, __LINE__)(void)

// A function of the tree that no scenario runs, and why (GT_NOT_HOSTED(fn, "why")): listed
// in the report rather than silently left out.
struct gt_not_hosted {
  const char *function;
  const char *reason;
};
void gt_register_not_hosted(const struct gt_not_hosted *entry);

#define GT_NOT_HOSTED(fn, why)                                                             \
  static const struct gt_not_hosted GT_CONCAT(gt_nh_, __LINE__) = {#fn, why};              \
  __attribute__((constructor)) static void GT_CONCAT(gt_nhr_, __LINE__)(void) {            \
    gt_register_not_hosted(&GT_CONCAT(gt_nh_, __LINE__));                                  \
  }

// Environment reset hooks: each environment translation unit registers one, run before
// every scenario so that each run starts from a clean kernel.
void gt_register_reset(void (*reset)(void));
// Ownership: at an error exit, a resource stored where the caller's objects keep it
// (p->pagetable, p->cwd, p->ofile[fd]) was handed on, not leaked. Environments register a
// hook that names such resources with gt_owned.
void gt_register_owners(void (*owners)(void));
void gt_owned(const char *kind, const void *handle, gt_u64 sub);

// printf-free formatting for names: "prefix[index]suffix" into a static pool.
const char *gt_fmt_index(const char *prefix, int index, const char *suffix);
const char *gt_fmt_hex(const char *prefix, gt_u64 value);

#endif // LADDER_GT_RUNTIME_H
