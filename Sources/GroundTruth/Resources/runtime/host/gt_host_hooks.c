// gt_host_hooks.c -- instrumentation around an xv6 tree's own functions. The builder renames
// the *definition* of each function below to gt_real_NAME in the overlay's copy of its file
// (calls keep the name, so calls inside the same file come here too) and defines
// GT_HOOKED_NAME; each hook records what the real function acquired or released, counts a
// failure point where the kernel can fail, and calls the real function. The user's files
// are never touched. Static functions are hooked from the file's tail (gt_tail_*.c).

#include "types.h"
#include "param.h"
#include "memlayout.h"
#include "riscv.h"
#include "spinlock.h"
#include "sleeplock.h"
#include "proc.h"
#include "fs.h"
#include "file.h"
#include "buf.h"
#include "defs.h"
#include "gt_runtime.h"
#include "gt_host_api.h"

// ---- vm.c: page tables and mappings -------------------------------------------------------

static const char *
gt_va_name(uint64 va)
{
  if(va == TRAMPOLINE)
    return "TRAMPOLINE";
  if(va == TRAPFRAME)
    return "TRAPFRAME";
  return gt_fmt_hex("", va);
}

// A table handed to a vm function must be a live frame: one already freed was released
// too early.
static void
gt_check_table(pagetable_t pagetable, const char *what)
{
  uint64 pa = (uint64)pagetable;
  if(pa < PGSIZE){
    gt_problem(GT_P_NULL_DEREF, "pagetable", "0", pagetable, 0, what);
    gt_panic(what);
  }
  if(gt_in_memory(pa, PGSIZE) && !gt_frame_live(pa)){
    gt_problem(GT_P_ORDER, "pagetable", gt_name(pagetable, "pagetable"), pagetable, 0,
               "page table used after it was freed");
    gt_panic(what);
  }
}

static int
gt_leaf_valid(pagetable_t pagetable, uint64 va)
{
  pte_t *pte = walk(pagetable, va, 0);
  return pte && (*pte & PTE_V) && (*pte & (PTE_R | PTE_W | PTE_X));
}

#ifdef GT_HOOKED_mappages
int gt_real_mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm);

int
mappages(pagetable_t pagetable, uint64 va, uint64 size, uint64 pa, int perm)
{
  gt_check_table(pagetable, "mappages: freed page table");
  // Name the frames by the address they are meant for, before anything can fail.
  for(uint64 off = 0; off < size && off < 64 * PGSIZE; off += PGSIZE){
    uint64 frame = pa + off;
    if(gt_in_memory(frame, PGSIZE) && gt_name((void *)frame, 0) == 0 && (perm & PTE_U))
      gt_set_name((void *)frame, gt_fmt_hex("mem@", va + off));
  }
  // Forced: mappages fails on the board only when walk cannot allocate (a failure point of
  // its own); failing it here reaches branches allocations cannot.
  if(gt_should_fail("mappages"))
    return -1;
  uint64 before = 0;   // bit i: page i was mapped before the call
  uint64 pages = PGROUNDUP(size) / PGSIZE;
  for(uint64 i = 0; i < pages && i < 64; i++)
    if(gt_leaf_valid(pagetable, va + i * PGSIZE))
      before |= 1ULL << i;
  int r = gt_real_mappages(pagetable, va, size, pa, perm);
  for(uint64 i = 0; i < pages && i < 64; i++){
    uint64 a = va + i * PGSIZE;
    if(!(before & (1ULL << i)) && gt_leaf_valid(pagetable, a))
      gt_hold("mapping", pagetable, a, gt_va_name(a));
  }
  return r;
}
#endif

#ifdef GT_HOOKED_uvmunmap
void gt_real_uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free);

void
uvmunmap(pagetable_t pagetable, uint64 va, uint64 npages, int do_free)
{
  gt_check_table(pagetable, "uvmunmap: freed page table");
  // The mappings go first, in the order the real function removes them, as far as the
  // first page that is not mapped (where it panics).
  for(uint64 a = va; a < va + npages * PGSIZE; a += PGSIZE){
    if(!gt_leaf_valid(pagetable, a)){
      gt_report_unheld("mapping", pagetable, a, gt_va_name(a));
      break;
    }
    if(!gt_release_if_held("mapping", pagetable, a, gt_va_name(a)))
      gt_event(GT_EV_RELEASE, 0, "mapping", gt_va_name(a), pagetable, a, "");
  }
  if(do_free)
    gt_pt_unmapping(pagetable, va, npages);
  gt_real_uvmunmap(pagetable, va, npages, do_free);
  gt_pt_unmapping(0, 0, 0);
}
#endif

#ifdef GT_HOOKED_uvmcreate
pagetable_t gt_real_uvmcreate(void);

pagetable_t
uvmcreate(void)
{
  pagetable_t pagetable = gt_real_uvmcreate();
  if(pagetable){
    gt_pt_register(pagetable);
    gt_hold("pagetable", pagetable, 0, gt_name(pagetable, "pagetable"));
  }
  return pagetable;
}
#endif

#ifdef GT_HOOKED_uvmfree
void gt_real_uvmfree(pagetable_t pagetable, uint64 sz);

void
uvmfree(pagetable_t pagetable, uint64 sz)
{
  gt_check_table(pagetable, "uvmfree: freed page table");
  gt_real_uvmfree(pagetable, sz);
}
#endif

#ifdef GT_HOOKED_copyout
int gt_real_copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len);

int
copyout(pagetable_t pagetable, uint64 dstva, char *src, uint64 len)
{
  gt_check_table(pagetable, "copyout: freed page table");
  // A user address that is not mapped writable: the caller can always pass one.
  if(gt_should_fail("copyout"))
    return -1;
  return gt_real_copyout(pagetable, dstva, src, len);
}
#endif

