// gt_runtime.c -- the primitives C kernel code calls, forwarded to the Swift Sv39 model.
//
// Every run happens in a child process of its own (`ladder groundtruth` forks one per
// scenario and failure point): nothing the kernel code does, a wild write included, can
// reach the run that forked it or any other. The Swift side installs an array of slots:
//   [0] context  [1] kalloc  [2] kfree  [3] should_fail  [4] is_live  [5] window
//   [6] the event pipe's file descriptor  [7] memory base  [8] memory size
// and calls ladder_gt_run(slots, index) in the child. Events go down the pipe as they
// happen, so a run that faults or hangs has told what it did up to then.
//
// panic() unwinds back to ladder_gt_run with longjmp, after sending the message; so does a
// call that would block (one hart: nothing else would ever wake it). A fault (SIGSEGV,
// SIGBUS, SIGILL, SIGFPE) sends where it happened and ends the child.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>
#include "gt_runtime.h"

#define GT_PGSIZE 4096ULL
#define GT_PTE_V 1ULL
#define GT_PTE_RWX 0xEULL
#define GT_PTE_U 0x10ULL
#define GT_PTE2PA(pte) (((pte) >> 10) << 12)

typedef gt_u64 (*gt_kalloc_fn)(void *ctx);
typedef int (*gt_kfree_fn)(void *ctx, gt_u64 pa);
typedef int (*gt_should_fail_fn)(void *ctx, const char *op);
typedef int (*gt_is_live_fn)(void *ctx, gt_u64 pa);
typedef void (*gt_window_fn)(void *ctx, int begin);

static void **gt_slots;
static sigjmp_buf gt_jump;
static void *gt_stop_frame;
static int gt_phase;
static int gt_in_window;
static int gt_call_failed_flag;
static const struct gt_scenario *gt_current;

#define GT_CTX (gt_slots[0])

// ---- scenarios and environment hooks -------------------------------------------------

#define GT_MAX_SCENARIOS 512
static const struct gt_scenario *gt_scenarios[GT_MAX_SCENARIOS];
static int gt_scenario_count;

void
gt_register(const struct gt_scenario *scenario)
{
  if(gt_scenario_count < GT_MAX_SCENARIOS)
    gt_scenarios[gt_scenario_count++] = scenario;
}

#define GT_MAX_NOT_HOSTED 128
static const struct gt_not_hosted *gt_not_hosted[GT_MAX_NOT_HOSTED];
static int gt_not_hosted_count;

void
gt_register_not_hosted(const struct gt_not_hosted *entry)
{
  if(gt_not_hosted_count < GT_MAX_NOT_HOSTED)
    gt_not_hosted[gt_not_hosted_count++] = entry;
}

int
ladder_gt_not_hosted_count(void)
{
  return gt_not_hosted_count;
}

const char *
ladder_gt_not_hosted_field(int index, int field)
{
  if(index < 0 || index >= gt_not_hosted_count)
    return "";
  return field == 0 ? gt_not_hosted[index]->function : gt_not_hosted[index]->reason;
}

#define GT_MAX_HOOKS 16
static void (*gt_resets[GT_MAX_HOOKS])(void);
static int gt_reset_count;

void
gt_register_reset(void (*reset)(void))
{
  if(gt_reset_count < GT_MAX_HOOKS)
    gt_resets[gt_reset_count++] = reset;
}

static void (*gt_owner_hooks[GT_MAX_HOOKS])(void);
static int gt_owner_count;

void
gt_register_owners(void (*owners)(void))
{
  if(gt_owner_count < GT_MAX_HOOKS)
    gt_owner_hooks[gt_owner_count++] = owners;
}

// ---- a string pool for names (reset every run) -----------------------------------------

static char gt_pool[1 << 16];
static unsigned gt_pool_used;

static char *
gt_pool_take(unsigned n)
{
  if(gt_pool_used + n > sizeof(gt_pool))
    gt_pool_used = 0;
  char *s = gt_pool + gt_pool_used;
  gt_pool_used += n;
  return s;
}

static unsigned
gt_strlen(const char *s)
{
  unsigned n = 0;
  while(s && s[n])
    n++;
  return n;
}

static int
gt_streq(const char *a, const char *b)
{
  if(a == b)
    return 1;
  if(!a || !b)
    return 0;
  while(*a && *a == *b){
    a++;
    b++;
  }
  return *a == *b;
}

static char *
gt_append(char *out, const char *s)
{
  while(s && *s)
    *out++ = *s++;
  return out;
}

const char *
gt_fmt_index(const char *prefix, int index, const char *suffix)
{
  char digits[16];
  int n = 0;
  unsigned v = index < 0 ? (unsigned)-index : (unsigned)index;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while(v && n < 15);
  char *s = gt_pool_take(gt_strlen(prefix) + gt_strlen(suffix) + 20);
  char *p = gt_append(s, prefix);
  *p++ = '[';
  if(index < 0)
    *p++ = '-';
  while(n > 0)
    *p++ = digits[--n];
  *p++ = ']';
  p = gt_append(p, suffix);
  *p = 0;
  return s;
}

const char *
gt_fmt_hex(const char *prefix, gt_u64 value)
{
  char digits[17];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value & 15];
    value >>= 4;
  } while(value && n < 16);
  char *s = gt_pool_take(gt_strlen(prefix) + 24);
  char *p = gt_append(s, prefix);
  *p++ = '0';
  *p++ = 'x';
  while(n > 0)
    *p++ = digits[--n];
  *p = 0;
  return s;
}

// ---- events --------------------------------------------------------------------------

#define GT_MAX_DEPTH 32

// Return addresses from the caller of the primitive up to the scenario body: the frames
// are chained by frame pointers (everything is built at -O0 with frame pointers) and the
// walk stops at ladder_gt_run's frame.
static int
gt_backtrace(gt_u64 *out, int max)
{
  void **fp = (void **)__builtin_frame_address(0);
  int n = 0;
  while(fp && n < max && (void *)fp < gt_stop_frame){
    void *ret = fp[1];
    void **next = (void **)fp[0];
    if(!ret)
      break;
    out[n++] = (gt_u64)ret;
    if(next <= fp)
      break;
    fp = next;
  }
  return n;
}

// One record down the pipe: a header of nine 32-bit words (length, type, code, the three
// string lengths, the stack depth, two pad words), handle, sub, the stack, then the
// strings. Built in a buffer and written with one write(2): the parent reads records whole
// whatever happens to the child after.
#define GT_RECORD_MAX 4096

static unsigned
gt_bounded_len(const char *s, unsigned max)
{
  unsigned n = 0;
  while(s && s[n] && n < max)
    n++;
  return n;
}

static void
gt_send(int type, int code, const char *kind, const char *name, gt_u64 handle, gt_u64 sub,
        const char *detail, const gt_u64 *stack, int depth)
{
  if(!gt_slots)
    return;
  int fd = (int)(gt_u64)gt_slots[6];
  unsigned char buf[GT_RECORD_MAX];
  unsigned kl = gt_bounded_len(kind, 64), nl = gt_bounded_len(name, 256), dl = gt_bounded_len(detail, 1024);
  unsigned header = 9 * 4 + 2 * 8;
  unsigned total = header + (unsigned)depth * 8 + kl + nl + dl;
  unsigned *w = (unsigned *)buf;
  w[0] = total;
  w[1] = (unsigned)type;
  w[2] = (unsigned)code;
  w[3] = kl;
  w[4] = nl;
  w[5] = dl;
  w[6] = (unsigned)depth;
  w[7] = w[8] = 0;
  gt_u64 *q = (gt_u64 *)(buf + 9 * 4);
  q[0] = handle;
  q[1] = sub;
  unsigned char *p = buf + header;
  for(int i = 0; i < depth; i++){
    gt_u64 v = stack[i];
    for(int b = 0; b < 8; b++)
      *p++ = (unsigned char)(v >> (8 * b));
  }
  for(unsigned i = 0; i < kl; i++)
    *p++ = (unsigned char)kind[i];
  for(unsigned i = 0; i < nl; i++)
    *p++ = (unsigned char)name[i];
  for(unsigned i = 0; i < dl; i++)
    *p++ = (unsigned char)detail[i];
  unsigned done = 0;
  while(done < total){
    long n = write(fd, buf + done, total - done);
    if(n <= 0)
      _exit(GT_EXIT_LOST);
    done += (unsigned)n;
  }
}