#ifdef GT_HOOKED_copyin
int gt_real_copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len);

int
copyin(pagetable_t pagetable, char *dst, uint64 srcva, uint64 len)
{
  gt_check_table(pagetable, "copyin: freed page table");
  return gt_real_copyin(pagetable, dst, srcva, len);
}
#endif

#ifdef GT_HOOKED_copyinstr
int gt_real_copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max);

int
copyinstr(pagetable_t pagetable, char *dst, uint64 srcva, uint64 max)
{
  gt_check_table(pagetable, "copyinstr: freed page table");
  return gt_real_copyinstr(pagetable, dst, srcva, max);
}
#endif

// ---- log.c: transactions -------------------------------------------------------------------

// The log, as a resource: one hold per begin_op.
static char gt_log_token;

int
gt_host_in_transaction(void)
{
  return gt_held("log-op", &gt_log_token, 0) > 0;
}

#ifdef GT_HOOKED_begin_op
void gt_real_begin_op(void);

void
begin_op(void)
{
  gt_real_begin_op();
  gt_hold("log-op", &gt_log_token, 0, "log");
}
#endif

#ifdef GT_HOOKED_end_op
void gt_real_end_op(void);

void
end_op(void)
{
  if(!gt_host_in_transaction()){
    gt_report_unheld("log-op", &gt_log_token, 0, "log");
    gt_panic("end_op: no transaction");
  }
  gt_unhold("log-op", &gt_log_token, 0, "log", "end_op");
  gt_real_end_op();
}
#endif

// ---- fs.c: inode references ----------------------------------------------------------------

static const char *
gt_inode_name(struct inode *ip)
{
  return gt_host_inum_name(ip->inum);
}

#ifdef GT_HOOKED_idup
struct inode *gt_real_idup(struct inode *ip);

struct inode *
idup(struct inode *ip)
{
  struct inode *r = gt_real_idup(ip);
  gt_hold("inode-ref", ip, 0, gt_inode_name(ip));
  return r;
}
#endif

#ifdef GT_HOOKED_iput
void gt_real_iput(struct inode *ip);

void
iput(struct inode *ip)
{
  if((uint64)ip < PGSIZE){
    gt_problem(GT_P_NULL_DEREF, "inode-ref", "0", ip, 0, "iput of a null inode");
    gt_panic("iput: null pointer");
  }
  // iput may free the inode on disk, which writes through the log: it belongs inside a
  // transaction. And it locks the inode to do so: the caller must not hold that lock.
  if(!gt_host_in_transaction())
    gt_problem(GT_P_ORDER, "inode-ref", gt_inode_name(ip), ip, 0, "iput outside a transaction");
  if(holdingsleep(&ip->lock))
    gt_problem(GT_P_ORDER, "inode-ref", gt_inode_name(ip), ip, 0, "iput of an inode still locked");
  gt_unhold("inode-ref", ip, 0, gt_inode_name(ip), "iput");
  gt_real_iput(ip);
}
#endif

// xv6's iunlock and brelse panic on a lock the caller does not hold before anything
// reaches the sleep-lock: say first whether it was released already or never taken.
#ifdef GT_HOOKED_iunlock
void gt_real_iunlock(struct inode *ip);

void
iunlock(struct inode *ip)
{
  if((uint64)ip >= PGSIZE && !holdingsleep(&ip->lock))
    gt_report_unheld("inode-lock", &ip->lock, 0, gt_inode_name(ip));
  gt_real_iunlock(ip);
}
#endif

#ifdef GT_HOOKED_ialloc
struct inode *gt_real_ialloc(uint dev, short type);

struct inode *
ialloc(uint dev, short type)
{
  // No free inode on the disk: xv6 since 2023 returns 0; before, it panics.
  if(gt_should_fail("ialloc"))
    return 0;
  return gt_real_ialloc(dev, type);
}
#endif

// ---- bio.c: buffers ------------------------------------------------------------------------

#ifdef GT_HOOKED_brelse
void gt_real_brelse(struct buf *b);

void
brelse(struct buf *b)
{
  if((uint64)b < PGSIZE){
    gt_problem(GT_P_RELEASE_UNHELD, "buf", "0", b, 0, "brelse(0)");
    gt_panic("brelse: null pointer");
  }
  if(!holdingsleep(&b->lock))
    gt_report_unheld("buf", &b->lock, 0, gt_fmt_index("block", (int)b->blockno, ""));
  gt_real_brelse(b);
}
#endif

// ---- file.c: open files ----------------------------------------------------------------------

#ifdef GT_HOOKED_filealloc
struct file *gt_real_filealloc(void);

struct file *
filealloc(void)
{
  // The file table is full: the caller can always make it so.
  if(gt_should_fail("filealloc"))
    return 0;
  struct file *f = gt_real_filealloc();
  if(f)
    gt_hold("file", f, 0, gt_fmt_hex("file@", (uint64)f));
  return f;
}
#endif

#ifdef GT_HOOKED_filedup
struct file *gt_real_filedup(struct file *f);

struct file *
filedup(struct file *f)
{
  struct file *r = gt_real_filedup(f);
  gt_hold("file", f, 0, gt_fmt_hex("file@", (uint64)f));
  return r;
}
#endif

#ifdef GT_HOOKED_fileclose
void gt_real_fileclose(struct file *f);

void
fileclose(struct file *f)
{
  if((uint64)f < PGSIZE){
    gt_problem(GT_P_RELEASE_UNHELD, "file", "0", f, 0, "fileclose(0)");
    gt_panic("fileclose: null pointer");
  }
  gt_unhold("file", f, 0, gt_fmt_hex("file@", (uint64)f), "fileclose");
  gt_real_fileclose(f);
}
#endif