// Boot work (making the file system, the first process) is not what a run is judged on:
// its acquisitions, releases, frames and names are kept (holdings stay exact) but not sent.
static int gt_quiet_level;

void
gt_quiet(int on)
{
  gt_quiet_level += on ? 1 : -1;
}

void
gt_event(int type, int code, const char *kind, const char *name, const void *handle, gt_u64 sub,
         const char *detail)
{
  if(gt_quiet_level > 0 && (type == GT_EV_ACQUIRE || type == GT_EV_RELEASE || type == GT_EV_FRAME_ALLOC ||
                            type == GT_EV_FRAME_FREE || type == GT_EV_NAME))
    return;
  gt_u64 stack[GT_MAX_DEPTH];
  int depth = gt_backtrace(stack, GT_MAX_DEPTH);
  gt_send(type, code, kind, name, (gt_u64)handle, sub, detail, stack, depth);
}

void
gt_problem(int problem, const char *kind, const char *name, const void *handle, gt_u64 sub,
           const char *detail)
{
  gt_event(GT_EV_PROBLEM, problem, kind, name, handle, sub, detail);
}

__attribute__((noreturn)) void
gt_panic(const char *message)
{
  gt_event(GT_EV_PANIC, gt_phase, "", "", 0, 0, message);
  siglongjmp(gt_jump, 1);
}

// The kernel's panic().
__attribute__((noreturn)) void
panic(char *s)
{
  gt_panic(s);
}

// The kernel's printf(): output is of no interest here.
int
printf(char *fmt, ...)
{
  (void)fmt;
  return 0;
}

int
gt_should_fail(const char *op)
{
  if(!gt_in_window || !gt_slots)
    return 0;
  int fail = ((gt_should_fail_fn)gt_slots[3])(GT_CTX, op);
  gt_send(GT_EV_COUNT, 0, "", "", 0, 0, op, 0, 0);
  if(fail)
    gt_event(GT_EV_INJECTED, 0, "", "", 0, 0, op);
  return fail;
}

int
gt_in_memory(gt_u64 pa, gt_u64 length)
{
  gt_u64 base = (gt_u64)gt_slots[7], size = (gt_u64)gt_slots[8];
  return pa >= base && pa - base < size && length <= size - (pa - base);
}

int
gt_frame_live(gt_u64 pa)
{
  return ((gt_is_live_fn)gt_slots[4])(GT_CTX, pa);
}

// ---- names ---------------------------------------------------------------------------

#define GT_MAX_NAMES 256
static struct {
  const void *handle;
  const char *name;
} gt_names[GT_MAX_NAMES];
static int gt_name_count;

void
gt_set_name(const void *handle, const char *name)
{
  if(gt_slots)
    gt_event(GT_EV_NAME, 0, "", name, handle, 0, "");
  for(int i = 0; i < gt_name_count; i++){
    if(gt_names[i].handle == handle){
      gt_names[i].name = name;
      return;
    }
  }
  if(gt_name_count < GT_MAX_NAMES){
    gt_names[gt_name_count].handle = handle;
    gt_names[gt_name_count].name = name;
    gt_name_count++;
  }
}

static void
gt_clear_name(const void *handle)
{
  for(int i = 0; i < gt_name_count; i++){
    if(gt_names[i].handle == handle){
      gt_names[i] = gt_names[--gt_name_count];
      return;
    }
  }
}

const char *
gt_name(const void *handle, const char *fallback)
{
  for(int i = 0; i < gt_name_count; i++)
    if(gt_names[i].handle == handle)
      return gt_names[i].name;
  return fallback;
}

// ---- holdings ------------------------------------------------------------------------

#define GT_MAX_HOLDINGS 1024
struct gt_holding {
  const char *kind;
  const void *handle;
  gt_u64 sub;
  const char *name;
  int count;       // held now
  int at_begin;    // held when the call began
  int released;    // releases during this run
  int reported;    // already reported as held at the error return
  int owned;       // kept by the caller's objects (see gt_owned)
};
static struct gt_holding gt_holdings[GT_MAX_HOLDINGS];
static int gt_holding_count;

static struct gt_holding *
gt_find_holding(const char *kind, const void *handle, gt_u64 sub, int create)
{
  for(int i = 0; i < gt_holding_count; i++){
    struct gt_holding *h = &gt_holdings[i];
    if(h->handle == handle && h->sub == sub && gt_streq(h->kind, kind))
      return h;
  }
  if(!create || gt_holding_count >= GT_MAX_HOLDINGS)
    return 0;
  struct gt_holding *h = &gt_holdings[gt_holding_count++];
  h->kind = kind;
  h->handle = handle;
  h->sub = sub;
  h->name = 0;
  h->count = h->at_begin = h->released = h->reported = h->owned = 0;
  return h;
}

void
gt_hold(const char *kind, const void *handle, gt_u64 sub, const char *name)
{
  struct gt_holding *h = gt_find_holding(kind, handle, sub, 1);
  if(h){
    h->count++;
    h->name = name;
  }
  gt_event(GT_EV_ACQUIRE, 0, kind, name, handle, sub, "");
}

void
gt_unhold(const char *kind, const void *handle, gt_u64 sub, const char *name,
          const char *panic_message)
{
  struct gt_holding *h = gt_find_holding(kind, handle, sub, 0);
  if(h && h->count > 0){
    h->count--;
    h->released++;
    gt_event(GT_EV_RELEASE, 0, kind, name, handle, sub, "");
    return;
  }
  gt_report_unheld(kind, handle, sub, name);
  gt_panic(panic_message);
}

int
gt_release_if_held(const char *kind, const void *handle, gt_u64 sub, const char *name)
{
  struct gt_holding *h = gt_find_holding(kind, handle, sub, 0);
  if(!h || h->count <= 0)
    return 0;
  h->count--;
  h->released++;
  gt_event(GT_EV_RELEASE, 0, kind, name, handle, sub, "");
  return 1;
}

void
gt_report_unheld(const char *kind, const void *handle, gt_u64 sub, const char *name)
{
  struct gt_holding *h = gt_find_holding(kind, handle, sub, 0);
  if(h && h->released > 0)
    gt_problem(GT_P_DOUBLE_RELEASE, kind, name, handle, sub, "released again after its release");
  else
    gt_problem(GT_P_RELEASE_UNHELD, kind, name, handle, sub, "released while not held");
}

int
gt_held(const char *kind, const void *handle, gt_u64 sub)
{
  struct gt_holding *h = gt_find_holding(kind, handle, sub, 0);
  return h ? h->count : 0;
}

void
gt_owned(const char *kind, const void *handle, gt_u64 sub)
{
  struct gt_holding *h = gt_find_holding(kind, handle, sub, 0);
  if(h)
    h->owned = 1;
}

// ---- page tables ---------------------------------------------------------------------

#define GT_MAX_ROOTS 64
static void *gt_roots[GT_MAX_ROOTS];
static int gt_root_count;
static void *gt_unmap_root;
static gt_u64 gt_unmap_va, gt_unmap_end;

void
gt_pt_register(void *root)
{
  if(gt_pt_is_root(root))
    return;
  if(gt_root_count < GT_MAX_ROOTS)
    gt_roots[gt_root_count++] = root;
}

void
gt_pt_unregister(void *root)
{
  for(int i = 0; i < gt_root_count; i++){
    if(gt_roots[i] == root){
      gt_roots[i] = gt_roots[--gt_root_count];
      return;
    }
  }
}

int
gt_pt_is_root(const void *root)
{
  for(int i = 0; i < gt_root_count; i++)
    if(gt_roots[i] == root)
      return 1;
  return 0;
}

void
gt_pt_unmapping(void *root, gt_u64 va, gt_u64 npages)
{
  gt_unmap_root = root;
  gt_unmap_va = va;
  gt_unmap_end = va + npages * GT_PGSIZE;
}

static int
gt_table_ok(gt_u64 pa)
{
  return (pa % GT_PGSIZE) == 0 && gt_in_memory(pa, GT_PGSIZE) && gt_frame_live(pa);
}

static int
gt_scan(void *root, gt_u64 *table, int level, gt_u64 va_base, gt_u64 pa, gt_u64 *va_out)
{
  for(gt_u64 i = 0; i < 512; i++){
    gt_u64 pte = table[i];
    if((pte & GT_PTE_V) == 0)
      continue;
    gt_u64 va = va_base | (i << (12 + 9 * level));
    gt_u64 child = GT_PTE2PA(pte);
    if(pte & GT_PTE_RWX){
      if((pte & GT_PTE_U) && child == pa){
        int exempt = root == gt_unmap_root && va >= gt_unmap_va && va < gt_unmap_end;
        if(!exempt){
          *va_out = va;
          return 1;
        }
      }
    } else if(level > 0 && gt_table_ok(child)){
      if(gt_scan(root, (gt_u64 *)child, level - 1, va, pa, va_out))
        return 1;
    }
  }
  return 0;
}

int
gt_pt_user_mapping(gt_u64 pa, void **root, gt_u64 *va)
{
  for(int i = 0; i < gt_root_count; i++){
    void *r = gt_roots[i];
    if(r == (void *)pa || !gt_table_ok((gt_u64)r))
      continue;
    if(gt_scan(r, (gt_u64 *)r, 2, 0, pa, va)){
      *root = r;
      return 1;
    }
  }
  return 0;
}

void kfree(void *pa);

// User memory ends below the top sixteen pages of the address space; the pages mapped up
// there (trampoline, trapframe, a shared page) are borrowed and freed by their owners.
#define GT_USER_TOP ((1ULL << 38) - 16 * GT_PGSIZE)

static void
gt_destroy_level(gt_u64 *table, int level, gt_u64 va_base)
{
  for(gt_u64 i = 0; i < 512; i++){
    gt_u64 pte = table[i];
    if((pte & GT_PTE_V) == 0)
      continue;
    gt_u64 va = va_base | (i << (12 + 9 * level));
    gt_u64 child = GT_PTE2PA(pte);
    table[i] = 0;
    if(pte & GT_PTE_RWX){
      if(va < GT_USER_TOP && gt_table_ok(child))
        kfree((void *)child);
    } else if(level > 0 && gt_table_ok(child)){
      gt_destroy_level((gt_u64 *)child, level - 1, va);
      kfree((void *)child);
    }
  }
}

void
gt_pt_destroy(void *root)
{
  if(!root || !gt_table_ok((gt_u64)root))
    return;
  gt_destroy_level((gt_u64 *)root, 2, 0);
  // Mappings the teardown removes are no longer anybody's.
  for(int i = 0; i < gt_holding_count; i++){
    struct gt_holding *h = &gt_holdings[i];
    if(h->handle == root && gt_streq(h->kind, "mapping"))
      h->count = 0;
  }
  kfree(root);
}

void
gt_pt_destroy_all(void)
{
  while(gt_root_count > 0){
    void *root = gt_roots[gt_root_count - 1];
    if(gt_table_ok((gt_u64)root))
      gt_pt_destroy(root);
    else
      gt_pt_unregister(root);
  }
}

// ---- frames --------------------------------------------------------------------------

void *
kalloc(void)
{
  gt_u64 pa = ((gt_kalloc_fn)gt_slots[1])(GT_CTX);
  if(gt_in_window)
    gt_send(GT_EV_COUNT, 0, "", "", 0, 0, "kalloc", 0, 0);
  if(pa == 0 && gt_in_window)
    gt_event(GT_EV_INJECTED, 0, "", "", 0, 0, "kalloc");
  gt_event(GT_EV_FRAME_ALLOC, 0, "page", "", (void *)pa, 0, "");
  return (void *)pa;
}

void
kfree(void *pa)
{
  void *root;
  gt_u64 va;
  if(pa && gt_in_memory((gt_u64)pa, 1) && gt_pt_user_mapping((gt_u64)pa, &root, &va))
    gt_problem(GT_P_ORDER, "page", gt_name(pa, "page"), pa, va,
               gt_fmt_hex("freed while a user mapping still maps it at va ", va));
  int r = ((gt_kfree_fn)gt_slots[2])(GT_CTX, (gt_u64)pa);
  if(r == 1){
    gt_problem(GT_P_DOUBLE_RELEASE, "page", gt_name(pa, "page"), pa, 0, "kfree of a freed page");
    gt_panic("kfree");
  }
  if(r != 0){
    gt_problem(GT_P_RELEASE_UNHELD, "page", gt_name(pa, "page"), pa, 0,
               pa ? "kfree of a page that was never allocated" : "kfree(0)");
    gt_panic("kfree");
  }
  if(gt_pt_is_root(pa)){
    gt_pt_unregister(pa);
    gt_release_if_held("pagetable", pa, 0, gt_name(pa, "pagetable"));
  }
  gt_clear_name(pa);
  // The model fills a freed frame with 1s, as xv6 does. A page-table walk through a freed
  // table would follow those 1s (valid, non-leaf) to a wild host address; past the free
  // list's link, make every entry invalid instead so that such a walk stops.
  unsigned char *bytes = (unsigned char *)pa;
  for(int i = 8; i < (int)GT_PGSIZE; i++)
    bytes[i] = 0xEE;
  gt_event(GT_EV_FRAME_FREE, 0, "page", "", pa, 0, "");
}

// ---- the call window and the run -----------------------------------------------------

void
gt_call_begin(void)
{
  // A release "again" means again within the call: what the setup took and gave back
  // (a file made, an inode locked to write it) is not this call's to release twice.
  for(int i = 0; i < gt_holding_count; i++){
    gt_holdings[i].at_begin = gt_holdings[i].count;
    gt_holdings[i].released = 0;
  }
  gt_phase = GT_PHASE_CALL;
  gt_event(GT_EV_PHASE, GT_PHASE_CALL, "", "", 0, 0, "");
  gt_in_window = 1;
  ((gt_window_fn)gt_slots[5])(GT_CTX, 1);
}

static void
gt_close_window(void)
{
  if(gt_in_window){
    gt_in_window = 0;
    ((gt_window_fn)gt_slots[5])(GT_CTX, 0);
  }
}

static int
gt_is_lock_kind(const char *kind)
{
  return gt_streq(kind, "spinlock") || gt_streq(kind, "sleeplock") || gt_streq(kind, "inode-lock") ||
         gt_streq(kind, "log-op");
}

gt_i64
gt_call_end(gt_i64 value)
{
  gt_close_window();
  int failed = 0;
  switch(gt_current ? gt_current->returns : GT_RET_VOID){
  case GT_RET_NEGATIVE: failed = (int)value < 0; break;
  case GT_RET_ZERO: failed = value == 0; break;
  case GT_RET_MINUS1: failed = value == -1; break;
  default: failed = 0; break;
  }
  gt_call_failed_flag = failed;
  gt_event(GT_EV_RETURN, failed, "", "", (void *)value, 0, "");
  if(failed){
    for(int i = 0; i < gt_holding_count; i++)
      gt_holdings[i].owned = 0;
    for(int i = 0; i < gt_owner_count; i++)
      gt_owner_hooks[i]();
    for(int i = 0; i < gt_holding_count; i++){
      struct gt_holding *h = &gt_holdings[i];
      if(h->count > h->at_begin && !h->owned){
        h->reported = 1;
        gt_problem(GT_P_HELD_AT_ERROR, h->kind, h->name, h->handle, h->sub,
                   "still held at the error return");
      }
    }
  } else {
    // A lock (or transaction) taken inside the call and still held when it returns: a
    // problem unless taking it is what the function is for (ilock, acquire, begin_op),
    // which the Swift side knows from the rule pack.
    for(int i = 0; i < gt_holding_count; i++){
      struct gt_holding *h = &gt_holdings[i];
      // A lock inside the object the call returns goes to the caller with it (create's
      // locked inode, allocproc's locked process).
      gt_u64 offset = (gt_u64)h->handle - (gt_u64)value;
      if(value != 0 && offset < 2048)
        continue;
      if(h->count > h->at_begin && gt_is_lock_kind(h->kind) && (h->reported = 1))
        gt_problem(GT_P_HELD_AT_RETURN, h->kind, h->name, h->handle, h->sub, "still held when the call returned");
    }
  }
  gt_phase = GT_PHASE_TEARDOWN;
  gt_event(GT_EV_PHASE, GT_PHASE_TEARDOWN, "", "", 0, 0, "");
  return value;
}

int
gt_failed(void)
{
  return gt_call_failed_flag;
}

static void
gt_reset(void)
{
  gt_phase = GT_PHASE_SETUP;
  gt_in_window = 0;
  gt_call_failed_flag = 0;
  gt_holding_count = 0;
  gt_name_count = 0;
  gt_root_count = 0;
  gt_unmap_root = 0;
  gt_unmap_va = gt_unmap_end = 0;
  gt_pool_used = 0;
  for(int i = 0; i < gt_reset_count; i++)
    gt_resets[i]();
}

static void
gt_final_check(void)
{
  // Only what the call and the teardown took is judged: the setup's own processes, files
  // and tables are the world the call ran in.
  // Page tables still registered are the caller's (handed on by a success, or owned by
  // the caller after a failure): the teardown gives them back.
  gt_pt_destroy_all();
  for(int i = 0; i < gt_holding_count; i++){
    struct gt_holding *h = &gt_holdings[i];
    if(h->count > h->at_begin && !h->reported)
      gt_problem(GT_P_LEAK, h->kind, h->name, h->handle, h->sub, "still held after the teardown");
  }
}

// ---- the library's interface to Swift ------------------------------------------------

int ladder_gt_run(void **slots, int index);

// Where this library is loaded: return addresses less this are what llvm-symbolizer reads.
gt_u64
ladder_gt_base(void)
{
  Dl_info info;
  if(dladdr((void *)&ladder_gt_run, &info) == 0)
    return 0;
  return (gt_u64)info.dli_fbase;
}

int
ladder_gt_scenario_count(void)
{
  return gt_scenario_count;
}

const char *
ladder_gt_scenario_field(int index, int field)
{
  if(index < 0 || index >= gt_scenario_count)
    return "";
  const struct gt_scenario *s = gt_scenarios[index];
  switch(field){
  case 0: return s->function;
  case 1: return s->name;
  case 2: return s->setup;
  case 3: return s->call;
  default: return "";
  }
}

int
ladder_gt_scenario_returns(int index)
{
  if(index < 0 || index >= gt_scenario_count)
    return GT_RET_VOID;
  return gt_scenarios[index]->returns;
}

// ---- faults ------------------------------------------------------------------------
//
// The run is a child process of its own: a fault ends it. Before it does, the handler
// sends where it happened (the faulting address, the instruction, and the frames above
// it, read from the frame pointers the interrupted code left) so that the parent can name
// the kernel line. It never returns into the kernel code.

static char gt_alt_stack[1 << 16];

static void
gt_fault(int sig, siginfo_t *info, void *context)
{
  ucontext_t *uc = (ucontext_t *)context;
  gt_u64 stack[GT_MAX_DEPTH];
  int depth = 0;
  gt_u64 pc = 0, fp = 0, sp = 0;
#if defined(__x86_64__)
  pc = (gt_u64)uc->uc_mcontext.gregs[REG_RIP];
  fp = (gt_u64)uc->uc_mcontext.gregs[REG_RBP];
  sp = (gt_u64)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
  pc = (gt_u64)uc->uc_mcontext.pc;
  fp = (gt_u64)uc->uc_mcontext.regs[29];
  sp = (gt_u64)uc->uc_mcontext.sp;
#else
  (void)uc;
#endif
  // The faulting instruction itself: +1, since the parent reads every address as a
  // return address (one past a call).
  if(pc)
    stack[depth++] = pc + 1;
  // Only frames between the stack pointer at the fault and the run's own frame: a frame
  // pointer the kernel code overwrote must not fault again here.
  while(fp && depth < GT_MAX_DEPTH && (fp & 7) == 0 && fp >= sp && (void *)fp < gt_stop_frame){
    gt_u64 *frame = (gt_u64 *)fp;
    if(!frame[1])
      break;
    stack[depth++] = frame[1];
    if(frame[0] <= fp)
      break;
    fp = frame[0];
  }
  gt_send(GT_EV_CRASH, sig, "", "", (gt_u64)info->si_addr, (gt_u64)gt_phase,
          sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGILL ? "SIGILL" : "SIGFPE",
          stack, depth);
  _exit(GT_EXIT_CRASH);
}

static void
gt_guard_on(void)
{
  stack_t ss;
  ss.ss_sp = gt_alt_stack;
  ss.ss_size = sizeof(gt_alt_stack);
  ss.ss_flags = 0;
  sigaltstack(&ss, 0);
  struct sigaction sa;
  sa.sa_sigaction = gt_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, 0);
  sigaction(SIGBUS, &sa, 0);
  sigaction(SIGILL, &sa, 0);
  sigaction(SIGFPE, &sa, 0);
}

// A call that can never return on one hart (sleep with its condition false, a context
// switch): the run ends here, as 'would block'.
__attribute__((noreturn)) void
gt_would_block(const char *what)
{
  gt_event(GT_EV_BLOCK, gt_phase, "", "", 0, 0, what);
  siglongjmp(gt_jump, GT_EXIT_BLOCKED);
}

// Runs scenario `index` on the machine `slots` describes, in the child process that will
// exit with the result: GT_EXIT_RAN when the scenario ran to its end, GT_EXIT_PANIC when
// the kernel panicked, GT_EXIT_BLOCKED when a call would have blocked (each reported as an
// event first). A fault never comes back here (see gt_fault).
__attribute__((noinline)) int
ladder_gt_run(void **slots, int index)
{
  volatile int status = GT_EXIT_RAN;
  if(index < 0 || index >= gt_scenario_count)
    return GT_EXIT_LOST;
  gt_slots = slots;
  gt_current = gt_scenarios[index];
  gt_stop_frame = __builtin_frame_address(0);
  gt_guard_on();
  int jumped = sigsetjmp(gt_jump, 1);
  if(jumped == 0){
    gt_reset();
    gt_current->body();
    gt_final_check();
  } else {
    status = jumped == GT_EXIT_BLOCKED ? GT_EXIT_BLOCKED : GT_EXIT_PANIC;
  }
  gt_close_window();
  gt_send(GT_EV_END, status, "", "", 0, 0, "", 0, 0);
  return status;
}
